package novutest_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestIdempotencyReplaysAndRejectsReuse(t *testing.T) {
	srv := startLoose(t)
	body := createBody("wf", "WF")
	first := createWorkflow(t, srv, body, "Idempotency-Key", "k1")
	replay := createWorkflow(t, srv, body, "Idempotency-Key", "k1")
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
	createWorkflow(t, srv, createBody("wf3", "WF"), "Idempotency-Key", longKey[:255])
	// PUT ignores the header.
	upd := updateBody("WF")
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", upd, "Idempotency-Key", "k2"), 200)
	r := do(t, srv, "Development", "PUT", "/v2/workflows/wf", upd, "Idempotency-Key", "k2")
	if r.header.Get("Idempotency-Replay") != "" {
		t.Error("PUT was replayed")
	}
}

func TestIdempotencyInProgressIs409(t *testing.T) {
	srv := startLoose(t)
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
	srv := startLoose(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
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
	srv := startWith(t, novutest.Options{DisableIdempotency: true})
	body := createBody("wf", "WF")
	createWorkflow(t, srv, body, "Idempotency-Key", "k")
	createWorkflow(t, srv, body, "Idempotency-Key", "k")
	if n := len(srv.Workflows("Development")); n != 2 {
		t.Errorf("%d workflows, want 2 without idempotency", n)
	}
}
