package novutest_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
)

func TestCreateStoresNovuDefaults(t *testing.T) {
	srv := start(t)
	body := createBody("payout-initiated", "Payout initiated")
	delete(body, "active")
	// Not in CreateWorkflowDto: a sent origin is ignored, never stored.
	body["origin"] = "external"
	r := createWorkflow(t, srv, body)
	d := r.data(t)
	if d["workflowId"] != "payout-initiated" || d["origin"] != "novu-cloud" || d["active"] != true || d["status"] != "ACTIVE" {
		t.Errorf("created workflow: workflowId %v origin %v active %v status %v", d["workflowId"], d["origin"], d["active"], d["status"])
	}
	w, ok := srv.Workflow("Development", "payout-initiated")
	if !ok {
		t.Fatal("workflow not stored")
	}
	if w.Origin != "novu-cloud" {
		t.Errorf("stored origin %q, want novu-cloud whatever was sent", w.Origin)
	}
	if !strings.HasPrefix(w.Slug, "payout-initiated_wf_") || w.Steps[0].StepID != "notice" || w.Steps[1].WorkflowDatabaseID != w.ID {
		t.Errorf("stored workflow: slug %q steps %+v", w.Slug, w.Steps)
	}
	if _, ok := srv.Workflow("Staging", "payout-initiated"); ok {
		t.Error("create leaked into Staging")
	}
	// The path takes workflowId, _id and slug alike.
	for _, id := range []string{"payout-initiated", w.ID, w.Slug} {
		r := do(t, srv, "Development", "GET", "/v2/workflows/"+id, nil)
		expect(t, r, 200)
		if r.data(t)["_id"] != w.ID {
			t.Errorf("GET %s answered another workflow", id)
		}
	}
}

func TestCreateWithoutPayloadSchemaStoresOpenSchema(t *testing.T) {
	srv := start(t)
	open := map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": true}
	for _, tt := range []struct {
		id       string
		validate any // nil: not sent
		want     bool
	}{{"absent", nil, true}, {"off", false, false}, {"on", true, true}} {
		id := "plain-" + tt.id
		body := createBody(id, "Plain")
		delete(body, "payloadSchema")
		delete(body, "validatePayload")
		if tt.validate != nil {
			body["validatePayload"] = tt.validate
		}
		createWorkflow(t, srv, body)
		w, _ := srv.Workflow("Development", id)
		if diff := cmp.Diff(open, w.PayloadSchema); diff != "" || w.ValidatePayload != tt.want {
			t.Errorf("validatePayload sent %v: payloadSchema (-want +got):\n%s validatePayload %v, want %v", tt.validate, diff, w.ValidatePayload, tt.want)
		}
	}
}

func TestCreateKeepsValidatePayloadAndSeverityAsSent(t *testing.T) {
	srv := start(t)
	for _, tt := range []struct {
		id       string
		validate any // nil: not sent
		severity any
		want     bool
		wantSev  string
	}{
		// With a schema, an absent validatePayload stays absent: it reads
		// back false, not true.
		{"absent", nil, nil, false, "none"},
		{"off", false, "low", false, "low"},
		{"on", true, "medium", true, "medium"},
	} {
		body := createBody(tt.id, tt.id)
		delete(body, "validatePayload")
		delete(body, "severity")
		if tt.validate != nil {
			body["validatePayload"] = tt.validate
		}
		if tt.severity != nil {
			body["severity"] = tt.severity
		}
		r := createWorkflow(t, srv, body)
		if d := r.data(t); d["validatePayload"] != tt.want || d["severity"] != tt.wantSev {
			t.Errorf("%s: answered validatePayload %v severity %v, want %v %s", tt.id, d["validatePayload"], d["severity"], tt.want, tt.wantSev)
		}
		w, _ := srv.Workflow("Development", tt.id)
		if w.ValidatePayload != tt.want || w.Severity != tt.wantSev || w.PayloadSchema["required"] == nil {
			t.Errorf("%s: stored validatePayload %v severity %q schema %v", tt.id, w.ValidatePayload, w.Severity, w.PayloadSchema)
		}
	}
}

