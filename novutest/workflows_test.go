package novutest_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
)

func TestEnvironmentsListsAllWithOnlyOwnKey(t *testing.T) {
	srv := start(t, novutest.Options{})
	envs := srv.Environments()
	var names []string
	for _, e := range envs {
		names = append(names, e.Name)
		if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(e.ID) {
			t.Errorf("environment %s _id %q is not 24 hex", e.Name, e.ID)
		}
	}
	if diff := cmp.Diff([]string{"Development", "Staging", "Production"}, names); diff != "" {
		t.Fatalf("environments (-want +got):\n%s", diff)
	}
	wantKeys := map[string]string{"Development": "dev-secret-key", "Staging": "staging-secret-key", "Production": "production-secret-key"}
	for name, key := range wantKeys {
		if got := srv.Key(name); got != key {
			t.Errorf("Key(%s) = %q, want %q", name, got, key)
		}
	}
	r := do(t, srv, "Staging", "GET", "/v1/environments", nil)
	expect(t, r, 200)
	list := r.body["data"].([]any)
	for _, raw := range list {
		e := raw.(map[string]any)
		keys := e["apiKeys"].([]any)
		if e["name"] == "Staging" {
			if len(keys) != 1 || keys[0].(map[string]any)["key"] != "staging-secret-key" {
				t.Errorf("own environment apiKeys = %v", keys)
			}
		} else if len(keys) != 0 {
			t.Errorf("environment %v shows keys %v to another environment's key", e["name"], keys)
		}
		if e["_organizationId"] == "" || e["identifier"] == "" {
			t.Errorf("environment %v lacks _organizationId or identifier", e)
		}
	}
}

func TestUnauthorizedWithoutValidAPIKey(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	for _, auth := range []string{"", "ApiKey wrong", "Bearer dev-secret-key", "dev-secret-key"} {
		r := do(t, srv, "", "GET", "/v2/workflows", nil, "Authorization", auth)
		expect(t, r, 401)
		if r.body["statusCode"] != float64(401) || r.body["path"] != "/v2/workflows" || r.body["timestamp"] == nil ||
			r.body["message"] != "Unauthorized" || r.body["error"] != "Unauthorized" {
			t.Errorf("401 body %s lacks Novu's error fields", r.raw)
		}
	}
}

func TestCreateStoresNovuDefaults(t *testing.T) {
	srv := start(t, novutest.Options{})
	body := createBody("payout-initiated", "Payout initiated")
	delete(body, "active")
	// Not in CreateWorkflowDto: a sent origin is ignored, never stored.
	body["origin"] = "external"
	r := do(t, srv, "Development", "POST", "/v2/workflows", body)
	expect(t, r, 201)
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
	srv := start(t, novutest.Options{})
	body := createBody("plain", "Plain")
	delete(body, "payloadSchema")
	delete(body, "validatePayload")
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", body), 201)
	w, _ := srv.Workflow("Development", "plain")
	want := map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": true}
	if diff := cmp.Diff(want, w.PayloadSchema); diff != "" || !w.ValidatePayload {
		t.Errorf("payloadSchema (-want +got):\n%s validatePayload %v", diff, w.ValidatePayload)
	}
}

// isoTime is JavaScript's toISOString format, which Novu's timestamp uses.
var isoTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func TestGetUnknownWorkflowIs404WithNovuBody(t *testing.T) {
	srv := start(t, novutest.Options{})
	r := do(t, srv, "Development", "GET", "/v2/workflows/nope", nil)
	expect(t, r, 404)
	if r.body["message"] != "Workflow cannot be found" || r.body["workflowId"] != "nope" {
		t.Errorf("404 body %s", r.raw)
	}
	if r.body["path"] != "/v2/workflows/nope" || r.body["statusCode"] != float64(404) || !isoTime.MatchString(fmt.Sprint(r.body["timestamp"])) {
		t.Errorf("404 base fields %s", r.raw)
	}
	// path is the URL with its query, as the exception filter sends it.
	dev := envID(t, srv, "Development")
	r = do(t, srv, "Development", "GET", "/v2/workflows/nope?environmentId="+dev, nil)
	expect(t, r, 404)
	if want := "/v2/workflows/nope?environmentId=" + dev; r.body["path"] != want {
		t.Errorf("404 path %v, want %s", r.body["path"], want)
	}
	// A 24-hex workflowId is read as an _id, as Novu does.
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/0123456789abcdef01234567", nil), 404)
}

