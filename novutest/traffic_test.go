package novutest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novugen/novugen/novutest"
)

func TestIdempotencyReplaysAndRejectsReuse(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	body := createBody("wf", "WF")
	first := do(t, srv, "Development", "POST", "/v2/workflows", body, "Idempotency-Key", "k1")
	expect(t, first, 201)
	replay := do(t, srv, "Development", "POST", "/v2/workflows", body, "Idempotency-Key", "k1")
	expect(t, replay, 201)
	if replay.header.Get("Idempotency-Replay") != "true" || string(replay.raw) != string(first.raw) {
		t.Errorf("replay: header %q body equal %v", replay.header.Get("Idempotency-Replay"), string(replay.raw) == string(first.raw))
	}
	if n := len(srv.Workflows("Development")); n != 1 {
		t.Errorf("%d workflows after a replay, want 1", n)
	}
	if w := srv.Counts().Op("create").Writes; w != 1 {
		t.Errorf("create writes = %d, want 1", w)
	}
	// Keys are per organization: another environment's key sees the replay.
	other := do(t, srv, "Staging", "POST", "/v2/workflows", body, "Idempotency-Key", "k1")
	if other.header.Get("Idempotency-Replay") != "true" {
		t.Error("idempotency key was scoped to the environment")
	}
	for _, r := range []response{first, replay} {
		if got := r.header.Get("Idempotency-Key"); got != "k1" {
			t.Errorf("Idempotency-Key echo %q, want k1", got)
		}
	}
	if first.header.Get("Idempotency-Replay") != "" {
		t.Error("first answer marked as a replay")
	}
	reused := do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf2", "WF"), "Idempotency-Key", "k1")
	expect(t, reused, 422)
	if reused.body["message"] != `Request with key "k1" is being reused for a different body` ||
		reused.header.Get("Link") != "https://docs.novu.co/additional-resources/idempotency" {
		t.Errorf("422 %s Link %q", reused.raw, reused.header.Get("Link"))
	}
	longKey := strings.Repeat("k", 256)
	long := do(t, srv, "Development", "POST", "/v2/workflows", body, "Idempotency-Key", longKey)
	expect(t, long, 400)
	if want := `idempotencyKey "` + longKey + `" has exceeded the maximum allowed length of 255 characters`; long.body["message"] != want {
		t.Errorf("long key message %v, want %s", long.body["message"], want)
	}
	// 255 characters is still a key.
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf3", "WF"), "Idempotency-Key", longKey[:255]), 201)
	// PUT ignores the header.
	upd := updateBody("WF")
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", upd, "Idempotency-Key", "k2"), 200)
	r := do(t, srv, "Development", "PUT", "/v2/workflows/wf", upd, "Idempotency-Key", "k2")
	if r.header.Get("Idempotency-Replay") != "" {
		t.Error("PUT was replayed")
	}
}

func TestIdempotencyInProgressIs409(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv.SetTestHook(func(r *http.Request) {
		if r.Header.Get("Idempotency-Key") == "slow" {
			once.Do(func() { close(entered); <-release })
		}
	})
	body := createBody("wf", "WF")
	done := make(chan response)
	go func() { done <- do(t, srv, "Development", "POST", "/v2/workflows", body, "Idempotency-Key", "slow") }()
	<-entered
	same := do(t, srv, "Development", "POST", "/v2/workflows", body, "Idempotency-Key", "slow")
	// Novu checks "in progress" before comparing bodies.
	other := do(t, srv, "Development", "POST", "/v2/workflows", createBody("other", "Other"), "Idempotency-Key", "slow")
	close(release)
	for _, r := range []response{same, other} {
		expect(t, r, 409)
		if r.header.Get("Retry-After") != "1" || r.body["message"] != `Request with key "slow" is currently being processed. Please retry after 1 second` {
			t.Errorf("409 %s Retry-After %q", r.raw, r.header.Get("Retry-After"))
		}
	}
	expect(t, <-done, 201)
	if n := len(srv.Workflows("Development")); n != 1 {
		t.Errorf("%d workflows, want 1", n)
	}
}

