package apply

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
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
	refusedBeforeWrites(t, srv, cfg, []registry.Workflow{}, "empty registry")
}

// seedCopy creates, through the emulator's API, a copy of def under
// workflowID with name and tags: what Novu leaves when a create lands twice
// (def's id plus a suffix, def's name and the tags it was created with), or
// what a copy made in the dashboard or by a script looks like.
func seedCopy(t *testing.T, srv *novutest.Server, def registry.Workflow, workflowID, name string, tags ...string) {
	t.Helper()
	c, err := novu.New(novu.Config{BaseURL: srv.URL(), Key: novu.Secret(srv.Key("Development")), MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	def.WorkflowID, def.Name, def.Tags = workflowID, name, tags
	got, err := c.CreateWorkflow(context.Background(), novu.NewCreateRequest(def))
	if err != nil || got.WorkflowID != workflowID {
		t.Fatalf("seeding %s: %v (got %+v)", workflowID, err, got)
	}
}

// The ownership tag binds the owner and the workflowId it was created for,
// within the 32 characters per tag Novu's dashboard accepts.
func TestOwnershipTagBindsOwnerAndWorkflowID(t *testing.T) {
	a, b := WorkflowTag(testOwner, "wf-000"), WorkflowTag(testOwner, "wf-001")
	other := WorkflowTag("example.com/other-team/workflows", "wf-000")
	if a == b || a == other || !strings.HasPrefix(a, OwnerTag(testOwner)+":") || len(a) > 32 {
		t.Errorf("tags %q, %q, %q: want distinct per workflowId and owner, %s:…, at most 32 characters", a, b, other, OwnerTag(testOwner))
	}

	defs := synth(2)
	srv := applied(t, novutest.Options{Seed: 11}, defs)
	for _, d := range defs {
		w, _ := srv.Workflow("Development", d.WorkflowID)
		if want := []string{"synthetic", WorkflowTag(testOwner, d.WorkflowID)}; !slices.Equal(w.Tags, want) {
			t.Errorf("%s carries %q; want %q", d.WorkflowID, w.Tags, want)
		}
	}
}

// A copy of a managed workflow, made in the dashboard or by a script under
// another workflowId, keeps the original's tags; it is still not this
// registry's: -prune leaves it, and the plan says why.
func TestACopyUnderAnotherIDIsNeverPruned(t *testing.T) {
	defs := synth(2)
	srv := applied(t, novutest.Options{Seed: 12}, defs)
	tag := WorkflowTag(testOwner, "wf-000")
	seedCopy(t, srv, defs[0], "wf-000-v2", "Workflow 0", "synthetic", tag)             // a copy under a new id
	seedCopy(t, srv, defs[0], "wf-000-copy", "Workflow 0 (Copy)", "synthetic", tag)    // suffix-like id, another name
	seedCopy(t, srv, defs[0], "copy-of-wf-000", "Workflow 0", "synthetic", tag)        // same name, unrelated id
	seedCopy(t, srv, defs[1], "wf-001-k3x9", "Workflow 1", "synthetic", tag)           // suffix form, but the tag binds wf-000
	seedCopy(t, srv, defs[0], "wf-000-a1b2", "Workflow 0", "synthetic", OwnerTag("x")) // another owner's

	cfg := testConfig(srv, true)
	cfg.Prune = true
	p := plan(t, cfg, defs)
	if len(p.Prune) != 0 || p.Pending() {
		t.Fatalf("prune plan %+v, pending %v; want nothing to prune and nothing pending", p.Prune, p.Pending())
	}
	notes := strings.Join(p.Notes, "\n")
	for _, id := range []string{"wf-000-v2", "wf-000-copy", "copy-of-wf-000", "wf-001-k3x9"} {
		if !strings.Contains(notes, `"`+id+`"`) {
			t.Errorf("notes do not name the copy %s:\n%s", id, notes)
		}
	}
	if strings.Contains(notes, "wf-000-a1b2") {
		t.Errorf("notes name another owner's workflow:\n%s", notes)
	}
	if r := apply(t, context.Background(), cfg, defs); !r.OK() || r.Summary.Pruned != 0 {
		t.Fatalf("summary %+v, failures %+v", r.Summary, r.Failures)
	}
	if n := len(srv.Workflows("Development")); n != 7 {
		t.Errorf("Development holds %d workflows; want all 7", n)
	}
}

// An update writes exactly the declared tags, plus this registry's own
// ownership tag when it created the workflow. Ownership tags of others
// (another registry, this one under an earlier owner, the bare "novugen" of
// the oldest scheme) are dropped, and the plan names each: kept, they would
// let the registry that wrote them delete a workflow managed here.
func TestUpdateDropsOwnershipTagsThatAreNotOurs(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 10})
	defs := synth(4)
	theirs := testConfig(srv, true)
	theirs.Owner = "example.com/other-team/workflows"
	if r := apply(t, context.Background(), theirs, defs[:2]); !r.OK() { // wf-000, wf-001: theirs, bound tags
		t.Fatalf("their registry: %+v", r.Failures)
	}
	old := OwnerTag("example.com/shop/old/gen") // an earlier owner of this registry, before binding
	seedCopy(t, srv, defs[2], "wf-002", defs[2].Name, "synthetic", old)
	seedCopy(t, srv, defs[3], "wf-003", defs[3].Name, "synthetic", "novugen")
	srv.ResetCounts()

	r := apply(t, context.Background(), testConfig(srv, true), defs[1:]) // we manage wf-001 .. wf-003
	if !r.OK() || r.Summary.Updated != 3 {
		t.Fatalf("summary %+v, failures %+v; want three updates", r.Summary, r.Failures)
	}
	for _, w := range r.Plan.Workflows {
		d, _ := srv.Workflow("Development", w.WorkflowID)
		if !slices.Equal(d.Tags, []string{"synthetic"}) {
			t.Errorf("%s carries %q after the update; want the declared tags only", w.WorkflowID, d.Tags)
		}
		warn := strings.Join(w.Warnings, "\n")
		if !strings.Contains(warn, "drops the ownership tag") {
			t.Errorf("%s: warnings %q do not name the dropped tag", w.WorkflowID, w.Warnings)
		}
	}
	if !strings.Contains(strings.Join(r.Plan.Workflows[0].Warnings, ""), WorkflowTag(theirs.Owner, "wf-001")) ||
		!strings.Contains(strings.Join(r.Plan.Workflows[1].Warnings, ""), old) ||
		!strings.Contains(strings.Join(r.Plan.Workflows[2].Warnings, ""), `"novugen"`) {
		t.Errorf("warnings do not name each tag: %+v", r.Plan.Workflows)
	}
	// Their registry drops wf-001: its -prune must not delete what we manage.
	theirs.Prune = true
	if r := apply(t, context.Background(), theirs, defs[:1]); !r.OK() || r.Summary.Pruned != 0 {
		t.Fatalf("their prune: summary %+v, prune %+v, failures %+v; want nothing pruned", r.Summary, r.Plan.Prune, r.Failures)
	}
	if _, ok := srv.Workflow("Development", "wf-001"); !ok {
		t.Fatal("their -prune deleted wf-001, which this registry manages")
	}
	// And nothing flips back: the next plan of ours has nothing to do.
	if p := plan(t, testConfig(srv, true), defs[1:]); p.Pending() {
		t.Errorf("second plan still pending: %s", describe(p))
	}
}