func TestDuplicateCreateAnswers201WithSuffixedID(t *testing.T) {
	srv := start(t, novutest.Options{Seed: 7})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("dup", "Dup")), 201)
	r := do(t, srv, "Development", "POST", "/v2/workflows", createBody("dup", "Dup"))
	expect(t, r, 201)
	got := r.data(t)["workflowId"].(string)
	if !regexp.MustCompile(`^dup-[a-z0-9]{6}$`).MatchString(got) {
		t.Errorf("duplicate create answered workflowId %q, want dup-<6 lowercase alphanumerics>", got)
	}
	if n := len(srv.Workflows("Development")); n != 2 {
		t.Errorf("%d workflows after duplicate create, want 2", n)
	}
}

func TestDuplicateCreateConflictOption(t *testing.T) {
	srv := start(t, novutest.Options{DuplicateCreate: novutest.Conflict})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("dup", "Dup")), 201)
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("dup", "Dup")), 409)
}

func TestCreateRejectsInvalidBodies(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
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
	srv := startLoose(t, novutest.Options{})
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
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("big", "Big", steps[:20]...)), 201)
}

func TestUpdateIsFullReplaceMatchingStepsByID(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	before, _ := srv.Workflow("Development", "wf")
	notice, email := before.Steps[0], before.Steps[1]

	steps := []map[string]any{
		// Matched by _id: the stored stepId wins over the one sent, and no
		// controlValues means the stored ones are gone.
		{"_id": notice.ID, "stepId": "renamed", "name": "Notice 2", "type": "in_app"},
		// No _id: a new step, even with a known stepId.
		{"stepId": "email", "name": "Email", "type": "email",
			"controlValues": map[string]any{"subject": "S", "body": "<p>b</p>", "editorType": "html"}},
	}
	r := do(t, srv, "Development", "PUT", "/v2/workflows/wf", updateBody("WF 2", steps...))
	expect(t, r, 200)
	after, _ := srv.Workflow("Development", "wf")
	if after.Name != "WF 2" || len(after.Steps) != 2 {
		t.Fatalf("after update: %+v", after)
	}
	if after.Steps[0].ID != notice.ID || after.Steps[0].StepID != "notice" || after.Steps[0].Name != "Notice 2" {
		t.Errorf("matched step = %+v, want _id %s and stepId notice", after.Steps[0], notice.ID)
	}
	if after.Steps[0].ControlValues != nil {
		t.Errorf("step sent without controlValues kept %v", after.Steps[0].ControlValues)
	}
	if after.Steps[0].Issues == nil || after.Status != "ERROR" {
		t.Errorf("in-app step without body: issues %v status %s, want MISSING_VALUE and ERROR", after.Steps[0].Issues, after.Status)
	}
	if after.Steps[1].ID == email.ID {
		t.Error("step without _id kept the old step's _id")
	}
	if after.UpdatedAt <= before.UpdatedAt || after.CreatedAt != before.CreatedAt {
		t.Errorf("timestamps: created %s→%s updated %s→%s", before.CreatedAt, after.CreatedAt, before.UpdatedAt, after.UpdatedAt)
	}
}

func TestUpdateUnknownIs404NeverUpsert(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/payout-initiated", updateBody("P")), 404)
	if len(srv.Workflows("Development")) != 0 {
		t.Error("PUT created a workflow")
	}
}

func TestUpdateRejectsStepIDOfAnotherWorkflow(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("a", "A")), 201)
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("b", "B")), 201)
	a, _ := srv.Workflow("Development", "a")
	r := do(t, srv, "Development", "PUT", "/v2/workflows/b",
		updateBody("B", map[string]any{"_id": a.Steps[0].ID, "name": "X", "type": "in_app"}))
	expect(t, r, 400)
}

func TestPatchChangesOnlyGivenFields(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	r := do(t, srv, "Development", "PATCH", "/v2/workflows/wf", map[string]any{"active": false})
	expect(t, r, 200)
	w, _ := srv.Workflow("Development", "wf")
	if w.Active || w.Status != "INACTIVE" || w.Name != "WF" || len(w.Steps) != 2 {
		t.Errorf("after patch: active %v status %s name %s steps %d", w.Active, w.Status, w.Name, len(w.Steps))
	}
}

