package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
)

// refuseSyncTo answers 400 to every sync into the environment with _id
// envID, as Novu does for a target it will not write.
func refuseSyncTo(envID func() string) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/sync") {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				var in struct {
					TargetEnvironmentID string `json:"targetEnvironmentId"`
				}
				if json.Unmarshal(body, &in) == nil && in.TargetEnvironmentID == envID() {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					io.WriteString(w, `{"statusCode":400,"timestamp":"2026-11-27T00:00:00.000Z","path":"`+r.URL.Path+`","message":"Staging is frozen"}`)
					return
				}
			}
			h.ServeHTTP(w, r)
		})
	}
}

func TestFailedStagingSyncSkipsProduction(t *testing.T) {
	var srv *novutest.Server
	stagingID := func() string {
		for _, e := range srv.Environments() {
			if e.Name == "Staging" {
				return e.ID
			}
		}
		return ""
	}
	srv = newServer(t, novutest.Options{Wrap: refuseSyncTo(stagingID)})
	defs := synth(2)
	r := apply(t, context.Background(), testConfig(srv, true), defs)
	if len(r.Failures) != 2 {
		t.Fatalf("failures %+v; want one sync failure per workflow", r.Failures)
	}
	for _, f := range r.Failures {
		if f.Operation != "sync" || f.Environment != "Staging" || f.Status != http.StatusBadRequest || !strings.Contains(f.Message, "Staging is frozen") {
			t.Errorf("failure %+v; want the Staging sync with Novu's status and words", f)
		}
	}
	for _, w := range r.Workflows {
		if w.Outcome != Created || len(w.Targets) != 2 || w.Targets[0].Outcome != FailedOut || w.Targets[1].Outcome != Skipped {
			t.Errorf("%s: %s, targets %+v; want created, Staging failed, Production skipped", w.WorkflowID, w.Outcome, w.Targets)
		}
	}
	if n := len(srv.Workflows("Production")); n != 0 {
		t.Errorf("Production holds %d workflows; a failed Staging sync must keep them out", n)
	}
	if r.OK() {
		t.Error("report is OK; want a failed run")
	}
}

func TestDefaultTargetsThatDoNotExistAreSaid(t *testing.T) {
	srv := newServer(t, novutest.Options{Environments: []string{"Development", "QA", "Production"}})
	cfg := testConfig(srv, false)
	p := plan(t, cfg, synth(1))
	if len(p.Targets) != 1 || p.Targets[0].Name != "Production" {
		t.Errorf("targets %+v; want Production only", p.Targets)
	}
	want := "no environment named Staging, so nothing is synced there; the organization has Development, QA, Production: name the targets with -to"
	if !strings.Contains(strings.Join(p.Notes, "\n"), want) {
		t.Errorf("notes %q; want %q", p.Notes, want)
	}
}

// A source that is one of the targets is refused with a suggestion that
// follows the promotion order (Development → Staging → Production): never
// syncing back into Development. A key of another environment than
// Development is named as the likely mistake first.
func TestSourceAsTargetSuggestsOnlyThePromotionOrder(t *testing.T) {
	srv := newServer(t, novutest.Options{Environments: []string{"Development", "Staging", "Production"}})
	for _, tc := range []struct {
		name    string
		source  string
		targets []string // nil: the default targets
		want    string
	}{
		{"Development named as a target", "Development", []string{"Development"},
			`"Development" is the source environment (the secret key's own); targets are the environments after it in the promotion order (Development → Staging → Production): -to Staging,Production`},
		{"Staging's key, default targets", "Staging", nil,
			`"Staging" is the source environment: NOVU_SECRET_KEY is Staging's secret key, and apply writes into the key's own environment, which should be Development: set NOVU_SECRET_KEY to Development's secret key. With Staging as the source, targets are the environments after it in the promotion order (Development → Staging → Production): -to Production`},
		{"Production's key", "Production", []string{"production"},
			`"production" is the source environment: NOVU_SECRET_KEY is Production's secret key, and apply writes into the key's own environment, which should be Development: set NOVU_SECRET_KEY to Development's secret key. With Production as the source, nothing comes after Production in the promotion order (Development → Staging → Production), so there is nothing to sync it to`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(srv, false)
			cfg.Key = novu.Secret(srv.Key(tc.source))
			cfg.Targets = tc.targets
			_, err := mustEngine(t, cfg).Plan(context.Background(), synth(1))
			var ue *UsageError
			if !errors.As(err, &ue) || err.Error() != tc.want {
				t.Errorf("err = %v\nwant a UsageError %q", err, tc.want)
			}
		})
	}
	if w := srv.Counts().Writes(); w != 0 {
		t.Errorf("%d writes; want none", w)
	}
}

func TestDashboardEditInProductionIsPlannedAndRepaired(t *testing.T) {
	defs := synth(3)
	srv := applied(t, novutest.Options{Seed: 3}, defs)
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
		refusedBeforeWrites(t, srv, cfg, synth(1), tt.want)
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

// Production only ever receives syncs: with Production's key as
// NOVU_SECRET_KEY (a swapped CI secret) and targets that do not include
// it (-to Staging, or -to= for none), the run would write straight into
// Production, or sync Production back into Staging. Both are refused
// before any write.
func TestProductionKeyAsSourceIsRefused(t *testing.T) {
	srv := newServer(t, novutest.Options{Environments: []string{"Development", "Staging", "Production"}})
	for _, targets := range [][]string{{"Staging"}, {}} {
		t.Run(fmt.Sprintf("targets %q", targets), func(t *testing.T) {
			cfg := testConfig(srv, false)
			cfg.Key = novu.Secret(srv.Key("Production"))
			cfg.Targets = targets
			refusedBeforeWrites(t, srv, cfg, synth(1), "NOVU_SECRET_KEY is Production's secret key")
		})
	}
}

// A target before the source in the promotion order (Staging's key with
// -to Development) would overwrite Development with Staging's workflows:
// refused before any write.
func TestTargetBeforeTheSourceIsRefused(t *testing.T) {
	srv := newServer(t, novutest.Options{Environments: []string{"Development", "Staging", "Production"}})
	cfg := testConfig(srv, false)
	cfg.Key = novu.Secret(srv.Key("Staging"))
	cfg.Targets = []string{"Development"}
	refusedBeforeWrites(t, srv, cfg, synth(1), `"Development" comes before the source Staging in the promotion order`)
}
