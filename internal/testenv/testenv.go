// Package testenv holds what the module's tests share, so that each kind
// of test has one harness: an emulator whose traffic is checked against
// Novu's OpenAPI document (emulator.go), a handler that makes it refuse one
// read, a reading of the step _ids it holds, a directory inside the module
// for a package a test writes (module.go), a testing.TB that records
// what a check reports (record.go), and the one golden-file check with the
// test binary's -update flag (golden.go). It is imported by tests only.
package testenv

import (
	"encoding/json"
	"net/http"
	"sync/atomic"

	"github.com/novugen/novugen/novutest"
)

// RefuseGET answers every GET of path with status and message, in Novu's
// error body, while on is set: a server that cannot read one workflow
// today. Other requests pass to the wrapped handler.
func RefuseGET(path string, status int, message string, on *atomic.Bool) func(http.Handler) http.Handler {
	body, err := json.Marshal(struct {
		StatusCode int    `json:"statusCode"`
		Timestamp  string `json:"timestamp"`
		Path       string `json:"path"`
		Message    string `json:"message"`
	}{status, "2026-01-01T00:00:00.000Z", path, message})
	if err != nil {
		panic(err) // a struct of strings and an int always encodes
	}
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if on.Load() && r.Method == http.MethodGet && r.URL.Path == path {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write(body)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// StepIDs records the _id of every step srv holds, by environment,
// workflowId and stepId ("Production/order-shipped/details"): a step
// whose _id changed was deleted and created again, which loses its
// history in Novu.
func StepIDs(srv *novutest.Server) map[string]string {
	m := map[string]string{}
	for _, env := range srv.Environments() {
		for _, w := range srv.Workflows(env.Name) {
			for _, s := range w.Steps {
				m[env.Name+"/"+w.WorkflowID+"/"+s.StepID] = s.ID
			}
		}
	}
	return m
}