func TestDeleteIs204AndLeavesSyncedCopies(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": envID(t, srv, "Staging")}), 200)
	r := do(t, srv, "Development", "DELETE", "/v2/workflows/wf", nil)
	expect(t, r, 204)
	if len(r.raw) != 0 {
		t.Errorf("204 with body %s", r.raw)
	}
	expect(t, do(t, srv, "Development", "DELETE", "/v2/workflows/wf", nil), 404)
	if _, ok := srv.Workflow("Staging", "wf"); !ok {
		t.Error("delete removed the synced copy")
	}
}

func TestListFiltersAndPages(t *testing.T) {
	srv := start(t, novutest.Options{})
	for i, id := range []string{"order-shipped", "order-paid", "weekly-digest"} {
		b := createBody(id, fmt.Sprintf("Name %d", i))
		if id == "weekly-digest" {
			b["tags"] = []string{"digest"}
		}
		expect(t, do(t, srv, "Development", "POST", "/v2/workflows", b), 201)
	}
	ids := func(r response) []string {
		var out []string
		for _, w := range r.data(t)["workflows"].([]any) {
			out = append(out, w.(map[string]any)["workflowId"].(string))
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
		total float64
	}{
		{"", []string{"weekly-digest", "order-paid", "order-shipped"}, 3},
		{"orderDirection=ASC&limit=2", []string{"order-shipped", "order-paid"}, 3},
		{"orderDirection=ASC&limit=2&offset=2", []string{"weekly-digest"}, 3},
		{"query=ORDER", []string{"order-paid", "order-shipped"}, 2},
		{"query=name%202", []string{"weekly-digest"}, 1},
		{"tags=digest&tags=none", []string{"weekly-digest"}, 1},
		{"status=INACTIVE", nil, 0},
		{"status=ACTIVE&status=ERROR&query=weekly", []string{"weekly-digest"}, 1},
		{"tags=payouts&orderBy=name&orderDirection=ASC", []string{"order-shipped", "order-paid"}, 2},
	}
	for _, tt := range tests {
		r := do(t, srv, "Development", "GET", "/v2/workflows?"+tt.query, nil)
		expect(t, r, 200)
		if diff := cmp.Diff(tt.want, ids(r)); diff != "" || r.data(t)["totalCount"] != tt.total {
			t.Errorf("?%s (-want +got):\n%s totalCount %v", tt.query, diff, r.data(t)["totalCount"])
		}
		for _, w := range r.data(t)["workflows"].([]any) {
			if _, ok := w.(map[string]any)["steps"].([]any)[0].(map[string]any)["controlValues"]; ok {
				t.Error("list item carries control values")
			}
		}
	}
}

func TestListRejectsLimitOutOfRange(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "orderBy=size"} {
		expect(t, do(t, srv, "Development", "GET", "/v2/workflows?"+q, nil), 422)
	}
}

func TestReadingAnotherEnvironmentIsScoped(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	stg := envID(t, srv, "Staging")
	r := do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+stg, nil)
	expect(t, r, 403)
	if !strings.Contains(fmt.Sprint(r.body["message"]), "is scoped to a single environment") {
		t.Errorf("403 message %v", r.body["message"])
	}
	// Naming the own environment is fine.
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+envID(t, srv, "Development"), nil), 200)
	expect(t, do(t, srv, "Development", "POST", "/v2/environments/"+stg+"/diff", map[string]any{}), 403)
}

func TestCrossEnvironmentReadsWhenAllowed(t *testing.T) {
	srv := start(t, novutest.Options{AllowCrossEnvironmentReads: true})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	stg := envID(t, srv, "Staging")
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+stg, nil), 404)
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": stg}), 200)
	r := do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+stg, nil)
	expect(t, r, 200)
	w, _ := srv.Workflow("Staging", "wf")
	if r.data(t)["_id"] != w.ID {
		t.Errorf("cross read answered %v, want Staging's %s", r.data(t)["_id"], w.ID)
	}

	diff := func() map[string]any {
		r := do(t, srv, "Development", "POST", "/v2/environments/"+stg+"/diff", map[string]any{})
		expect(t, r, 200)
		return r.data(t)["summary"].(map[string]any)
	}
	if s := diff(); s["hasChanges"] != false {
		t.Errorf("diff right after sync: %v", s)
	}
	expect(t, do(t, srv, "Development", "PATCH", "/v2/workflows/wf", map[string]any{"name": "Renamed"}), 200)
	if s := diff(); s["hasChanges"] != true || s["totalChanges"] != float64(1) {
		t.Errorf("diff after a rename: %v", s)
	}
}

