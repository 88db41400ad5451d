package apply

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/novutest"
)

// Two repositories applying their own registries to one organization: a
// prune by one never deletes what the other created.
func TestPruneLeavesAnotherRegistrysWorkflows(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 8})
	ours := synth(2)
	theirs := synth(4)[2:] // wf-002, wf-003
	other := testConfig(srv, true)
	other.Owner = "example.com/other-team/workflows"
	if r := apply(t, context.Background(), other, theirs); !r.OK() {
		t.Fatalf("other registry: %+v", r.Failures)
	}
	cfg := testConfig(srv, true)
	cfg.Prune = true
	r := apply(t, context.Background(), cfg, ours)
	if !r.OK() || r.Summary.Pruned != 0 || len(r.Plan.Prune) != 0 {
		t.Fatalf("prune by our registry: summary %+v, prune plan %+v, failures %v; want nothing pruned", r.Summary, r.Plan.Prune, r.Failures)
	}
	for _, d := range append(slices.Clone(ours), theirs...) {
		if _, ok := srv.Workflow("Development", d.WorkflowID); !ok {
			t.Errorf("%s is gone from Development", d.WorkflowID)
		}
	}
	if r.Plan.OwnerTag == OwnerTag(other.Owner) || !strings.HasPrefix(r.Plan.OwnerTag, OwnerTagPrefix) || len(r.Plan.OwnerTag) > 32 {
		t.Errorf("owner tag %q: want a novugen: tag of at most 32 characters, distinct per registry", r.Plan.OwnerTag)
	}
}

// A workflow made in the dashboard and later declared is managed (updated,
// synced) but never carries the ownership tag, so leaving the registry
// never deletes it.
func TestAdoptedWorkflowIsManagedButNeverPruned(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 9})
	defs := synth(2)
	srv.PutWorkflow("Development", novutest.Workflow{WorkflowID: "wf-001", Name: "Made in the dashboard", Tags: []string{"ops"},
		Steps: []novutest.Step{{StepID: "notice", Name: "Notice", Type: "in_app", ControlValues: map[string]any{"body": "hi"}}}})

	r := apply(t, context.Background(), testConfig(srv, true), defs)
	if !r.OK() || r.Summary.Created != 1 || r.Summary.Updated != 1 {
		t.Fatalf("summary %+v, failures %v; want wf-000 created and wf-001 adopted by an update", r.Summary, r.Failures)
	}
	assertConverged(t, srv, defs)
	w, _ := srv.Workflow("Development", "wf-001")
	if slices.Contains(w.Tags, testTag) {
		t.Errorf("adopted workflow got the ownership tag: %v", w.Tags)
	}

	cfg := testConfig(srv, true)
	cfg.Prune = true
	if r := apply(t, context.Background(), cfg, defs[:1]); !r.OK() || r.Summary.Pruned != 0 {
		t.Errorf("summary %+v, failures %v; want nothing pruned", r.Summary, r.Failures)
	}
	if _, ok := srv.Workflow("Development", "wf-001"); !ok {
		t.Error("-prune deleted a workflow this tool did not create")
	}
}

func TestPruneRefusesAnEmptyRegistry(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	cfg := testConfig(srv, true)
	cfg.Prune = true
	_, err := mustEngine(t, cfg).Plan(context.Background(), []dsl.Definition{})
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "empty registry") {
		t.Errorf("err = %v; want a UsageError about the empty registry", err)
	}
	if w := srv.Counts().Writes(); w != 0 {
		t.Errorf("%d writes", w)
	}
}

// When the owner changes (the generated package moved, or an older novugen
// wrote the bare "novugen" tag), updates keep the tags they find: nothing is
// stripped, the plan says whose tag it is, and this registry's -prune leaves
// those workflows alone.
func TestAnotherOwnersTagIsKeptAndWarnedAbout(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 10})
	defs := synth(3)
	before := testConfig(srv, true)
	before.Owner = "example.com/shop/old/gen"
	if r := apply(t, context.Background(), before, defs); !r.OK() {
		t.Fatalf("first run: %+v", r.Failures)
	}
	srv.ResetCounts()

	cfg := testConfig(srv, true)
	cfg.Prune = true
	r := apply(t, context.Background(), cfg, defs[:2])
	if !r.OK() || srv.Counts().Writes() != 0 || len(r.Plan.Prune) != 0 {
		t.Fatalf("summary %+v, %d writes, prune %+v, failures %v; want nothing written or pruned", r.Summary, srv.Counts().Writes(), r.Plan.Prune, r.Failures)
	}
	old := OwnerTag(before.Owner)
	for _, w := range r.Plan.Workflows {
		if !strings.Contains(strings.Join(w.Warnings, "\n"), old) {
			t.Errorf("%s: warnings %q do not name the other owner's tag %s", w.WorkflowID, w.Warnings, old)
		}
	}
	for _, d := range defs {
		w, ok := srv.Workflow("Development", d.WorkflowID)
		if !ok || !slices.Contains(w.Tags, old) {
			t.Errorf("%s: present %v, tags %v; want it kept with %s", d.WorkflowID, ok, w.Tags, old)
		}
	}
}
