package apply

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novugen/novugen/dsl"
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

// lostCreates is an emulator behind wraps (outermost first) and a config
// whose client gives up on an answer after 100 ms, so that a create held by
// a wrap is lost, and that waits settle for it. idempotency says whether the
// emulator honours Idempotency-Key.
func lostCreates(t *testing.T, idempotency bool, settle time.Duration, wraps ...func(http.Handler) http.Handler) (*novutest.Server, Config) {
	t.Helper()
	wrap := func(h http.Handler) http.Handler {
		for _, w := range slices.Backward(wraps) {
			h = w(h)
		}
		return h
	}
	srv := newServer(t, novutest.Options{DisableIdempotency: !idempotency, Wrap: wrap})
	cfg := testConfig(srv, true)
	cfg.RequestTimeout = 100 * time.Millisecond
	cfg.CreateSettle = settle
	return srv, cfg
}

// sleepOnCreate holds the nth create for d before the emulator sees it.
func sleepOnCreate(nth int64, d time.Duration) *creates {
	return &creates{hold: func(n int64) {
		if n == nth {
			time.Sleep(d)
		}
	}}
}

// requireCreates applies defs once, stops the test on any failure, and
// requires c to have seen want POSTs; why says what another count means.
func requireCreates(t *testing.T, cfg Config, defs []dsl.Definition, c *creates, want int64, why string) {
	t.Helper()
	r := apply(t, context.Background(), cfg, defs)
	if len(r.Failures) > 0 {
		t.Fatalf("failures: %+v", r.Failures)
	}
	if n := c.n.Load(); n != want {
		t.Errorf("%d POSTs; want %d%s", n, want, why)
	}
}