func TestSyncCopiesToTargetAndKeepsTargetStepIDs(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	prod := envID(t, srv, "Production")
	r := do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": prod})
	expect(t, r, 200)
	src, _ := srv.Workflow("Development", "wf")
	first, ok := srv.Workflow("Production", "wf")
	if !ok {
		t.Fatal("sync did not create the target copy")
	}
	if r.data(t)["_id"] != first.ID || first.ID == src.ID || src.LastPublishedAt == nil {
		t.Errorf("sync answered %v; target %s source %s lastPublishedAt %v", r.data(t)["_id"], first.ID, src.ID, src.LastPublishedAt)
	}
	if first.Steps[0].ID == src.Steps[0].ID {
		t.Error("target step shares the source step _id")
	}
	// Change the source: reorder, change content, then sync again.
	steps := []map[string]any{
		{"_id": src.Steps[1].ID, "name": "Email", "type": "email",
			"controlValues": map[string]any{"subject": "New", "body": "<p>x</p>", "editorType": "html"}},
		{"_id": src.Steps[0].ID, "name": "Notice", "type": "in_app", "controlValues": map[string]any{"body": "b"}},
	}
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", updateBody("WF 2", steps...)), 200)
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": prod}), 200)
	second, _ := srv.Workflow("Production", "wf")
	if second.ID != first.ID || second.Name != "WF 2" || second.Steps[0].StepID != "email" ||
		second.Steps[0].ID != first.Steps[1].ID || second.Steps[1].ID != first.Steps[0].ID {
		t.Errorf("second sync: %+v, want target _ids kept by stepId", second.Steps)
	}
	if second.Steps[0].ControlValues["subject"] != "New" {
		t.Errorf("control values not copied: %v", second.Steps[0].ControlValues)
	}
}

func TestSyncErrors(t *testing.T) {
	srv := startLoose(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	stg := srv.Environments()[1]
	tests := []struct {
		name, id, target string
		status           int
		message          string
	}{
		{"same environment", "wf", envID(t, srv, "Development"), 400, "Cannot sync workflow to the same environment"},
		{"identifier", "wf", stg.Identifier, 404, "Environment " + stg.Identifier + " not found"},
		{"name", "wf", "Staging", 404, "Environment Staging not found"},
		{"unknown ObjectId", "wf", "0123456789abcdef01234567", 404, "Environment 0123456789abcdef01234567 not found"},
		{"unknown workflow", "nope", stg.ID, 404, "Workflow cannot be found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, "Development", "PUT", "/v2/workflows/"+tt.id+"/sync", map[string]any{"targetEnvironmentId": tt.target})
			expect(t, r, tt.status)
			if r.body["message"] != tt.message {
				t.Errorf("message %v, want %q", r.body["message"], tt.message)
			}
		})
	}
	srv.PutWorkflow("Development", novutest.Workflow{WorkflowID: "ext", Name: "Ext", Origin: "external", Active: true})
	r := do(t, srv, "Development", "PUT", "/v2/workflows/ext/sync", map[string]any{"targetEnvironmentId": stg.ID})
	expect(t, r, 400)
	if !strings.Contains(fmt.Sprint(r.body["message"]), "origin 'external' is not allowed") {
		t.Errorf("external origin: %s", r.raw)
	}
	if _, ok := srv.Workflow("Staging", "ext"); ok {
		t.Error("refused sync wrote the target")
	}
}

func TestEditWorkflowBumpsUpdatedAt(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	before, _ := srv.Workflow("Development", "wf")
	err := srv.EditWorkflow("Development", "wf", func(w *novutest.Workflow) {
		w.Steps[0].ControlValues["body"] = "edited in the dashboard"
	})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := srv.Workflow("Development", "wf")
	if after.UpdatedAt <= before.UpdatedAt || after.Steps[0].ControlValues["body"] != "edited in the dashboard" {
		t.Errorf("edit: updatedAt %s→%s body %v", before.UpdatedAt, after.UpdatedAt, after.Steps[0].ControlValues["body"])
	}
	if err := srv.EditWorkflow("Development", "missing", func(*novutest.Workflow) {}); err == nil {
		t.Error("editing a missing workflow succeeded")
	}
	// Copies are deep: changing one changes nothing stored.
	after.Steps[0].ControlValues["body"] = "local"
	again, _ := srv.Workflow("Development", "wf")
	if again.Steps[0].ControlValues["body"] == "local" {
		t.Error("Workflow returned shared state")
	}
}

