package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

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
