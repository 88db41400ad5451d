package apply

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

func TestColdRunCreatesSyncsAndSecondRunWritesNothing(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 1})
	defs := synth(3)
	r := apply(t, context.Background(), testConfig(srv, true), defs)
	if !r.OK() {
		t.Fatalf("cold run failed: %+v", r.Failures)
	}
	if diff := cmp.Diff(Summary{Created: 3, Synced: 6}, r.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	assertConverged(t, srv, defs)
	for _, w := range srv.Workflows("Development") {
		if !slices.Contains(w.Tags, WorkflowTag(testOwner, w.WorkflowID)) {
			t.Errorf("%s lacks the ownership tag: %v", w.WorkflowID, w.Tags)
		}
	}

	srv.ResetCounts()
	r = apply(t, context.Background(), testConfig(srv, true), defs)
	if c := srv.Counts(); c.Writes() != 0 || !r.OK() {
		t.Errorf("second run wrote %d times (want 0), failures %v", c.Writes(), r.Failures)
	}
	if diff := cmp.Diff(Summary{Unchanged: 3}, r.Summary); diff != "" {
		t.Errorf("second run summary (-want +got):\n%s", diff)
	}
}

func TestOneChangedFieldIsOneUpdateAndOneSyncPerTarget(t *testing.T) {
	defs := synth(3)
	srv := applied(t, novutest.Options{Seed: 2}, defs)
	before := testenv.StepIDs(srv)

	defs[1].Steps[2].ControlValues["subject"] = "Your order {{payload.orderId}}"
	p := plan(t, testConfig(srv, true), defs)
	want := []Change{{Path: "steps[email].controlValues.subject", Old: "Order {{payload.orderId}}", New: "Your order {{payload.orderId}}"}}
	if diff := cmp.Diff(want, p.Workflows[1].Changes); diff != "" {
		t.Errorf("plan changes (-want +got):\n%s", diff)
	}

	srv.ResetCounts()
	r := apply(t, context.Background(), testConfig(srv, true), defs)
	c := srv.Counts()
	if got := [3]int{c.Op("update").Writes, c.Op("sync").Writes, c.Writes()}; got != [3]int{1, 2, 3} {
		t.Errorf("writes: update, sync, total = %v; want [1 2 3]", got)
	}
	if diff := cmp.Diff(Summary{Updated: 1, Unchanged: 2, Synced: 2}, r.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, testenv.StepIDs(srv)); diff != "" {
		t.Errorf("step _ids changed (-before +after):\n%s", diff)
	}
	assertConverged(t, srv, defs)
}

func TestFaultsConverge(t *testing.T) {
	for _, tt := range []struct {
		name   string
		faults novutest.Faults
	}{
		{"5xx bursts", novutest.Faults{P500: 0.2, P503: 0.15}},
		{"429 bursts with Retry-After", novutest.Faults{Burst429: novutest.Burst429{Every: 5, Length: 3}}},
		{"connections cut after writes", novutest.Faults{CutAfterWrite: 0.4}},
		{"everything", novutest.Faults{P500: 0.1, P503: 0.1, CutAfterWrite: 0.3, Burst429: novutest.Burst429{Every: 7, Length: 2}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, novutest.Options{Seed: 42})
			defs := synth(4)
			// Cold run under faults: creates whose answer is lost must not
			// become duplicates.
			srv.SetFaults(tt.faults)
			converge(t, srv, defs, tt.faults)
			srv.SetFaults(novutest.Faults{})
			before := testenv.StepIDs(srv)

			// Changed run under faults: updates keep step identity.
			for i := range defs {
				defs[i].Description = "changed"
			}
			converge(t, srv, defs, tt.faults)
			if diff := cmp.Diff(before, testenv.StepIDs(srv)); diff != "" {
				t.Errorf("step _ids changed (-before +after):\n%s", diff)
			}
		})
	}
}

