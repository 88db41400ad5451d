package novutest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novugen/novugen/novutest"
)

// hookTypes lists the types of an environment's webhooks, oldest first.
func hookTypes(srv *novutest.Server, env string) []string {
	var out []string
	for _, h := range srv.Webhooks(env) {
		out = append(out, h.Type+" "+h.WorkflowID)
	}
	return out
}

func TestSyncMovesSourceAndTargetEvenWhenUnchanged(t *testing.T) {
	srv := start(t, novutest.Options{})
	stg := envID(t, srv, "Staging")
	sync := func() {
		t.Helper()
		expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf/sync", map[string]any{"targetEnvironmentId": stg}), 200)
	}
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF")), 201)
	created, _ := srv.Workflow("Development", "wf")
	sync()
	src1, _ := srv.Workflow("Development", "wf")
	dst1, _ := srv.Workflow("Staging", "wf")
	// Novu's updatePublishFields runs with timestamps on: the source's
	// updatedAt moves with its lastPublishedAt.
	if src1.UpdatedAt <= created.UpdatedAt || src1.LastPublishedAt == nil || *src1.LastPublishedAt != src1.UpdatedAt {
		t.Errorf("source after sync: updatedAt %s→%s lastPublishedAt %v", created.UpdatedAt, src1.UpdatedAt, src1.LastPublishedAt)
	}
	// A second sync of an unchanged workflow still writes both.
	sync()
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

func TestWebhooksForWorkflowWrites(t *testing.T) {
	srv := start(t, novutest.Options{})
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF"), "Idempotency-Key", "k1"), 201)
	// A replay answers from the store and changes nothing, so sends nothing.
	expect(t, do(t, srv, "Development", "POST", "/v2/workflows", createBody("wf", "WF"), "Idempotency-Key", "k1"), 201)
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", updateBody("WF 2")), 200)
	expect(t, do(t, srv, "Development", "PATCH", "/v2/workflows/wf", map[string]any{"active": false}), 200)
	expect(t, do(t, srv, "Development", "DELETE", "/v2/workflows/wf", nil), 204)
	// Dashboard-style edits by the test record none.
	srv.PutWorkflow("Development", novutest.Workflow{WorkflowID: "seeded", Name: "Seeded"})
	want := []string{"workflow.created wf", "workflow.updated wf", "workflow.updated wf", "workflow.deleted wf"}
	if diff := cmp.Diff(want, hookTypes(srv, "Development")); diff != "" {
		t.Errorf("webhooks (-want +got):\n%s", diff)
	}
	if hooks := srv.Webhooks("Development"); hooks[0].Time == "" || srv.Webhooks("Nowhere") != nil {
		t.Errorf("webhook time %q; unknown environment %v", hooks[0].Time, srv.Webhooks("Nowhere"))
	}
}