// Tags written by the scheme before binding ("novugen:" and the owner hash
// alone) cannot tell a workflow created under its id from a copy that kept
// the tag: a declared workflow carrying one is updated without it (named in
// the plan) and stays adopted, never pruned; a workflow that left the
// registry with one is named but not pruned; a suffixed duplicate of a
// declared workflow with it is pruned.
func TestUnboundTagsAreDroppedAndPruneOnlyDuplicates(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 13})
	defs := synth(3)
	legacy := OwnerTag(testOwner)
	seedCopy(t, srv, defs[0], "wf-000", defs[0].Name, "synthetic", legacy)
	seedCopy(t, srv, defs[1], "wf-001", defs[1].Name, "synthetic", legacy) // left the registry
	seedCopy(t, srv, defs[0], "wf-000-p9q8", defs[0].Name, "synthetic", legacy)
	keep := []registry.Workflow{defs[0]}

	cfg := testConfig(srv, true)
	cfg.Prune = true
	p := plan(t, cfg, keep)
	if w := p.Workflows[0]; w.Action != Update || len(w.Warnings) != 1 || !strings.Contains(w.Warnings[0], strconv.Quote(legacy)) || !strings.Contains(w.Warnings[0], "never deletes") {
		t.Errorf("wf-000: %s, warnings %q; want an update dropping %s, named once", w.Action, w.Warnings, legacy)
	}
	if len(p.Prune) != 1 || p.Prune[0].WorkflowID != "wf-000-p9q8" || p.Prune[0].DuplicateOf != "wf-000" {
		t.Fatalf("prune plan %+v; want only the duplicate of wf-000", p.Prune)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, `"wf-001"`) || !strings.Contains(notes, "not pruned") {
		t.Errorf("notes do not say wf-001 is not pruned:\n%s", notes)
	}
	if r := apply(t, context.Background(), cfg, keep); !r.OK() || r.Summary.Pruned != 1 {
		t.Fatalf("summary %+v, failures %+v", r.Summary, r.Failures)
	}
	w, _ := srv.Workflow("Development", "wf-000")
	if want := []string{"synthetic"}; !slices.Equal(w.Tags, want) {
		t.Errorf("wf-000 carries %q; want %q (adopted: no ownership tag)", w.Tags, want)
	}
	// Adopted, so leaving the registry does not make it prunable.
	if p := plan(t, cfg, defs[2:]); slices.ContainsFunc(p.Prune, func(pp PrunePlan) bool { return pp.WorkflowID == "wf-000" }) {
		t.Errorf("wf-000, whose unbound tag was dropped, is a prune candidate once it left the registry: %+v", p.Prune)
	}
	if _, ok := srv.Workflow("Development", "wf-001"); !ok {
		t.Error("wf-001, tagged by the scheme before binding, was pruned")
	}
}

