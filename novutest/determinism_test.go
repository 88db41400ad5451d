package novutest_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
)

// faultPattern runs workers goroutines at once, each sending rounds GETs
// for its own workflowId, and returns each worker's answers in order: the
// status, and a 500's errorId.
func faultPattern(t *testing.T, seed int64, workers, rounds int) [][]string {
	t.Helper()
	srv := startWith(t, novutest.Options{Seed: seed, Faults: novutest.Faults{P500: 0.3, P503: 0.2}})
	out := make([][]string, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for range rounds {
				r := do(t, srv, "Development", "GET", fmt.Sprintf("/v2/workflows/wf-%d", g), nil)
				out[g] = append(out[g], fmt.Sprint(r.status, " ", r.body["errorId"]))
			}
		})
	}
	wg.Wait()
	return out
}

// TestFaultsAreDeterministicUnderConcurrency: a request's fault depends on
// the seed, the request and how many identical requests came before it, not
// on how concurrent requests interleave.
func TestFaultsAreDeterministicUnderConcurrency(t *testing.T) {
	first := faultPattern(t, 11, 8, 25)
	second := faultPattern(t, 11, 8, 25)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", diff)
	}
	faults := 0
	for g, seq := range first {
		mine := 0
		for _, st := range seq {
			if !strings.HasPrefix(st, "404 ") {
				mine++
			}
		}
		// Retries of one request are numbered, so they do not all share
		// the first attempt's fate.
		if mine == 0 || mine == len(seq) {
			t.Errorf("worker %d: %d faults in %d identical requests", g, mine, len(seq))
		}
		faults += mine
	}
	// 200 requests at P = 0.5: the seeded outcome is fixed; the bounds only
	// say the probabilities are honoured at all.
	if faults < 60 || faults > 140 {
		t.Errorf("%d faults in 200 requests at P = 0.5", faults)
	}
	if cmp.Equal(first, faultPattern(t, 12, 8, 25)) {
		t.Error("another seed gave the same faults")
	}
}

func TestSameSeedSameIdentifiers(t *testing.T) {
	run := func() []string {
		srv := startWith(t, novutest.Options{Seed: 42})
		createWorkflow(t, srv, createBody("wf", "WF"))
		createWorkflow(t, srv, createBody("wf", "WF"))
		var out []string
		for _, e := range srv.Environments() {
			out = append(out, e.ID, e.Identifier)
		}
		for _, w := range srv.Workflows("Development") {
			out = append(out, w.ID, w.WorkflowID, w.Steps[0].ID)
		}
		return out
	}
	if diff := cmp.Diff(run(), run()); diff != "" {
		t.Errorf("two runs with one seed differ (-first +second):\n%s", diff)
	}
}
