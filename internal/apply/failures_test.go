package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

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
	defs := synth(1)
	srv := applied(t, novutest.Options{Seed: 13, Wrap: foldCase}, defs)

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
