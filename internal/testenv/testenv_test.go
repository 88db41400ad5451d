package testenv

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/novugen/novugen/novutest"
)

// RefuseGET answers only the GET of its path, only while switched on, with
// Novu's error body; everything else reaches the wrapped handler.
func TestRefuseGET(t *testing.T) {
	var on atomic.Bool
	h := RefuseGET("/v2/workflows/a", http.StatusBadRequest, "Workflow | cannot <be> found", &on)(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "passed") }))
	do := func(method, path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec.Code, rec.Body.String()
	}
	if code, body := do(http.MethodGet, "/v2/workflows/a"); code != 200 || body != "passed" {
		t.Errorf("switched off: %d %q; want it passed on", code, body)
	}
	on.Store(true)
	for _, req := range [][2]string{{http.MethodPut, "/v2/workflows/a"}, {http.MethodGet, "/v2/workflows/b"}} {
		if code, body := do(req[0], req[1]); code != 200 || body != "passed" {
			t.Errorf("%s %s: %d %q; want it passed on", req[0], req[1], code, body)
		}
	}
	code, body := do(http.MethodGet, "/v2/workflows/a")
	var e struct {
		StatusCode int    `json:"statusCode"`
		Path       string `json:"path"`
		Message    string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || code != 400 || e.StatusCode != 400 ||
		e.Path != "/v2/workflows/a" || e.Message != "Workflow | cannot <be> found" {
		t.Errorf("switched on: %d %s (%v); want Novu's 400 body with the message", code, body, err)
	}
}

// StepIDs holds every step of every environment, keyed so that two
// environments' copies of a step stay apart.
func TestStepIDs(t *testing.T) {
	srv := Emulator(t, novutest.Options{})
	for env, id := range map[string]string{"Development": "6650c0ffee0000000000b001", "Production": "6650c0ffee0000000000b002"} {
		srv.PutWorkflow(env, novutest.Workflow{WorkflowID: "a", Name: "A", Steps: []novutest.Step{{ID: id, StepID: "s", Name: "S", Type: "in_app"}}})
	}
	want := map[string]string{"Development/a/s": "6650c0ffee0000000000b001", "Production/a/s": "6650c0ffee0000000000b002"}
	if got := StepIDs(srv); !maps.Equal(got, want) {
		t.Errorf("StepIDs = %v; want %v", got, want)
	}
}
