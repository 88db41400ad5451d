package novutest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestCountsPerOperationAndEnvironment(t *testing.T) {
	srv := start(t)
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/wf", updateBody("WF")), 404)
	createWorkflow(t, srv, createBody("wf", "WF"))
	syncWorkflow(t, srv, "wf", envID(t, srv, "Staging"))
	expect(t, do(t, srv, "Staging", "GET", "/v2/workflows/wf", nil), 200)
	c := srv.Counts()
	if c.Total() != 4 || c.Writes() != 2 {
		t.Errorf("total %d writes %d, want 4 and 2", c.Total(), c.Writes())
	}
	if got := c[novutest.CountKey{Op: "update", Env: "Development"}]; got.Requests != 1 || got.Status[404] != 1 || got.Writes != 0 {
		t.Errorf("update count %+v", got)
	}
	if got := c[novutest.CountKey{Op: "get", Env: "Staging"}]; got.Requests != 1 {
		t.Errorf("get count %+v", got)
	}
	srv.ResetCounts()
	if srv.Counts().Total() != 0 {
		t.Error("ResetCounts left counts")
	}
}

func TestTriggerIsAWrite(t *testing.T) {
	srv := startLoose(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
	off := createBody("off", "Off")
	off["active"] = false
	createWorkflow(t, srv, off)
	srv.ResetCounts()
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger",
		map[string]any{"name": "wf", "to": "s", "payload": map[string]any{"amount": 1}}), 201)
	// An inactive workflow's event is recorded too.
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "off", "to": "s"}), 201)
	// Rejected triggers record nothing.
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "wf", "to": "s"}), 400)
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "nope", "to": "s"}), 422)
	if c := srv.Counts(); c.Op("trigger").Writes != 2 || c.Writes() != 2 || c.Reads() != 0 {
		t.Errorf("trigger count %+v, writes %d reads %d; want 2 writes and no reads", c.Op("trigger"), c.Writes(), c.Reads())
	}

	// A cut trigger is recorded although the client saw no answer.
	srv.SetFaults(novutest.Faults{CutAfterWrite: 1})
	if status, err := rawDo(srv, "POST", "/v1/events/trigger", "application/json",
		`{"name": "wf", "to": "s", "payload": {"amount": 2}}`, srv.Key("Development")); err == nil {
		t.Fatalf("cut trigger answered %d", status)
	}
	if n := len(srv.Events("Development")); n != 3 {
		t.Errorf("%d events, want 3 with the cut one", n)
	}
	if c := srv.Counts().Op("trigger"); c.Cut != 1 || c.Writes != 3 {
		t.Errorf("trigger count %+v, want 3 writes and 1 cut", c)
	}
}

func TestReadsCountReadOnlyOperations(t *testing.T) {
	srv := startLoose(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/wf", nil), 200)
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/nope", nil), 404)
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows", nil), 200)
	expect(t, do(t, srv, "Development", "POST", "/v2/environments/"+envID(t, srv, "Development")+"/diff", nil), 200)
	// A failed write is a request to a write operation, not a read.
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/nope", updateBody("X")), 404)
	c := srv.Counts()
	if c.Total() != 6 || c.Reads() != 4 || c.Writes() != 1 {
		t.Errorf("total %d reads %d writes %d, want 6, 4 and 1", c.Total(), c.Reads(), c.Writes())
	}
	if got := c[novutest.CountKey{Op: "get", Env: "Development"}]; got.Reads != 2 || got.Requests != 2 {
		t.Errorf("get count %+v, want 2 reads", got)
	}
	if got := c.Op("diff"); got.Reads != 1 {
		t.Errorf("diff count %+v, want a read", got)
	}
	if got := c.Op("update"); got.Reads != 0 || got.Requests != 1 {
		t.Errorf("update count %+v, want no read", got)
	}
	r := do(t, srv, "", "GET", "/__emulator/counts", nil)
	expect(t, r, 200)
	if r.body["reads"] != float64(4) || r.body["writes"] != float64(1) || r.body["total"] != float64(6) {
		t.Errorf("admin counts: %s", r.raw)
	}
	for _, raw := range r.body["counts"].([]any) {
		row := raw.(map[string]any)
		if row["Op"] == "get" && row["Reads"] != float64(2) {
			t.Errorf("admin get row %v, want Reads 2", row)
		}
	}
}

func TestAdminEndpointsOnLoopback(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
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