func TestIdempotencyCoversPatch(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	patch := map[string]any{"name": "Renamed"}
	first := do(t, srv, "Development", "PATCH", "/v2/workflows/wf", patch, "Idempotency-Key", "p1")
	expect(t, first, 200)
	// A dashboard edit in between: a replay must not apply the patch again.
	if err := srv.EditWorkflow("Development", "wf", func(w *novutest.Workflow) { w.Name = "Edited" }); err != nil {
		t.Fatal(err)
	}
	replay := do(t, srv, "Development", "PATCH", "/v2/workflows/wf", patch, "Idempotency-Key", "p1")
	expect(t, replay, 200)
	if replay.header.Get("Idempotency-Replay") != "true" || string(replay.raw) != string(first.raw) {
		t.Errorf("PATCH replay: header %q body %s", replay.header.Get("Idempotency-Replay"), replay.raw)
	}
	if w, _ := srv.Workflow("Development", "wf"); w.Name != "Edited" {
		t.Errorf("replayed PATCH wrote again: name %q", w.Name)
	}
	if c := srv.Counts().Op("patch"); c.Requests != 2 || c.Writes != 1 {
		t.Errorf("patch count %+v, want 2 requests and 1 write", c)
	}
	expect(t, do(t, srv, "Development", "PATCH", "/v2/workflows/wf", map[string]any{"name": "X"}, "Idempotency-Key", "p1"), 422)
	// DELETE ignores the header, as GET and PUT do.
	expect(t, do(t, srv, "Development", "DELETE", "/v2/workflows/wf", nil, "Idempotency-Key", "d1"), 204)
	expect(t, do(t, srv, "Development", "DELETE", "/v2/workflows/wf", nil, "Idempotency-Key", "d1"), 404)
}

func TestDisableIdempotency(t *testing.T) {
	srv := start(t, novutest.Options{DisableIdempotency: true})
	body := createBody("wf", "WF")
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", body, "Idempotency-Key", "k"), 201)
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", body, "Idempotency-Key", "k"), 201)
	if n := len(srv.Workflows("Development")); n != 2 {
		t.Errorf("%d workflows, want 2 without idempotency", n)
	}
}

func TestRateLimitPerEnvironment(t *testing.T) {
	frozen := time.Date(2026, 7, 21, 8, 0, 0, 0, time.UTC)
	srv := start(t, novutest.Options{RateLimit: 2, Burst: 2, Now: func() time.Time { return frozen }})
	for i := range 2 {
		r := do(t, srv, "Development", "GET", "/v2/workflows", nil)
		expect(t, r, 200)
		if got := r.header.Get("RateLimit-Remaining"); got != []string{"1", "0"}[i] {
			t.Errorf("request %d RateLimit-Remaining %q", i, got)
		}
		if r.header.Get("RateLimit-Limit") != "2" || !strings.Contains(r.header.Get("RateLimit-Policy"), `burst=2`) {
			t.Errorf("headers %v", r.header)
		}
	}
	r := do(t, srv, "Development", "GET", "/v2/workflows", nil)
	expect(t, r, 429)
	if r.body["message"] != "API rate limit exceeded" || r.body["statusCode"] != float64(429) || r.header.Get("Retry-After") != "1" {
		t.Errorf("429: %s Retry-After %q", r.raw, r.header.Get("Retry-After"))
	}
	if r.header.Get("RateLimit-Remaining") != "0" || r.header.Get("RateLimit-Limit") != "2" || r.header.Get("RateLimit-Reset") == "" {
		t.Errorf("429 RateLimit headers %v", r.header)
	}
	// Triggers have their own bucket (docs/novu-api.md §11: events vs configuration).
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "none", "to": "s"}), 422)
	// Another environment has its own bucket.
	expect(t, do(t, srv, "Staging", "GET", "/v2/workflows", nil), 200)
	if n := srv.Counts().Status(429); n != 1 {
		t.Errorf("counted %d 429s, want 1", n)
	}
}

