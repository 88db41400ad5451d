package novutest_test

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestUpdateIsFullReplaceMatchingStepsByID(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
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
	srv := start(t)
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/payout-initiated", updateBody("P")), 404)
	if len(srv.Workflows("Development")) != 0 {
		t.Error("PUT created a workflow")
	}
}

func TestUpdateTreatsUnknownStepIDAsNew(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("a", "A"))
	createWorkflow(t, srv, createBody("b", "B"))
	a, _ := srv.Workflow("Development", "a")
	b, _ := srv.Workflow("Development", "b")
	// Steps match by _id only: one of another workflow is unknown here, so
	// the step is new, not refused, and b's old steps are gone.
	r := do(t, srv, "Development", "PUT", "/v2/workflows/b",
		updateBody("B", map[string]any{"_id": a.Steps[0].ID, "name": "X", "type": "in_app",
			"controlValues": map[string]any{"body": "x"}}))
	expect(t, r, 200)
	after, _ := srv.Workflow("Development", "b")
	if len(after.Steps) != 1 || after.Steps[0].StepID != "x" {
		t.Fatalf("steps after update: %+v, want one new step x", after.Steps)
	}
	if id := after.Steps[0].ID; id == a.Steps[0].ID || id == b.Steps[0].ID || id == b.Steps[1].ID {
		t.Errorf("new step has _id %s of an existing step", id)
	}
	if now, _ := srv.Workflow("Development", "a"); now.Steps[0].ID != a.Steps[0].ID || now.UpdatedAt != a.UpdatedAt {
		t.Errorf("the other workflow changed: %+v", now.Steps)
	}
}

func TestNewStepWithoutStepIDGetsAFreeSlug(t *testing.T) {
	srv := startWith(t, novutest.Options{Seed: 3})
	steps := []map[string]any{
		{"name": "Email", "type": "in_app", "controlValues": map[string]any{"body": "1"}},
		{"name": "Email", "type": "in_app", "controlValues": map[string]any{"body": "2"}},
	}
	// On create the slug of a later step is checked against the earlier ones.
	createWorkflow(t, srv, createBody("wf", "WF", steps...))
	w, _ := srv.Workflow("Development", "wf")
	suffixed := regexp.MustCompile(`^email-[0-9a-z]{4}$`)
	if w.Steps[0].StepID != "email" || !suffixed.MatchString(w.Steps[1].StepID) {
		t.Errorf("created stepIds %q, %q; want email and email-<4 of [0-9a-z]>", w.Steps[0].StepID, w.Steps[1].StepID)
	}
	// On update against the stored steps: resending a step without its
	// _id makes a new step, with a new stepId too.
	r := do(t, srv, "Development", "PUT", "/v2/workflows/wf", updateBody("WF",
		map[string]any{"name": "Email", "type": "in_app", "controlValues": map[string]any{"body": "3"}}))
	expect(t, r, 200)
	after, _ := srv.Workflow("Development", "wf")
	if got := after.Steps[0].StepID; !suffixed.MatchString(got) || got == w.Steps[1].StepID || after.Steps[0].ID == w.Steps[0].ID {
		t.Errorf("resent step: stepId %q _id %s; want a new step with a new email-<suffix>", got, after.Steps[0].ID)
	}
}

func TestPatchChangesOnlyGivenFields(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
	r := do(t, srv, "Development", "PATCH", "/v2/workflows/wf", map[string]any{"active": false})
	expect(t, r, 200)
	w, _ := srv.Workflow("Development", "wf")
	if w.Active || w.Status != "INACTIVE" || w.Name != "WF" || len(w.Steps) != 2 {
		t.Errorf("after patch: active %v status %s name %s steps %d", w.Active, w.Status, w.Name, len(w.Steps))
	}
}

func TestEditWorkflowBumpsUpdatedAt(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
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

// TestUpdatePayloadSchemaNullClearsAbsentKeeps: an update stores the
// payloadSchema the body holds; null clears it (the open schema is only a
// create's default), and a body without the key keeps the stored one.
func TestUpdatePayloadSchemaNullClearsAbsentKeeps(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
	stored, _ := srv.Workflow("Development", "wf")

	body := updateBody("WF")
	delete(body, "payloadSchema")
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", body), 200)
	if w, _ := srv.Workflow("Development", "wf"); !reflect.DeepEqual(w.PayloadSchema, stored.PayloadSchema) {
		t.Errorf("update without payloadSchema: stored %v, want the earlier %v", w.PayloadSchema, stored.PayloadSchema)
	}

	body = updateBody("WF")
	body["payloadSchema"] = nil
	r := do(t, srv, "Development", "PUT", "/v2/workflows/wf", body)
	expect(t, r, 200)
	if w, _ := srv.Workflow("Development", "wf"); w.PayloadSchema != nil {
		t.Errorf("update with payloadSchema null: stored %v, want none", w.PayloadSchema)
	}
	if got, ok := r.data(t)["payloadSchema"]; !ok || got != nil {
		t.Errorf("answer payloadSchema %v (present %v), want null", got, ok)
	}
}
