package novutest_test

import (
	"testing"
)

const layoutHTML = "<html><body><h1>{{ subscriber.firstName }}</h1>{{ content }}</body></html>"

func layoutUpdate(name, body string) map[string]any {
	return map[string]any{"name": name, "isTranslationEnabled": true,
		"controlValues": map[string]any{"email": map[string]any{"body": body, "editorType": "html"}}}
}

func TestLayoutCreateGetUpdateUsageDelete(t *testing.T) {
	srv := start(t)
	r := do(t, srv, "Development", "POST", "/v2/layouts", map[string]any{"layoutId": "brand", "name": "Brand"})
	expect(t, r, 201)
	if d := r.data(t); d["layoutId"] != "brand" || d["isDefault"] != true || d["origin"] != "novu-cloud" {
		t.Errorf("create answered %v; want layoutId brand, the environment's default, novu-cloud", d)
	}
	// The environment's second layout is no default.
	expect(t, do(t, srv, "Development", "POST", "/v2/layouts", map[string]any{"layoutId": "plain", "name": "Plain"}), 201)
	r = do(t, srv, "Development", "GET", "/v2/layouts", nil)
	expect(t, r, 200)
	if ls, _ := r.data(t)["layouts"].([]any); len(ls) != 2 || r.data(t)["totalCount"] != 2.0 {
		t.Errorf("list = %v, want both layouts", r.data(t))
	}
	// A layoutId in use is 409, not a suffixed copy.
	expect(t, do(t, srv, "Development", "POST", "/v2/layouts", map[string]any{"layoutId": "brand", "name": "Again"}), 409)

	expect(t, do(t, srv, "Development", "PUT", "/v2/layouts/brand", layoutUpdate("Brand 2", layoutHTML)), 200)
	r = do(t, srv, "Development", "GET", "/v2/layouts/brand", nil)
	expect(t, r, 200)
	email, _ := r.data(t)["controls"].(map[string]any)["values"].(map[string]any)["email"].(map[string]any)
	if d := r.data(t); d["name"] != "Brand 2" || d["isTranslationEnabled"] != true || email["body"] != layoutHTML {
		t.Errorf("get after update: %v", d)
	}
	// Without controlValues an update keeps them.
	expect(t, do(t, srv, "Development", "PUT", "/v2/layouts/brand", map[string]any{"name": "Brand 3"}), 200)
	if l := srv.Layouts("Development")[0]; l.Controls.Values.Email == nil || l.Controls.Values.Email.Body != layoutHTML {
		t.Errorf("an update without controlValues changed them: %+v", l.Controls.Values)
	}
	// Novu's upsert refuses an HTML body that is no whole document.
	expect(t, do(t, srv, "Development", "PUT", "/v2/layouts/brand", layoutUpdate("Brand", "<p>{{ content }}</p>")), 400)
	expect(t, do(t, srv, "Development", "PUT", "/v2/layouts/nope", layoutUpdate("Nope", layoutHTML)), 404)

	mail := map[string]any{"stepId": "mail", "name": "Mail", "type": "email", "controlValues": map[string]any{
		"subject": "S", "body": "<p>b</p>", "editorType": "html", "layoutId": "plain"}}
	createWorkflow(t, srv, createBody("wf", "WF", mail))
	r = do(t, srv, "Development", "GET", "/v2/layouts/plain/usage", nil)
	expect(t, r, 200)
	if ws, _ := r.data(t)["workflows"].([]any); len(ws) != 1 || ws[0].(map[string]any)["workflowId"] != "wf" {
		t.Errorf("usage = %v, want wf", r.data(t))
	}

	// The default layout cannot be deleted; another can, and the steps
	// that named it lose their layoutId.
	expect(t, do(t, srv, "Development", "DELETE", "/v2/layouts/brand", nil), 409)
	expect(t, do(t, srv, "Development", "DELETE", "/v2/layouts/plain", nil), 204)
	expect(t, do(t, srv, "Development", "GET", "/v2/layouts/plain", nil), 404)
	if w, _ := srv.Workflow("Development", "wf"); w.Steps[0].ControlValues["layoutId"] != nil {
		t.Errorf("the step still names the deleted layout: %v", w.Steps[0].ControlValues)
	}
}

func TestWorkflowSyncCarriesItsLayouts(t *testing.T) {
	srv := start(t)
	stg := envID(t, srv, "Staging")
	mail := map[string]any{"stepId": "mail", "name": "Mail", "type": "email", "controlValues": map[string]any{
		"subject": "S", "body": "<p>b</p>", "editorType": "html", "layoutId": "brand"}}
	createWorkflow(t, srv, createBody("wf", "WF", mail))

	// A layout the source does not hold fails the sync, which reads it.
	r := do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": stg})
	expect(t, r, 404)
	if _, ok := srv.Workflow("Staging", "wf"); ok {
		t.Error("a sync refused for its layout wrote the workflow")
	}

	expect(t, do(t, srv, "Development", "POST", "/v2/layouts", map[string]any{"layoutId": "brand", "name": "Brand"}), 201)
	expect(t, do(t, srv, "Development", "PUT", "/v2/layouts/brand", layoutUpdate("Brand", layoutHTML)), 200)
	syncWorkflow(t, srv, "wf", stg)
	got := srv.Layouts("Staging")
	if len(got) != 1 || got[0].Name != "Brand" || !got[0].IsTranslationEnabled || got[0].Controls.Values.Email.Body != layoutHTML {
		t.Fatalf("Staging layouts after the sync: %+v", got)
	}
	if src := srv.Layouts("Development")[0]; src.ID == got[0].ID {
		t.Error("the target copy shares the source _id")
	}

	// A changed layout reaches the target with the next sync, under the
	// same _id there.
	expect(t, do(t, srv, "Development", "PUT", "/v2/layouts/brand", layoutUpdate("Brand 2", layoutHTML)), 200)
	syncWorkflow(t, srv, "wf", stg)
	if again := srv.Layouts("Staging"); len(again) != 1 || again[0].Name != "Brand 2" || again[0].ID != got[0].ID {
		t.Errorf("Staging layouts after the second sync: %+v", again)
	}
}
