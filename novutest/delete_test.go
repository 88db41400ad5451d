package novutest_test

import (
	"testing"
)

func TestDeleteIs204AndLeavesSyncedCopies(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
	syncWorkflow(t, srv, "wf", envID(t, srv, "Staging"))
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