// converge runs apply under faults until a run reports success, as a CI
// retry would, then checks the end state. A run that reports success must
// be right; a run that reports failure must say why.
func converge(t *testing.T, srv *novutest.Server, defs []registry.Workflow, faults novutest.Faults) {
	t.Helper()
	srv.ResetCounts()
	for i := 0; ; i++ {
		if i == 5 {
			t.Fatal("no successful run after 5 attempts")
		}
		srv.SetFaults(faults)
		r := apply(t, context.Background(), testConfig(srv, true), defs)
		srv.SetFaults(novutest.Faults{})
		if i == 0 {
			c := srv.Counts()
			cut := 0
			for _, v := range c {
				cut += v.Cut
			}
			if c.Status(500)+c.Status(503)+c.Status(429)+cut == 0 {
				t.Fatal("no fault was injected: the test would prove nothing")
			}
		}
		for _, f := range r.Failures {
			if f.Message == "" || f.WorkflowID == "" {
				t.Errorf("failure without workflowId or message: %+v", f)
			}
		}
		if r.OK() {
			break
		}
	}
	assertConverged(t, srv, defs)
}

func TestKilledMidRunConverges(t *testing.T) {
	for _, n := range []int64{1, 4, 9} {
		ctx, cancel := context.WithCancel(context.Background())
		srv := newServer(t, novutest.Options{Seed: n, Wrap: cancelAfterWrites(n, cancel)})
		defs := synth(4)
		// One worker, so the kill after write n (of 12) always leaves
		// writes unstarted: with more, the rest may all be in flight
		// already, and those are rightly let finish.
		killed := testConfig(srv, true)
		killed.Concurrency = 1
		r := apply(t, ctx, killed, defs)
		if r.OK() || !r.Interrupted {
			t.Errorf("killed after %d writes: OK %v, Interrupted %v; want an interrupted, failed run", n, r.OK(), r.Interrupted)
		}
		cancel()
		r = apply(t, context.Background(), testConfig(srv, true), defs)
		if !r.OK() {
			t.Errorf("re-run after kill at %d: %+v", n, r.Failures)
		}
		assertConverged(t, srv, defs)
	}
}

// End to end: removing a skip rule from a declaration is planned as an
// update, applied, and leaves Novu without the rule.
func TestRemovedSkipIsAppliedAndConverges(t *testing.T) {
	defs := synth(2)
	srv := applied(t, novutest.Options{Seed: 11}, defs)

	delete(defs[0].Steps[2].ControlValues, "skip")
	p := plan(t, testConfig(srv, true), defs)
	if p.Workflows[0].Action != Update {
		t.Fatalf("plan after removing skip: %s; want an update of wf-000", describe(p))
	}
	r := apply(t, context.Background(), testConfig(srv, true), defs)
	if !r.OK() || r.Summary.Updated != 1 {
		t.Fatalf("summary %+v, failures %v", r.Summary, r.Failures)
	}
	w, _ := srv.Workflow("Development", "wf-000")
	if _, ok := w.Steps[2].ControlValues["skip"]; ok {
		t.Errorf("skip still stored after the update: %v", w.Steps[2].ControlValues)
	}
	assertConverged(t, srv, defs)
}

// TestNoPayloadSchemaConverges: a definition without a payload schema
// (dsl.NoSchema) is created with none, which Novu stores as its open
// schema; a workflow that has a schema loses it by one update, which
// sends null (Novu stores null); either way the next plan has nothing to do.
func TestNoPayloadSchemaConverges(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 3})
	defs := synth(2)
	schema := defs[1].PayloadSchema
	defs[0].PayloadSchema = nil
	apply(t, context.Background(), testConfig(srv, true), defs)
	if w, _ := srv.Workflow("Development", defs[0].WorkflowID); w.PayloadSchema["additionalProperties"] != true {
		t.Errorf("created without a schema: stored %v, want the open schema", w.PayloadSchema)
	}
	assertConverged(t, srv, defs)

	defs[1].PayloadSchema = nil
	p := plan(t, testConfig(srv, true), defs)
	want := []Change{{Path: "payloadSchema", Old: normalize(schema), New: nil}}
	if diff := cmp.Diff(want, p.Workflows[1].Changes); diff != "" {
		t.Errorf("plan changes (-want +got):\n%s", diff)
	}
	apply(t, context.Background(), testConfig(srv, true), defs)
	if w, _ := srv.Workflow("Development", defs[1].WorkflowID); w.PayloadSchema != nil {
		t.Errorf("updated without a schema: stored %v, want none", w.PayloadSchema)
	}
	assertConverged(t, srv, defs)
}