func TestPruneDeletesOnlyOwnedWorkflowsThatLeftTheRegistry(t *testing.T) {
	defs := synth(3)
	srv := applied(t, novutest.Options{Seed: 6}, defs)
	srv.PutWorkflow("Development", novutest.Workflow{WorkflowID: "hand-made", Name: "Hand made", Tags: []string{"ops"},
		Steps: []novutest.Step{{StepID: "s", Name: "S", Type: "in_app", ControlValues: map[string]any{"body": "hi"}}}})
	kept := defs[:2]

	p := plan(t, testConfig(srv, true), kept)
	if len(p.Prune) != 1 || p.Prune[0].WorkflowID != "wf-002" {
		t.Fatalf("prune candidates %+v; want only wf-002", p.Prune)
	}
	// Listed, not deleted, without -prune.
	apply(t, context.Background(), testConfig(srv, true), kept)
	if _, ok := srv.Workflow("Development", "wf-002"); !ok {
		t.Fatal("wf-002 deleted without Prune")
	}

	cfg := testConfig(srv, true)
	cfg.Prune = true
	r := apply(t, context.Background(), cfg, kept)
	if r.Summary.Pruned != 1 || !r.OK() {
		t.Errorf("summary %+v, failures %v", r.Summary, r.Failures)
	}
	if _, ok := srv.Workflow("Development", "wf-002"); ok {
		t.Error("wf-002 still in Development after Prune")
	}
	if _, ok := srv.Workflow("Development", "hand-made"); !ok {
		t.Error("Prune deleted a workflow novugen did not create")
	}
	if _, ok := srv.Workflow("Production", "wf-002"); !ok {
		t.Error("Prune touched a synced copy; copies in targets stay")
	}
}

// Deletes cannot be undone: a run in which anything failed (a read in the
// plan, a write) is one a person must look at, and the workflows that left
// the registry are deleted by the next clean run, not this one.
func TestPruneIsSkippedWhenAnythingFailed(t *testing.T) {
	var broken atomic.Bool
	defs := synth(3)
	srv := applied(t, novutest.Options{Seed: 12, Wrap: testenv.RefuseGET("/v2/workflows/wf-000", http.StatusInternalServerError, "Internal server error", &broken)}, defs)
	kept := defs[:2]
	kept[1].Name = "Renamed" // an update, so that the run writes
	broken.Store(true)

	cfg := testConfig(srv, true)
	cfg.Prune = true
	cfg.MaxRetries = 1
	e := mustEngine(t, cfg)
	p, err := e.Plan(context.Background(), kept)
	if err != nil {
		t.Fatal(err)
	}
	if p.Workflows[0].Action != Failed || len(p.Prune) != 1 {
		t.Fatalf("plan: %s prune %v; want wf-000 failed and wf-002 listed", describe(p), p.Prune)
	}
	r, err := e.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Workflow("Development", "wf-002"); !ok {
		t.Fatal("wf-002 was deleted by a run whose plan failed to read wf-000")
	}
	if len(r.Pruned) != 1 || r.Pruned[0].Outcome != Skipped || !strings.Contains(r.Pruned[0].Reason, "failed") {
		t.Errorf("pruned %+v; want wf-002 skipped with the reason", r.Pruned)
	}
	if r.Summary.Updated != 1 || r.OK() || r.Interrupted {
		t.Errorf("summary %+v ok %v interrupted %v; want wf-001 updated, not OK, not interrupted", r.Summary, r.OK(), r.Interrupted)
	}
}