func TestServerFaults(t *testing.T) {
	srv := start(t, novutest.Options{Faults: novutest.Faults{P503: 1}})
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows", nil), 503)
	srv.SetFaults(novutest.Faults{P500: 1})
	r := do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF"))
	expect(t, r, 500)
	if r.body["errorId"] == nil || len(srv.Workflows("Development")) != 0 {
		t.Errorf("500 %s stored %d", r.raw, len(srv.Workflows("Development")))
	}
	srv.SetFaults(novutest.Faults{P502: 1})
	r = do(t, srv, "Development", "GET", "/v2/workflows", nil)
	expect(t, r, 502)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(r.raw), "502 Bad Gateway") {
		t.Errorf("502 is %q %s, want a proxy's HTML page", ct, r.raw)
	}
	srv.SetFaults(novutest.Faults{Burst429: novutest.Burst429{Every: 2, Length: 1}})
	var got []int
	for range 6 {
		got = append(got, do(t, srv, "Development", "GET", "/v2/workflows", nil).status)
	}
	want := []int{200, 200, 429, 200, 200, 429}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("burst statuses %v, want %v", got, want)
		}
	}
}

func TestCutAfterWriteAppliesTheWrite(t *testing.T) {
	srv := start(t, novutest.Options{Faults: novutest.Faults{CutAfterWrite: 1}})
	req, _ := http.NewRequest("POST", srv.URL()+"/v2/workflows", strings.NewReader(string(mustJSON(t, createBody("wf", "WF")))))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "ApiKey "+srv.Key("Development"))
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		t.Fatalf("cut write answered %d", resp.StatusCode)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") {
		t.Logf("client error: %v", err)
	}
	if _, ok := srv.Workflow("Development", "wf"); !ok {
		t.Error("cut write was not applied")
	}
	c := srv.Counts().Op("create")
	if c.Writes != 1 || c.Cut != 1 {
		t.Errorf("create count %+v", c)
	}
	// Reads are never cut.
	srv.SetFaults(novutest.Faults{CutAfterWrite: 1})
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/wf", nil), 200)
}

func TestCountsPerOperationAndEnvironment(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", updateBody("WF")), 404)
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": envID(t, srv, "Staging")}), 200)
	expect(t, do(t, srv, "Staging", "GET", "/v2/workflows/wf", nil), 200)
	c := srv.Counts()
	if c.Total() != 4 || c.Writes() != 2 {
		t.Errorf("total %d writes %d, want 4 and 2", c.Total(), c.Writes())
	}
	if got := c[novutest.CountKey{Op: "update", Env: "Development"}]; got.Requests != 1 || got.Status[404] != 1 || got.Writes != 0 {
		t.Errorf("update count %+v", got)
	}
	if got := c[novutest.CountKey{Op: "get", Env: "Staging"}]; got.Requests != 1 {
		t.Errorf("get count %+v", got)
	}
	srv.ResetCounts()
	if srv.Counts().Total() != 0 {
		t.Error("ResetCounts left counts")
	}
}

func TestLatencyIsAdded(t *testing.T) {
	// A lower bound only: the answer cannot come before the latency has
	// passed, however slow the machine.
	const latency = 30 * time.Millisecond
	srv := start(t, novutest.Options{Latency: latency, Jitter: time.Millisecond, Seed: 3})
	begin := time.Now()
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows", nil), 200)
	if elapsed := time.Since(begin); elapsed < latency {
		t.Errorf("answered after %v, before the latency of %v", elapsed, latency)
	}
}

func TestShutdownDropsRequestsWaitingOutLatency(t *testing.T) {
	srv := novutest.NewServer(novutest.Options{Latency: time.Hour})
	t.Cleanup(srv.Close)
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("GET", srv.URL()+"/v2/workflows", nil)
		req.Header.Set("Authorization", "ApiKey "+srv.Key("Development"))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("answered %d", resp.StatusCode)
		}
		done <- err
	}()
	// Until the handler holds the request, a shutdown would only refuse
	// the connection and prove nothing.
	for srv.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	// The deadline only bounds a broken Shutdown, which would wait for the
	// hour; a working one returns as soon as the connection is dropped.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	// The client sees the connection go, not an empty success.
	if err := <-done; err == nil || strings.Contains(err.Error(), "answered") {
		t.Errorf("request in flight at shutdown: %v, want a dropped connection", err)
	}
	if n := srv.Counts().Total(); n != 0 || srv.InFlight() != 0 {
		t.Errorf("%d requests counted, %d in flight; want none: a dropped request was never served",
			n, srv.InFlight())
	}
}
