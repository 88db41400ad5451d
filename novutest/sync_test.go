package novutest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
)

func TestSyncCopiesToTargetAndKeepsTargetStepIDs(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
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
	syncWorkflow(t, srv, "wf", prod)
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
	srv := startLoose(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
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

func TestSyncCopiesEveryField(t *testing.T) {
	srv := start(t)
	stg := envID(t, srv, "Staging")
	createWorkflow(t, srv, createBody("wf", "WF"))
	syncWorkflow(t, srv, "wf", stg)

	// Change every field sync copies (docs/novu-api.md §4.6 step 5), then sync over
	// the existing copy. The email's layout must exist: the sync reads it.
	expect(t, do(t, srv, "Development", "POST", "/v2/layouts", map[string]any{"layoutId": "my-layout", "name": "My layout"}), 201)
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
	syncWorkflow(t, srv, "wf", stg)
	src, _ := srv.Workflow("Development", "wf")
	dst, _ := srv.Workflow("Staging", "wf")
	if diff := cmp.Diff(content(src), content(dst)); diff != "" {
		t.Errorf("target after sync (-source +target):\n%s", diff)
	}
	if dst.ID != before.ID || dst.CreatedAt != before.CreatedAt {
		t.Errorf("sync replaced the target copy: _id %s→%s", before.ID, dst.ID)
	}
	if src.LastPublishedAt == nil || src.LastPublishedBy == nil || *src.LastPublishedAt != src.UpdatedAt {
		t.Errorf("source lastPublishedAt %v by %v, want set with its updatedAt %s", src.LastPublishedAt, src.LastPublishedBy, src.UpdatedAt)
	}
}

func TestSyncMovesSourceAndTargetEvenWhenUnchanged(t *testing.T) {
	srv := start(t)
	stg := envID(t, srv, "Staging")
	createWorkflow(t, srv, createBody("wf", "WF"))
	created, _ := srv.Workflow("Development", "wf")
	syncWorkflow(t, srv, "wf", stg)
	src1, _ := srv.Workflow("Development", "wf")
	dst1, _ := srv.Workflow("Staging", "wf")
	// Novu's updatePublishFields runs with timestamps on: the source's
	// updatedAt moves with its lastPublishedAt.
	if src1.UpdatedAt <= created.UpdatedAt || src1.LastPublishedAt == nil || *src1.LastPublishedAt != src1.UpdatedAt {
		t.Errorf("source after sync: updatedAt %s→%s lastPublishedAt %v", created.UpdatedAt, src1.UpdatedAt, src1.LastPublishedAt)
	}
	// A second sync of an unchanged workflow still writes both.
	syncWorkflow(t, srv, "wf", stg)
	src2, _ := srv.Workflow("Development", "wf")
	dst2, _ := srv.Workflow("Staging", "wf")
	if src2.UpdatedAt <= src1.UpdatedAt || *src2.LastPublishedAt <= *src1.LastPublishedAt {
		t.Errorf("unchanged resync left the source: updatedAt %s→%s", src1.UpdatedAt, src2.UpdatedAt)
	}
	if dst2.UpdatedAt <= dst1.UpdatedAt || dst2.ID != dst1.ID {
		t.Errorf("unchanged resync: target updatedAt %s→%s _id %s→%s", dst1.UpdatedAt, dst2.UpdatedAt, dst1.ID, dst2.ID)
	}
	// And each sync is two webhooks to the customer.
	if diff := cmp.Diff([]string{"workflow.created wf", "workflow.published wf", "workflow.published wf"},
		hookTypes(srv, "Development")); diff != "" {
		t.Errorf("Development webhooks (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"workflow.created wf", "workflow.updated wf"}, hookTypes(srv, "Staging")); diff != "" {
		t.Errorf("Staging webhooks (-want +got):\n%s", diff)
	}
	// A running emulator counts them in /__emulator/counts.
	resp, err := http.Get(srv.URL() + "/__emulator/counts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var counts struct{ Webhooks map[string]map[string]int }
	if err := json.NewDecoder(resp.Body).Decode(&counts); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int{
		"Development": {novutest.WebhookWorkflowCreated: 1, novutest.WebhookWorkflowPublished: 2},
		"Staging":     {novutest.WebhookWorkflowCreated: 1, novutest.WebhookWorkflowUpdated: 1},
		"Production":  {},
	}
	if diff := cmp.Diff(want, counts.Webhooks); diff != "" {
		t.Errorf("/__emulator/counts webhooks (-want +got):\n%s", diff)
	}
}
