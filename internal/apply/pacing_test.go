package apply

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novugen/novugen/novutest"
)

// A cold run at -concurrency 16 against buckets of ten tokens meets no 429:
// the clients pace themselves from the RateLimit-* headers, whatever the
// worker count. Without pacing, sixteen workers overrun a bucket of ten at
// once.
func TestColdRunAtConcurrency16MeetsNo429(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 3, RateLimit: 200, Burst: 10})
	cfg := testConfig(srv, true)
	cfg.Concurrency = 16
	defs := synth(30)
	r := apply(t, context.Background(), cfg, defs)
	if !r.OK() || r.Summary.Created != 30 || r.Summary.Synced != 60 {
		t.Fatalf("summary %+v, failures %+v; want 30 created and 60 synced", r.Summary, r.Failures)
	}
	c := srv.Counts()
	if n := c.Status(http.StatusTooManyRequests); n != 0 || r.Retries != 0 {
		t.Errorf("the emulator answered %d requests with 429 (%d retries); want none", n, r.Retries)
	}
	if dev := c.Op("create").Requests + c.Op("sync").Requests; dev <= 10 {
		t.Fatalf("%d writes: the run never went past one burst, the test proves nothing", dev)
	}
	assertConverged(t, srv, defs)
	if n := srv.Counts().Status(http.StatusTooManyRequests); n != 0 {
		for k, v := range srv.Counts() {
			if v.Status[http.StatusTooManyRequests] > 0 {
				t.Logf("%s in %s: %d answered 429", k.Op, k.Env, v.Status[http.StatusTooManyRequests])
			}
		}
		t.Errorf("the plan after the run met %d 429s", n)
	}
}

// Reads change nothing, so -concurrency does not bound them: at
// -concurrency 1 a plan still reads several workflows at once from the
// source (and each workflow's targets together, with their own keys).
func TestPlanReadsMoreWorkflowsAtOnceThanConcurrency(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	var source string // the Development key's Authorization header
	srv := newServer(t, novutest.Options{Seed: 4, Latency: 20 * time.Millisecond, Wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			get := r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v2/workflows/") &&
				r.Header.Get("Authorization") == source
			if get {
				mu.Lock()
				inFlight++
				most = max(most, inFlight)
				mu.Unlock()
				defer func() {
					mu.Lock()
					inFlight--
					mu.Unlock()
				}()
			}
			h.ServeHTTP(w, r)
		})
	}})
	source = "ApiKey " + srv.Key("Development")
	cfg := testConfig(srv, true)
	cfg.Concurrency = 1
	defs := synth(20)
	if r := apply(t, context.Background(), cfg, defs); !r.OK() {
		t.Fatalf("failures %+v", r.Failures)
	}
	mu.Lock()
	most = 0
	mu.Unlock()
	if p := plan(t, cfg, defs); p.Pending() {
		t.Fatalf("plan after the run: %s", describe(p))
	}
	if most <= 1 {
		t.Errorf("at most %d source read in flight at -concurrency 1; want the plan's reads to fan out", most)
	}
}
