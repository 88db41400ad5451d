package main

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
)

// A cold plan pends every workflow; the apply creates and syncs them;
// an edit in Production's dashboard is drift the plan shows field by
// field, and an apply repairs it. Golden:
// testdata/output/TestApplyPlanDriftAndRepair.txtar.
func TestApplyPlanDriftAndRepair(t *testing.T) {
	h := newCmdHarness(t, withProduction)

	r := h.run("-plan", "-detailed-exitcode")
	if r.code != 2 || h.srv.Counts().Writes() != 0 {
		t.Fatalf("cold plan: exit %d, %d writes; want 2 and none\n%s", r.code, h.srv.Counts().Writes(), r.stderr)
	}
	r = h.record("apply")
	if r.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// Staging has no key of its own here: it cannot be read, so it is
	// synced every time, and the plan says so.
	h.requireNoDrift("after apply")
	if err := h.srv.EditWorkflow("Production", "order-shipped", func(w *novutest.Workflow) { w.Description = "hand edit" }); err != nil {
		t.Fatal(err)
	}
	r = h.record("drift-plan", "-plan", "-detailed-exitcode", "-to", "Production")
	if r.code != 2 {
		t.Fatalf("drift plan: exit %d\n%s", r.code, r.stdout)
	}
	if r = h.run("-to", "Production"); r.code != 0 {
		t.Fatalf("repair: exit %d\n%s", r.code, r.stderr)
	}
	h.requireNoDrift("after repair")
}

// A plan that could not read a workflow is not a plan: it cannot say
// whether that workflow is pending, so -plan must fail (1), and under
// -detailed-exitcode 2 must keep meaning only "changes pending"; stderr
// names the workflow. Golden: testdata/output/TestPlanWithAFailedReadExitsOne.txtar.
func TestPlanWithAFailedReadExitsOne(t *testing.T) {
	// Novu refuses one read with a 400 (some versions answer an unknown
	// workflow that way, docs/novu-api.md §14.13): not retried, not "absent".
	var broken atomic.Bool
	h := newCmdHarnessWith(t, novutest.Options{Wrap: testenv.RefuseGET("/v2/workflows/"+gen.OrderShipped, http.StatusBadRequest, "Workflow cannot be found", &broken)})
	// The other workflows exist and are in sync, so nothing else is pending.
	if r := h.run(); r.code != 0 {
		t.Fatalf("setup run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	broken.Store(true)
	for _, args := range [][]string{{"-plan"}, {"-plan", "-detailed-exitcode"}, {"-plan", "-json"}} {
		r := h.run(args...)
		if r.code != 1 {
			t.Errorf("%v: exit %d; want 1\nstdout %s\nstderr %s", args, r.code, r.stdout, r.stderr)
		}
		h.g.add(strings.TrimPrefix(strings.ReplaceAll(strings.Join(args, " "), " -", "_"), "-")+".stderr", r.stderr)
	}
}
