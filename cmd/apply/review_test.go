package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/novugen/novugen/internal/conformance"
	"github.com/novugen/novugen/novutest"
)

// A plan that could not read a workflow is not a plan: it cannot say
// whether that workflow is pending, so -plan must fail (1), and under
// -detailed-exitcode 2 must keep meaning only "changes pending".
func TestPlanWithAFailedReadExitsOne(t *testing.T) {
	// Novu refuses one read with a 400 (some versions answer an unknown
	// workflow that way, docs/novu-api.md §14.13): not retried, not "absent".
	var broken atomic.Bool
	refuse := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if broken.Load() && r.Method == http.MethodGet && r.URL.Path == "/v2/workflows/order-shipped" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"statusCode":400,"timestamp":"2026-01-01T00:00:00.000Z","path":"/v2/workflows/order-shipped","message":"Workflow cannot be found"}`))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	srv := novutest.NewServer(novutest.Options{
		Keys: map[string]string{"Development": devKey, "Production": prodKey},
		Wrap: func(h http.Handler) http.Handler { return refuse(conformance.New(t).WrapResponses(h)) },
	})
	t.Cleanup(srv.Close)
	// The other workflows exist and are in sync, so nothing else is pending.
	if r := runCmd(t, envFor(srv)); r.code != 0 {
		t.Fatalf("setup run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	broken.Store(true)
	for _, args := range [][]string{{"-plan"}, {"-plan", "-detailed-exitcode"}, {"-plan", "-json"}} {
		r := runCmd(t, envFor(srv), args...)
		if r.code != 1 {
			t.Errorf("%v: exit %d; want 1\nstdout %s\nstderr %s", args, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "apply: cannot plan order-shipped: read in Development (HTTP 400)") {
			t.Errorf("%v: output does not name the workflow it could not read:\n%s\n%s", args, r.stdout, r.stderr)
		}
	}
}

// The parsed options hold the keys; printing them whole, as a debugging
// line or a test failure might (%+v, %#v), must not show them.
func TestOptionsDoNotPrintKeys(t *testing.T) {
	o, err := parseOptions(nil, map[string]string{"NOVU_SECRET_KEY": devKey, "NOVU_SECRET_KEY_PRODUCTION": prodKey}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if s := fmt.Sprintf(verb, o); strings.Contains(s, devKey) || strings.Contains(s, prodKey) {
			t.Errorf("%s of the options shows a key: %s", verb, s)
		}
	}
}
