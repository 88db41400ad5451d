package novutest_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestServerFaults(t *testing.T) {
	srv := startWith(t, novutest.Options{Faults: novutest.Faults{P503: 1}})
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
	srv := startWith(t, novutest.Options{Faults: novutest.Faults{CutAfterWrite: 1}})
	status, err := rawDo(srv, "POST", "/v2/workflows", "application/json", string(mustJSON(t, createBody("wf", "WF"))), srv.Key("Development"))
	if err == nil {
		t.Fatalf("cut write answered %d", status)
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

func TestFault503CarriesRetryAfter(t *testing.T) {
	srv := startWith(t, novutest.Options{Faults: novutest.Faults{P503: 1, RetryAfter503: 2}})
	r := do(t, srv, "Development", "GET", "/v2/workflows?limit=5", nil)
	expect(t, r, 503)
	if got := r.header.Get("Retry-After"); got != "2" {
		t.Errorf("503 Retry-After %q, want 2", got)
	}
	want := map[string]any{"statusCode": float64(503), "message": "Service Unavailable", "path": "/v2/workflows?limit=5"}
	for k, v := range want {
		if r.body[k] != v {
			t.Errorf("503 %s = %v, want %v", k, r.body[k], v)
		}
	}
}