func TestLostCreateAnswerIsAwaitedNotResent(t *testing.T) {
	c := sleepOnCreate(1, 300*time.Millisecond) // past the client's 100 ms
	srv, cfg := lostCreates(t, false, 5*time.Second, c.wrap)
	defs := synth(1)
	requireCreates(t, cfg, defs, c, 1, ": the lost create landed and must be found, not sent again")
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
	srv, cfg := lostCreates(t, false, time.Nanosecond, c.wrap) // impatient: send again at once
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

// gets counts GET /v2/workflows/<id> per id and runs after before the
// emulator answers.
type gets struct {
	mu    sync.Mutex
	n     map[string]int
	after func(id string, n int)
}

func (g *gets) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := strings.CutPrefix(r.URL.Path, "/v2/workflows/"); ok && r.Method == http.MethodGet && !strings.Contains(id, "/") {
			g.mu.Lock()
			if g.n == nil {
				g.n = map[string]int{}
			}
			g.n[id]++
			n := g.n[id]
			g.mu.Unlock()
			if g.after != nil {
				g.after(id, n)
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (g *gets) count(id string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n[id]
}

// The wait lasts the whole CreateSettle: GETs at 0, S/15, 3S/15, 7S/15 and
// S, then a new POST.
func TestLostCreateIsAwaitedForTheWholeSettle(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	g := &gets{}
	var getsBeforeResend int
	c := &creates{hold: func(n int64) {
		switch n {
		case 1:
			<-release // lost for good
		case 2:
			getsBeforeResend = g.count("wf-000")
		}
	}}
	_, cfg := lostCreates(t, false, 1500*time.Millisecond, c.wrap, g.wrap)
	r := apply(t, context.Background(), cfg, synth(1))
	if len(r.Failures) > 0 {
		t.Fatalf("failures: %+v", r.Failures)
	}
	if getsBeforeResend != 1+5 { // the plan's read, then five while waiting
		t.Errorf("%d GETs before the second POST; want 6 (the plan's and 5 over the settle time)", getsBeforeResend)
	}
}

// A server that echoes Idempotency-Key deduplicates a repeated POST, so a
// lost create is sent again at once with the same key: no wait, and no
// duplicate.
func TestLostCreateIsResentAtOnceWhenTheServerHonoursKeys(t *testing.T) {
	// wf-001's first POST is lost; wf-000's answer must arrive to show the
	// echo, so the client waits a whole second for it (a loaded CI machine
	// with -race can take more than lostCreates' 100 ms), and the lost POST
	// is held three times as long.
	c := sleepOnCreate(2, 3*time.Second)
	srv, cfg := lostCreates(t, true, time.Minute, c.wrap)
	cfg.RequestTimeout = time.Second
	cfg.Concurrency = 1
	defs := synth(2)
	requireCreates(t, cfg, defs, c, 3, " (wf-001 sent again at once, not found by waiting)")
	assertConverged(t, srv, defs)
}

// Interrupting the run while it waits for a lost create ends the wait.
func TestInterruptEndsTheWaitForALostCreate(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := &gets{after: func(id string, n int) {
		if id == "wf-000" && n == 2 { // the first GET after the lost POST
			cancel()
		}
	}}
	c := &creates{hold: func(n int64) {
		if n == 1 {
			<-release
		}
	}}
	_, cfg := lostCreates(t, false, time.Hour, c.wrap, g.wrap) // only the interrupt can end it
	r := apply(t, ctx, cfg, synth(1))
	if !r.Interrupted || len(r.Failures) != 1 || !strings.Contains(r.Failures[0].Message, "has not landed (yet)") {
		t.Errorf("interrupted %v, failures %+v; want an interrupted run whose create is reported as not landed yet", r.Interrupted, r.Failures)
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("%d POSTs; an interrupted run must not send the create again", n)
	}
}

// Novu suffixes a workflowId in use with "-" and 4 characters of [0-9a-z]
// (shortId(4), current servers) or with shortid.generate(), 7 to 14
// characters of [A-Za-z0-9_-] (older servers).
func TestDuplicateOf(t *testing.T) {
	names := map[string]string{"order": "Order", "order-refund": "Refund", "wf-000": "W", "a": "A", "a-b": "AB"}
	for _, tt := range []struct {
		id, name string
		want     string
	}{
		{"order-a1b2", "Order", "order"},           // current: 4 of [0-9a-z]
		{"order-a1b2", "Another name", ""},         // a copy carries the name
		{"order-refund", "Refund", ""},             // declared: never a duplicate
		{"order-refund", "Order", ""},              // 6 characters: neither form
		{"order-ABCD", "Order", ""},                // 4, but upper case: not shortId
		{"order-a1b", "Order", ""},                 // 3
		{"order-PPBqWA9", "Order", "order"},        // older: shortid, 7
		{"order-Xy_7-Qa2b", "Order", "order"},      // shortid may hold _ and -
		{"order--ab_CD1", "Order", "order"},        // and start with one
		{"order-abcdefghijklmn", "Order", "order"}, // 14
		{"order-abcdefghijklmno", "Order", ""},     // 15
		{"order-a1b2c3", "Order", ""},              // 6: the old guess, no Novu's form
		{"wf-000-x9y8", "W", "wf-000"},
		{"nothing-a1b2", "Order", ""},
		{"a-b-1234567", "AB", "a-b"}, // two bases fit; the name decides
		{"a-b-1234567", "A", "a"},
	} {
		got, ok := duplicateOf(tt.id, tt.name, names)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("duplicateOf(%q, %q) = %q, %v; want %q", tt.id, tt.name, got, ok, tt.want)
		}
	}
}

// A duplicate of either suffix form, as Novu leaves it when a create lands
// twice (the original's name, the tag the original was created with), is
// found, named in the plan as a duplicate of its original, makes the plan
// pending even without -prune, and is removed by -prune.
func TestDuplicateOfEitherSuffixFormIsFoundNamedAndPruned(t *testing.T) {
	for _, dup := range []string{"wf-000-k3x9", "wf-000-Hk7_Qx2b"} {
		t.Run(dup, func(t *testing.T) {
			defs := synth(2)
			srv := applied(t, novutest.Options{Seed: 14}, defs)
			seedCopy(t, srv, defs[0], dup, defs[0].Name, "synthetic", WorkflowTag(testOwner, "wf-000"))

			p := plan(t, testConfig(srv, true), defs)
			if len(p.Prune) != 1 || p.Prune[0].WorkflowID != dup || p.Prune[0].DuplicateOf != "wf-000" {
				t.Fatalf("prune plan %+v; want %s as a duplicate of wf-000", p.Prune, dup)
			}
			if !p.Pending() {
				t.Error("a plan with a duplicate in Development is not pending; a duplicate is drift")
			}
			notes := strings.Join(p.Notes, "\n")
			for _, want := range []string{`"` + dup + `"`, `a duplicate of "wf-000"`, "answer was lost", "two runs"} {
				if !strings.Contains(notes, want) {
					t.Errorf("notes lack %q:\n%s", want, notes)
				}
			}

			cfg := testConfig(srv, true)
			cfg.Prune = true
			if r := apply(t, context.Background(), cfg, defs); !r.OK() || r.Summary.Pruned != 1 {
				t.Fatalf("summary %+v, failures %+v", r.Summary, r.Failures)
			}
			assertConverged(t, srv, defs)
		})
	}
}

// Novu answers 400 "Unable to generate a unique identifier" when the
// workflowId and both suffixed tries are taken: a failure that names the
// workflow and says what happened, not Novu's words alone.
func TestCreateRefusedForWantOfAUniqueIdentifierNamesTheWorkflow(t *testing.T) {
	refuse := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/v2/workflows" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"statusCode":400,"timestamp":"2025-01-01T00:00:00.000Z","path":"/v2/workflows","message":"Unable to generate a unique identifier. Please provide a different workflow name.Workflow 0","error":"Bad Request"}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	srv := newServer(t, novutest.Options{Wrap: refuse})
	r := apply(t, context.Background(), testConfig(srv, true), synth(1))
	if len(r.Failures) != 1 {
		t.Fatalf("failures %+v; want one", r.Failures)
	}
	f := r.Failures[0]
	if f.WorkflowID != "wf-000" || f.Operation != "create" || f.Status != 400 {
		t.Errorf("failure %+v; want wf-000's create, HTTP 400", f)
	}
	for _, want := range []string{`"wf-000"`, "Unable to generate a unique identifier", "already exists", "suffixed", "nothing was created", "re-run"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message lacks %q: %s", want, f.Message)
		}
	}
}

func TestConcurrentCreateIsAFailureNamingTheDuplicate(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 7})
	defs := synth(2)
	e := mustEngine(t, testConfig(srv, true))
	p, err := e.Plan(context.Background(), defs)
	if err != nil {
		t.Fatal(err)
	}
	// Someone else creates wf-001 between our 404 and our POST.
	srv.PutWorkflow("Development", novutest.Workflow{WorkflowID: "wf-001", Name: "Theirs",
		Steps: []novutest.Step{{StepID: "s", Name: "S", Type: "in_app", ControlValues: map[string]any{"body": "hi"}}}})
	r, err := e.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Failures) != 1 || r.Failures[0].WorkflowID != "wf-001" || r.Failures[0].Operation != "create" {
		t.Fatalf("failures %+v; want one create failure for wf-001", r.Failures)
	}
	msg := r.Failures[0].Message
	if !strings.Contains(msg, `requested workflowId "wf-001" but Novu created "wf-001-`) || !strings.Contains(msg, "delete the duplicate") {
		t.Errorf("message %q does not name both ids and what to do", msg)
	}
	if r.Workflows[1].Targets[0].Outcome != Skipped || r.Workflows[0].Outcome != Created {
		t.Errorf("results %+v; want wf-000 created and wf-001's syncs skipped", r.Workflows)
	}
}
