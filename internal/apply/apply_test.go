package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/novu"
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
	srv := newServer(t, novutest.Options{Seed: 2})
	defs := synth(3)
	apply(t, context.Background(), testConfig(srv, true), defs)
	before := stepIDs(srv)

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
	if diff := cmp.Diff(before, stepIDs(srv)); diff != "" {
		t.Errorf("step _ids changed (-before +after):\n%s", diff)
	}
	assertConverged(t, srv, defs)
}

func TestDashboardEditInProductionIsPlannedAndRepaired(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 3})
	defs := synth(3)
	apply(t, context.Background(), testConfig(srv, true), defs)
	if err := srv.EditWorkflow("Production", "wf-002", func(w *novutest.Workflow) { w.Name = "Edited by hand" }); err != nil {
		t.Fatal(err)
	}

	p := plan(t, testConfig(srv, true), defs)
	if !p.Pending() {
		t.Fatal("plan misses the dashboard edit")
	}
	for _, w := range p.Workflows {
		for _, tp := range w.Targets {
			wantSync := w.WorkflowID == "wf-002" && tp.Environment == "Production"
			if (tp.Action == Sync) != wantSync {
				t.Errorf("%s in %s: %s (%s), want sync only for wf-002 in Production", w.WorkflowID, tp.Environment, tp.Action, tp.Reason)
			}
		}
	}
	if diff := cmp.Diff([]Change{{Path: "name", Old: "Edited by hand", New: "Workflow 2"}}, p.Workflows[2].Targets[1].Changes); diff != "" {
		t.Errorf("Production changes (-want +got):\n%s", diff)
	}

	srv.ResetCounts()
	r := apply(t, context.Background(), testConfig(srv, true), defs)
	if c := srv.Counts(); c.Writes() != 1 || r.Summary.Synced != 1 {
		t.Errorf("repair wrote %d times, synced %d; want one sync", c.Writes(), r.Summary.Synced)
	}
	assertConverged(t, srv, defs)
}

func TestUnreadableTargetsAreSyncedAndSaidOnce(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 4})
	defs := synth(3)
	apply(t, context.Background(), testConfig(srv, false), defs)
	if err := srv.EditWorkflow("Production", "wf-000", func(w *novutest.Workflow) { w.Active = false }); err != nil {
		t.Fatal(err)
	}

	p := plan(t, testConfig(srv, false), defs)
	if len(p.Notes) != 2 || !strings.Contains(p.Notes[1], "NOVU_SECRET_KEY_PRODUCTION") {
		t.Errorf("notes = %q; want one per unreadable target naming its key variable", p.Notes)
	}
	for _, w := range p.Workflows {
		for _, tp := range w.Targets {
			if tp.Action != Sync || tp.Reason != ReasonUnreadable {
				t.Errorf("%s in %s: %s (%s), want sync (unreadable)", w.WorkflowID, tp.Environment, tp.Action, tp.Reason)
			}
		}
	}
	r := apply(t, context.Background(), testConfig(srv, false), defs)
	if r.Summary.Synced != 6 || !r.OK() {
		t.Errorf("summary %+v, failures %v; want 6 syncs", r.Summary, r.Failures)
	}
	assertConverged(t, srv, defs) // the dashboard edit is repaired too
}

func TestCrossEnvironmentReadsOnOlderNovu(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 5, AllowCrossEnvironmentReads: true})
	defs := synth(2)
	apply(t, context.Background(), testConfig(srv, false), defs)
	p := plan(t, testConfig(srv, false), defs)
	if p.Pending() || len(p.Notes) != 0 || p.Targets[0].ReadWith != "environment-id" {
		t.Errorf("plan with ?environmentId= reads: pending %v, notes %q, targets %+v", p.Pending(), p.Notes, p.Targets)
	}
}

func TestInvalidRegistrySendsNothing(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	defs := synth(2)
	defs[1].WorkflowID = "Bad Id"
	defs[0].Steps[0].ControlValues["body"] = "{{payload.ordrId}}"
	_, err := mustEngine(t, testConfig(srv, true)).Plan(context.Background(), defs)
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Findings) < 2 {
		t.Fatalf("err = %v; want an InvalidError with both findings", err)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests sent for an invalid registry; want 0", n)
	}
}

func TestTargetNames(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	for _, tt := range []struct {
		targets []string
		want    string
	}{
		{[]string{"Nowhere"}, `no environment named "Nowhere"; the organization has: Development, Staging, Production`},
		{[]string{"staging", "Staging"}, `target environment "Staging" is given twice`},
		{[]string{"development"}, `"development" is the source environment`},
	} {
		cfg := testConfig(srv, true)
		cfg.Targets = tt.targets
		_, err := mustEngine(t, cfg).Plan(context.Background(), synth(1))
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("targets %v: err = %v; want a UsageError containing %q", tt.targets, err, tt.want)
		}
	}
	if c := srv.Counts(); c.Writes() != 0 || c.Total() != 3 {
		t.Errorf("bad targets: %d requests, %d writes; want only the 3 environment lists", c.Total(), c.Writes())
	}

	cfg := testConfig(srv, true)
	cfg.Targets = []string{"production"}
	p := plan(t, cfg, synth(1))
	if len(p.Targets) != 1 || p.Targets[0].Name != "Production" {
		t.Errorf("targets %+v; want Production only", p.Targets)
	}
}