func TestContentIssuesMakeStatusError(t *testing.T) {
	srv := start(t, novutest.Options{})
	steps := []map[string]any{
		{"stepId": "notice", "name": "Notice", "type": "in_app", "controlValues": map[string]any{
			"body": "{{payload.amount}} {{payload.ammount}} {{subscriber.nickname}} {{steps.later.x}}"}},
		{"stepId": "later", "name": "Later", "type": "delay", "controlValues": map[string]any{"type": "regular"}},
	}
	b := createBody("wf", "WF", steps...)
	b["payloadSchema"] = map[string]any{"type": "object", "additionalProperties": false,
		"properties": map[string]any{"amount": map[string]any{"type": "number"}}}
	r := do(t, srv, "Development", "POST", "/v2/workflows", b)
	expect(t, r, 201)
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
	srv := start(t, novutest.Options{})
	steps := []map[string]any{{"stepId": "email", "name": "Email", "type": "email",
		"controlValues": map[string]any{"subject": "S", "body": "<p>html</p>"}}}
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF", steps...)), 201)
	w, _ := srv.Workflow("Development", "wf")
	if w.Steps[0].ControlValues["body"] != "" {
		t.Errorf("body %q kept under the block editor", w.Steps[0].ControlValues["body"])
	}
}

func TestUnknownRouteIsNestNotFound(t *testing.T) {
	// Not wrapped: the conformance checker rightly reports unknown routes.
	srv := novutest.NewServer(novutest.Options{})
	t.Cleanup(srv.Close)
	r := do(t, srv, "Development", "GET", "/v1/workflows", nil)
	if r.status != 404 || r.body["message"] != "Cannot GET /v1/workflows" {
		t.Errorf("unknown route: %d %s", r.status, r.raw)
	}
	// Routing comes before the auth guard: no key or a wrong one gets the
	// same 404, and so does a wrong method on a known path.
	for _, auth := range []string{"", "ApiKey wrong"} {
		r := do(t, srv, "", "DELETE", "/v2/workflows", nil, "Authorization", auth)
		if r.status != 404 || r.body["message"] != "Cannot DELETE /v2/workflows" {
			t.Errorf("unknown route with Authorization %q: %d %s", auth, r.status, r.raw)
		}
	}
}

