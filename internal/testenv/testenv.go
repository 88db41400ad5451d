// Package testenv is what the tests of internal/novu, internal/apply and
// cmd/apply share to run against the Novu emulator: an emulator whose
// traffic is checked against Novu's OpenAPI document, a handler that makes
// it refuse one read, and a reading of the step _ids it holds. It is
// imported by tests only.
package testenv

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/novugen/novugen/internal/conformance"
	"github.com/novugen/novugen/novutest"
)

// Emulator starts a novutest server for the test, closed when it ends.
// Every request that reaches the emulator and every answer it gives is
// checked against Novu's OpenAPI document (internal/conformance); opts.Wrap,
// when set, stands in front of that check, so what it answers itself (a
// fault a test injects) is not checked.
func Emulator(tb testing.TB, opts novutest.Options) *novutest.Server {
	tb.Helper()
	check := conformance.New(tb).Wrap
	if outer := opts.Wrap; outer != nil {
		opts.Wrap = func(h http.Handler) http.Handler { return outer(check(h)) }
	} else {
		opts.Wrap = check
	}
	srv := novutest.NewServer(opts)
	tb.Cleanup(srv.Close)
	return srv
}

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