func TestPruneDeletesOnlyOwnedWorkflowsThatLeftTheRegistry(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 6})
	defs := synth(3)
	apply(t, context.Background(), testConfig(srv, true), defs)
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
			before := stepIDs(srv)

			// Changed run under faults: updates keep step identity.
			for i := range defs {
				defs[i].Description = "changed"
			}
			converge(t, srv, defs, tt.faults)
			if diff := cmp.Diff(before, stepIDs(srv)); diff != "" {
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

func TestKeysAreCheckedAgainstTheirEnvironment(t *testing.T) {
	srv := newServer(t, novutest.Options{Seed: 5})
	defs := synth(1)

	// The source is the key's own environment, whatever its place.
	cfg := testConfig(srv, false)
	cfg.Key = novu.Secret(srv.Key("Staging"))
	cfg.Targets = []string{"Production"}
	if p := plan(t, cfg, defs); p.Source.Name != "Staging" {
		t.Errorf("source = %s, want Staging (the key's environment)", p.Source.Name)
	}

	// A target key of another environment is refused before any write.
	cfg = testConfig(srv, true)
	cfg.TargetKeys["Staging"] = novu.Secret(srv.Key("Production"))
	srv.ResetCounts()
	_, err := mustEngine(t, cfg).Plan(context.Background(), defs)
	var usage *UsageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "NOVU_SECRET_KEY_STAGING is the secret key of Production, not of Staging") {
		t.Fatalf("plan with Production's key as Staging's: %v; want a usage error naming both", err)
	}
	if w := srv.Counts().Writes(); w != 0 {
		t.Errorf("%d writes after a refused key", w)
	}
}

// novuRefuses answers some requests the way Novu refuses them: a 400 with a
// message array for one create, a 422 errors map for one update, and a 404
// for one sync whose target environment went away.
func novuRefuses(h http.Handler, prodID *string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var status int
		var body map[string]any
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v2/workflows" && bodyHas(r, `"workflowId":"wf-002"`):
			status, body = 400, map[string]any{"message": []string{"steps.2.controlValues.subject must be a string"}, "error": "Bad Request"}
		case r.Method == http.MethodPut && r.URL.Path == "/v2/workflows/wf-001":
			status, body = 422, map[string]any{"message": "Validation failed", "errors": map[string]any{
				"steps.1.controlValues.amount": map[string]any{"messages": []string{"amount must not be less than 1"}, "value": 0}}}
		case r.Method == http.MethodPut && r.URL.Path == "/v2/workflows/wf-000/sync" && bodyHas(r, *prodID):
			status, body = 404, map[string]any{"message": "Environment gone-production not found"}
		default:
			h.ServeHTTP(w, r)
			return
		}
		body["statusCode"], body["timestamp"], body["path"] = status, "2026-11-27T00:00:00.000Z", r.URL.RequestURI()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	})
}

// bodyHas reads the request body, puts it back, and says whether it holds s.
func bodyHas(r *http.Request, s string) bool {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return strings.Contains(string(b), s)
}

func TestNovuRefusalsNameWorkflowStepFieldAndNovusWords(t *testing.T) {
	var prodID string
	srv := newServer(t, novutest.Options{Seed: 6, Wrap: func(h http.Handler) http.Handler { return novuRefuses(h, &prodID) }})
	for _, e := range srv.Environments() {
		if e.Name == "Production" {
			prodID = e.ID
		}
	}
	defs := synth(3)
	r := apply(t, context.Background(), testConfig(srv, true), defs)
	defs[1].Steps[1].ControlValues["amount"] = 3
	r2 := apply(t, context.Background(), testConfig(srv, true), defs)

	type failure struct{ WorkflowID, Operation, Environment, Step, Words string }
	var got []failure
	for _, f := range r.Failures { // the cold run: a refused create and a refused sync
		got = append(got, failure{f.WorkflowID, f.Operation, f.Environment, f.Step, f.Message})
	}
	for _, f := range r2.Failures { // then the refused update (the others fail again)
		if f.Operation == "update" {
			got = append(got, failure{f.WorkflowID, f.Operation, f.Environment, f.Step, f.Message})
		}
	}
	want := []failure{
		{"wf-000", "sync", "Production", "", "Environment gone-production not found"},
		{"wf-002", "create", "Development", "email", "steps.2.controlValues.subject must be a string"},
		{"wf-001", "update", "Development", "wait", "steps.1.controlValues.amount: amount must not be less than 1"},
	}
	if len(got) != len(want) {
		t.Fatalf("failures:\n%+v\nwant:\n%+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.WorkflowID != w.WorkflowID || g.Operation != w.Operation || g.Environment != w.Environment || g.Step != w.Step || !strings.Contains(g.Words, w.Words) {
			t.Errorf("failure %d = %+v\nwant %+v (message containing Novu's words)", i, g, w)
		}
	}
	for _, f := range r2.Failures {
		if f.Operation == "update" && (f.Status != 422 || len(f.Fields["steps.1.controlValues.amount"]) != 1) {
			t.Errorf("422 failure: status %d, fields %v; want 422 with Novu's field messages", f.Status, f.Fields)
		}
	}
}