func TestDuplicateCreateAnswers201WithSuffixedID(t *testing.T) {
	suffixOf := func(seed int64) string {
		srv := startWith(t, novutest.Options{Seed: seed})
		createWorkflow(t, srv, createBody("dup", "Dup"))
		r := createWorkflow(t, srv, createBody("dup", "Dup"))
		if n := len(srv.Workflows("Development")); n != 2 {
			t.Errorf("%d workflows after duplicate create, want 2", n)
		}
		return r.data(t)["workflowId"].(string)
	}
	got := suffixOf(7)
	// Current Novu's shortId: 4 characters of [0-9a-z].
	if !regexp.MustCompile(`^dup-[0-9a-z]{4}$`).MatchString(got) {
		t.Errorf("duplicate create answered workflowId %q, want dup-<4 of [0-9a-z]>", got)
	}
	if again := suffixOf(7); again != got {
		t.Errorf("same seed drew suffix %q, then %q", got, again)
	}
}

func TestDuplicateCreateGivesUpAfterTwoTakenSuffixes(t *testing.T) {
	// Each run replays the same seed, so the create draws the same
	// suffixes; the workflows put beforehand take them one after another.
	run := func(taken ...string) response {
		srv := startWith(t, novutest.Options{Seed: 7})
		createWorkflow(t, srv, createBody("dup", "Dup"))
		for i, id := range taken {
			// A preset _id and no steps draw nothing from the seed.
			srv.PutWorkflow("Development", novutest.Workflow{ID: fmt.Sprintf("aaaaaaaaaaaaaaaaaaaaaaa%d", i), WorkflowID: id, Name: id})
		}
		return do(t, srv, "Development", "POST", "/v2/workflows", createBody("dup", "Dup"))
	}
	r := run()
	expect(t, r, 201)
	first := r.data(t)["workflowId"].(string)
	r = run(first)
	expect(t, r, 201)
	second := r.data(t)["workflowId"].(string)
	if second == first || !regexp.MustCompile(`^dup-[0-9a-z]{4}$`).MatchString(second) {
		t.Fatalf("with %s taken the create answered %s, want the second suffix", first, second)
	}
	r = run(first, second)
	expect(t, r, 400)
	// Novu runs the workflow name onto its message without a space.
	if want := "Unable to generate a unique identifier. Please provide a different workflow name.Dup"; r.body["message"] != want {
		t.Errorf("message %q, want %q", r.body["message"], want)
	}
}

func TestDuplicateCreateLegacySuffix(t *testing.T) {
	lengths := map[int]bool{}
	for seed := range int64(12) {
		srv := startWith(t, novutest.Options{Seed: seed, DuplicateCreate: novutest.LegacySuffix})
		createWorkflow(t, srv, createBody("dup", "Dup"))
		r := createWorkflow(t, srv, createBody("dup", "Dup"))
		got := r.data(t)["workflowId"].(string)
		// shortid.generate(): 7 to 14 characters of [A-Za-z0-9_-].
		if !regexp.MustCompile(`^dup-[A-Za-z0-9_-]{7,14}$`).MatchString(got) {
			t.Errorf("seed %d: workflowId %q, want dup-<7 to 14 of [A-Za-z0-9_-]>", seed, got)
		}
		lengths[len(got)] = true
	}
	if len(lengths) < 2 {
		t.Errorf("12 seeds drew suffixes of one length only: %v", lengths)
	}
}

func TestDuplicateCreateConflictOption(t *testing.T) {
	srv := startWith(t, novutest.Options{DuplicateCreate: novutest.Conflict})
	createWorkflow(t, srv, createBody("dup", "Dup"))
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("dup", "Dup")), 409)
}

