package novutest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
)

func TestWebhooksForWorkflowWrites(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"), "Idempotency-Key", "k1")
	// A replay answers from the store and changes nothing, so sends nothing.
	createWorkflow(t, srv, createBody("wf", "WF"), "Idempotency-Key", "k1")
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
