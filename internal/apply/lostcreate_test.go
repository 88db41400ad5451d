package apply

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novugen/novugen/novutest"
)

// Without Novu's idempotency flag (the emulator's DisableIdempotency), a
// create whose answer is lost but which the backend still completes is the
// one way a second POST makes a suffixed duplicate. These tests stage it: the
// first POST is answered after the client gave up on it, but applied.

// creates counts POST /v2/workflows and lets a test hold each one before
// the emulator sees it.
type creates struct {
	n    atomic.Int64
	hold func(n int64) // runs before the n-th create reaches the emulator
	list func()        // runs before a list reaches the emulator
}

func (c *creates) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/workflows" {
			switch r.Method {
			case http.MethodPost:
				if n := c.n.Add(1); c.hold != nil {
					c.hold(n)
				}
			case http.MethodGet:
				if c.list != nil {
					c.list()
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}

func TestLostCreateAnswerIsAwaitedNotResent(t *testing.T) {
	c := &creates{hold: func(n int64) {
		if n == 1 {
			time.Sleep(300 * time.Millisecond) // past the client's 100 ms
		}
	}}
	srv := newServer(t, novutest.Options{DisableIdempotency: true, Wrap: c.wrap})
	cfg := testConfig(srv, true)
	cfg.RequestTimeout = 100 * time.Millisecond
	cfg.CreateSettle = 5 * time.Second
	defs := synth(1)

	r := apply(t, context.Background(), cfg, defs)
	if len(r.Failures) > 0 {
		t.Fatalf("failures: %+v", r.Failures)
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("%d POSTs; want 1: the lost create landed and must be found, not sent again", n)
	}
	assertConverged(t, srv, defs)
}

func TestCreateThatLandsTwiceIsReportedAndPruned(t *testing.T) {
	second, first := make(chan struct{}), make(chan struct{})
	wait := func(ch chan struct{}) {
		select {
		case <-ch:
		case <-time.After(10 * time.Second): // a broken test, not a slow one
		}
	}
	c := &creates{}
	c.hold = func(n int64) {
		switch n {
		case 1: // lost: applied only after the second POST was
			wait(second)
			go func() { time.Sleep(50 * time.Millisecond); close(first) }()
		case 2:
			go func() { time.Sleep(50 * time.Millisecond); close(second) }()
		}
	}
	c.list = func() {
		if c.n.Load() >= 2 {
			wait(first)
		}
	}
	srv := newServer(t, novutest.Options{DisableIdempotency: true, Wrap: c.wrap})
	cfg := testConfig(srv, true)
	cfg.RequestTimeout = 100 * time.Millisecond
	cfg.CreateSettle = time.Nanosecond // impatient: send again at once
	defs := synth(1)

	r := apply(t, context.Background(), cfg, defs)
	if len(r.Failures) != 1 || !strings.Contains(r.Failures[0].Message, `Novu also holds "wf-000-`) || !strings.Contains(r.Failures[0].Message, "-prune") {
		t.Fatalf("failures %+v; want one naming the duplicate and -prune", r.Failures)
	}
	if got := len(srv.Workflows("Development")); got != 2 {
		t.Fatalf("Development holds %d workflows; the staged duplicate did not happen", got)
	}

	cfg.CreateSettle = 0
	p := plan(t, cfg, defs)
	if len(p.Prune) != 1 || p.Prune[0].DuplicateOf != "wf-000" {
		t.Fatalf("prune plan %+v; want the duplicate of wf-000", p.Prune)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "a duplicate of \"wf-000\"") {
		t.Errorf("notes %q do not name the duplicate", p.Notes)
	}
	cfg.Prune = true
	if r := apply(t, context.Background(), cfg, defs); len(r.Failures) > 0 {
		t.Fatalf("pruning run failed: %+v", r.Failures)
	}
	assertConverged(t, srv, defs)
}