func TestUnsupportedMediaType(t *testing.T) {
	srv := novutest.NewServer(novutest.Options{})
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("POST", srv.URL()+"/v2/workflows", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "ApiKey "+srv.Key("Development"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 415 {
		t.Errorf("form body: %d, want 415", resp.StatusCode)
	}
	// The declared type counts even without a body.
	key := srv.Key("Development")
	for _, route := range []string{"POST /v2/workflows", "PUT /v2/workflows/wf", "PATCH /v2/workflows/wf"} {
		m, path, _ := strings.Cut(route, " ")
		if st, err := rawDo(srv, m, path, "text/plain", "", key); err != nil || st != 415 {
			t.Errorf("%s without body, Content-Type text/plain: %d %v, want 415", route, st, err)
		}
	}
	// JSON, or no type on an empty body, passes to the operation.
	if st, err := rawDo(srv, "PATCH", "/v2/workflows/wf", "application/json; charset=utf-8", "", key); err != nil || st != 404 {
		t.Errorf("PATCH without body, JSON type: %d %v, want the 404 of the missing workflow", st, err)
	}
	if st, err := rawDo(srv, "POST", "/v2/environments/"+envID(t, srv, "Development")+"/diff", "", "", key); err != nil || st != 200 {
		t.Errorf("diff without body or type: %d %v, want 200", st, err)
	}
	// GET and DELETE carry no body; their Content-Type is not looked at.
	if st, err := rawDo(srv, "GET", "/v2/workflows", "text/plain", "", key); err != nil || st != 200 {
		t.Errorf("GET with Content-Type text/plain: %d %v, want 200", st, err)
	}
}

func TestGetStep(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	r := do(t, srv, "Development", "GET", "/v2/workflows/wf/steps/email", nil)
	expect(t, r, 200)
	if r.data(t)["stepId"] != "email" {
		t.Errorf("step: %s", r.raw)
	}
}

func TestSameSeedSameIdentifiers(t *testing.T) {
	run := func() []string {
		srv := start(t, novutest.Options{Seed: 42})
		expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
		expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
		var out []string
		for _, e := range srv.Environments() {
			out = append(out, e.ID, e.Identifier)
		}
		for _, w := range srv.Workflows("Development") {
			out = append(out, w.ID, w.WorkflowID, w.Steps[0].ID)
		}
		return out
	}
	if diff := cmp.Diff(run(), run()); diff != "" {
		t.Errorf("two runs with one seed differ (-first +second):\n%s", diff)
	}
}

func TestAdminEndpointsOnLoopback(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	r := do(t, srv, "", "GET", "/__emulator/counts", nil)
	expect(t, r, 200)
	if r.body["writes"] != float64(1) {
		t.Errorf("counts: %s", r.raw)
	}
	r = do(t, srv, "", "GET", "/__emulator/state", nil)
	expect(t, r, 200)
	if !strings.Contains(string(r.raw), `"workflowId":"wf"`) {
		t.Errorf("state lacks the workflow: %s", r.raw)
	}
	// In-process callers without a loopback address are refused.
	rec := newRecorder()
	req, _ := http.NewRequest("GET", "/__emulator/state", nil)
	req.RemoteAddr = "192.0.2.1:1234"
	srv.Handler().ServeHTTP(rec, req)
	if rec.status != 403 {
		t.Errorf("non-loopback admin request: %d", rec.status)
	}
}

// content is w without what the server computes per environment, which
// sync does not copy: ids, slugs, timestamps and publishing marks.
func content(w novutest.Workflow) novutest.Workflow {
	w.ID, w.Slug, w.CreatedAt, w.UpdatedAt = "", "", "", ""
	w.UpdatedBy, w.LastPublishedAt, w.LastPublishedBy = nil, nil, nil
	for i := range w.Steps {
		st := &w.Steps[i]
		st.ID, st.Slug, st.WorkflowDatabaseID = "", "", ""
	}
	return w
}

func TestSyncCopiesEveryField(t *testing.T) {
	srv := start(t, novutest.Options{})
	stg := envID(t, srv, "Staging")
	sync := func() {
		t.Helper()
		expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": stg}), 200)
	}
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	sync()

	// Change every field sync copies (docs/novu-api.md §4.6 step 5), then sync over
	// the existing copy.
	b := updateBody("WF changed",
		map[string]any{"stepId": "mail", "name": "Mail", "type": "email", "controlValues": map[string]any{
			"subject": "S", "body": "<p>b</p>", "editorType": "html", "layoutId": "my-layout"}},
		map[string]any{"stepId": "wait", "name": "Wait", "type": "delay", "controlValues": map[string]any{
			"type": "regular", "amount": 3, "unit": "days"}})
	b["description"], b["tags"], b["active"], b["severity"] = "described", []string{"x", "y"}, false, "low"
	b["validatePayload"], b["isTranslationEnabled"] = false, true
	b["payloadSchema"] = map[string]any{"type": "object", "properties": map[string]any{"n": map[string]any{"type": "integer"}}}
	b["preferences"] = map[string]any{
		"workflow": map[string]any{"all": map[string]any{"enabled": false, "readOnly": true},
			"channels": map[string]any{"email": map[string]any{"enabled": false}}},
		"user": map[string]any{"all": map[string]any{"enabled": true, "readOnly": false},
			"channels": map[string]any{"sms": map[string]any{"enabled": true}}},
	}
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", b), 200)
	before, _ := srv.Workflow("Staging", "wf")
	sync()
	src, _ := srv.Workflow("Development", "wf")
	dst, _ := srv.Workflow("Staging", "wf")
	if diff := cmp.Diff(content(src), content(dst)); diff != "" {
		t.Errorf("target after sync (-source +target):\n%s", diff)
	}
	if dst.ID != before.ID || dst.CreatedAt != before.CreatedAt {
		t.Errorf("sync replaced the target copy: _id %s→%s", before.ID, dst.ID)
	}
	if src.LastPublishedAt == nil || src.LastPublishedBy == nil || *src.LastPublishedAt <= src.UpdatedAt {
		t.Errorf("source lastPublishedAt %v by %v, want set after its updatedAt %s", src.LastPublishedAt, src.LastPublishedBy, src.UpdatedAt)
	}
}
