package apply

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
)

// A control the definition stopped setting is still stored in Novu, and the
// PUT (full controlValues) would remove it: a plan that calls the workflow
// unchanged would leave, say, an old skip rule in production for good.
func TestCompareSeesAControlTheDefinitionStoppedSetting(t *testing.T) {
	def := sampleDef()
	for _, tt := range []struct {
		name string
		edit func(got map[string]any)
		want []Change
	}{
		{"skip removed", func(cv map[string]any) {
			cv["skip"] = map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}
		}, nil}, // the baseline: def sets the same skip
		{"stale key", func(cv map[string]any) { cv["layoutId"] = "old-layout" },
			[]Change{{Path: "steps[email].controlValues.layoutId", Old: "old-layout", New: nil}}},
		{"stale nested key", func(cv map[string]any) {
			cv["skip"] = map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}, "!=": []any{1, 2}}
		}, []Change{{Path: "steps[email].controlValues.skip",
			Old: map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}, "!=": []any{1.0, 2.0}},
			New: map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}}}},
		{"a documented server default is not a change", func(cv map[string]any) { cv["disableOutputSanitization"] = false }, nil},
		{"a default value that differs is a change", func(cv map[string]any) { cv["disableOutputSanitization"] = true },
			[]Change{{Path: "steps[email].controlValues.disableOutputSanitization", Old: true, New: nil}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := remoteOf(t, def)
			tt.edit(got.Steps[1].ControlValues)
			if diff := cmp.Diff(tt.want, compare(def, got)); diff != "" {
				t.Errorf("compare (-want +got):\n%s", diff)
			}
		})
	}
}

// End to end: removing a skip rule from a declaration is planned as an
// update, applied, and leaves Novu without the rule.
func TestRemovedSkipIsAppliedAndConverges(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 11})
	defs := synth(2)
	apply(t, context.Background(), testConfig(srv, true), defs)

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

// failGET answers 500 to every GET of path while on is set, like a server
// that cannot read one workflow today.
func failGET(path string, on *atomic.Bool) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if on.Load() && r.Method == http.MethodGet && r.URL.Path == path {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"statusCode":500,"timestamp":"2026-01-01T00:00:00.000Z","path":"` + path + `","message":"Internal server error"}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// Deletes cannot be undone: a run in which anything failed (a read in the
// plan, a write) is one a person must look at, and the workflows that left
// the registry are deleted by the next clean run, not this one.
func TestPruneIsSkippedWhenAnythingFailed(t *testing.T) {
	var broken atomic.Bool
	srv := newServer(t, novutest.Options{Seed: 12, Wrap: failGET("/v2/workflows/wf-000", &broken)})
	defs := synth(3)
	apply(t, context.Background(), testConfig(srv, true), defs)
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

// foldCase makes the emulator look workflows up case-insensitively, as a
// server might: GET /v2/workflows/WF-000 answers wf-000.
func foldCase(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/v2/workflows/"); ok {
			r.URL.Path = "/v2/workflows/" + strings.ToLower(rest)
			r.URL.RawPath = ""
		}
		h.ServeHTTP(w, r)
	})
}

// A read that answers another workflow than the one asked for must not
// become an update of that other workflow: with a server that folds case,
// the registry's WF-000 would overwrite the existing wf-000.
func TestReadOfAnotherWorkflowIdIsAFailureNotAnUpdate(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 13, Wrap: foldCase})
	defs := synth(1)
	apply(t, context.Background(), testConfig(srv, true), defs)

	upper := synth(1)
	upper[0].WorkflowID, upper[0].Name = "WF-000", "Upper case"
	srv.ResetCounts()
	r := apply(t, context.Background(), testConfig(srv, true), upper)
	if c := srv.Counts(); c.Writes() != 0 {
		t.Errorf("%d writes; want none", c.Writes())
	}
	if w, _ := srv.Workflow("Development", "wf-000"); w.Name != "Workflow 0" {
		t.Errorf("wf-000 was overwritten: name %q", w.Name)
	}
	if len(r.Failures) != 1 || r.Failures[0].Operation != "read" || !strings.Contains(r.Failures[0].Message, `"wf-000"`) {
		t.Errorf("failures %+v; want one read failure naming wf-000", r.Failures)
	}
}

// Ids Novu's path parser reads as an _id or a slug would address another
// workflow: the engine refuses them before any request, whoever built the
// registry (cmd/apply -registry reads any file).
func TestMisreadIdsSendNothing(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 14})
	for _, id := range []string{"6650c0ffee0000000000a001", "6650C0FFEE0000000000A001", "order_wf_abc", "x_st_1", "a_env_b"} {
		t.Run(id, func(t *testing.T) {
			defs := synth(2)
			defs[1].WorkflowID = id
			srv.ResetCounts()
			_, err := mustEngine(t, testConfig(srv, true)).Plan(context.Background(), defs)
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("plan error %v; want *InvalidError", err)
			}
			if n := srv.Counts().Total(); n != 0 {
				t.Errorf("%d requests sent for an invalid registry", n)
			}
		})
	}
}

// ignoreEnvironmentID is a server that drops ?environmentId= instead of
// honouring or refusing it: every read answers the key's own environment.
func ignoreEnvironmentID(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		q.Del("environmentId")
		r.URL.RawQuery = q.Encode()
		h.ServeHTTP(w, r)
	})
}

// Reading a target with ?environmentId= on a server that ignores the
// parameter answers the source's own workflow: comparing the definition
// with it calls a target in sync that is not, and the repair is never sent.
// Workflow _ids differ per environment (docs/novu-api.md §3), so an answer carrying
// the source's _id is not the target's copy.
func TestTargetReadThatAnswersTheSourceIsNotTrusted(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 15, Wrap: ignoreEnvironmentID})
	defs := synth(2)
	apply(t, context.Background(), testConfig(srv, false), defs)
	if err := srv.EditWorkflow("Production", "wf-001", func(w *novutest.Workflow) { w.Name = "Edited by hand" }); err != nil {
		t.Fatal(err)
	}
	r := apply(t, context.Background(), testConfig(srv, false), defs)
	if !r.OK() {
		t.Fatalf("failures %v", r.Failures)
	}
	if w, _ := srv.Workflow("Production", "wf-001"); w.Name != "Workflow 1" {
		t.Errorf("Production's wf-001 is still %q: the plan took the source for the target\n%s", w.Name, describe(r.Plan))
	}
	if p := r.Plan; p.Workflows[1].Targets[1].Reason != ReasonUnreadable {
		t.Errorf("wf-001 in Production: %+v; want a sync for want of a readable copy", p.Workflows[1].Targets[1])
	}
}

// An Engine printed whole (%+v of the pointer prints its fields) must not
// show the keys it was built with: fmt does not redact a Secret reached
// through an unexported field.
func TestEngineDoesNotPrintKeys(t *testing.T) {
	const dev, prod = "sk_test_ENGINE_DEV_do_not_print", "sk_test_ENGINE_PROD_do_not_print"
	e := mustEngine(t, Config{BaseURL: "http://127.0.0.1:1", Key: dev, Owner: testOwner, TargetKeys: map[string]novu.Secret{"Production": prod}})
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if s := fmt.Sprintf(verb, e); strings.Contains(s, dev) || strings.Contains(s, prod) {
			t.Errorf("%s of the engine shows a key: %s", verb, s)
		}
	}
}