func TestCreateRejectsInvalidBodies(t *testing.T) {
	srv := startLoose(t)
	tests := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"bad workflowId", func(b map[string]any) { b["workflowId"] = "order shipped" }, "workflowId"},
		{"trailing hyphen", func(b map[string]any) { b["workflowId"] = "order-" }, "workflowId"},
		{"no name", func(b map[string]any) { delete(b, "name") }, "name"},
		{"no steps", func(b map[string]any) { delete(b, "steps") }, "steps"},
		{"bad step type", func(b map[string]any) {
			b["steps"] = []map[string]any{{"name": "T", "type": "trigger"}}
		}, "steps.0.type"},
		{"bad stepId", func(b map[string]any) {
			b["steps"] = []map[string]any{{"stepId": "a b", "name": "T", "type": "sms"}}
		}, "steps.0.stepId"},
		{"bad severity", func(b map[string]any) { b["severity"] = "urgent" }, "severity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := createBody("ok-id", "OK")
			tt.edit(b)
			r := do(t, srv, "Development", "POST", "/v2/workflows", b)
			expect(t, r, 422)
			errs, _ := r.body["errors"].(map[string]any)
			if _, ok := errs[tt.field]; !ok {
				t.Errorf("422 errors %v lack %q", errs, tt.field)
			}
		})
	}
	if n := len(srv.Workflows("Development")); n != 0 {
		t.Errorf("invalid creates stored %d workflows", n)
	}
}

func TestStepLimitIs400WithNovuBody(t *testing.T) {
	srv := startLoose(t)
	var steps []map[string]any
	for i := range 21 {
		steps = append(steps, map[string]any{"stepId": fmt.Sprintf("s%d", i), "name": fmt.Sprintf("S%d", i), "type": "sms",
			"controlValues": map[string]any{"body": "hi"}})
	}
	r := do(t, srv, "Development", "POST", "/v2/workflows", createBody("big", "Big", steps...))
	expect(t, r, 400)
	want := map[string]any{"message": "Workflow steps limit exceeded. Maximum allowed steps is 20, but got 21 steps.",
		"providedStepsCount": float64(21), "maxSteps": float64(20)}
	for k, v := range want {
		if r.body[k] != v {
			t.Errorf("%s = %v, want %v", k, r.body[k], v)
		}
	}
	createWorkflow(t, srv, createBody("big", "Big", steps[:20]...))
}

func TestContentIssuesMakeStatusError(t *testing.T) {
	srv := start(t)
	steps := []map[string]any{
		{"stepId": "notice", "name": "Notice", "type": "in_app", "controlValues": map[string]any{
			"body": "{{payload.amount}} {{payload.ammount}} {{subscriber.nickname}} {{steps.later.x}}"}},
		{"stepId": "later", "name": "Later", "type": "delay", "controlValues": map[string]any{"type": "regular"}},
	}
	b := createBody("wf", "WF", steps...)
	b["payloadSchema"] = map[string]any{"type": "object", "additionalProperties": false,
		"properties": map[string]any{"amount": map[string]any{"type": "number"}}}
	createWorkflow(t, srv, b)
	w, _ := srv.Workflow("Development", "wf")
	if w.Status != "ERROR" {
		t.Errorf("status %s, want ERROR", w.Status)
	}
	var illegal []string
	for _, is := range w.Steps[0].Issues.Controls["body"] {
		illegal = append(illegal, is.VariableName)
	}
	want := []string{"{{payload.ammount}}", "{{subscriber.nickname}}", "{{steps.later.x}}"}
	if diff := cmp.Diff(want, illegal); diff != "" {
		t.Errorf("illegal variables (-want +got):\n%s", diff)
	}
	if got := w.Steps[1].Issues.Controls; len(got["amount"]) != 1 || len(got["unit"]) != 1 {
		t.Errorf("delay issues %v, want amount and unit MISSING_VALUE", got)
	}
}

func TestEmailBodyIsClearedUnderBlockEditor(t *testing.T) {
	srv := start(t)
	steps := []map[string]any{{"stepId": "email", "name": "Email", "type": "email",
		"controlValues": map[string]any{"subject": "S", "body": "<p>html</p>"}}}
	createWorkflow(t, srv, createBody("wf", "WF", steps...))
	w, _ := srv.Workflow("Development", "wf")
	if w.Steps[0].ControlValues["body"] != "" {
		t.Errorf("body %q kept under the block editor", w.Steps[0].ControlValues["body"])
	}
}
