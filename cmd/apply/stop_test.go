package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A server that accepts and never answers: the run's -timeout ends it, and
// every place a CI reader looks (stderr, the step summary, -json's error)
// says which request and that -timeout passed. Golden:
// testdata/output/TestTimeoutAgainstASilentServerNamesTheRequestAndTheTimeout.txtar.
func TestTimeoutAgainstASilentServerNamesTheRequestAndTheTimeout(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) })
	env := []string{"NOVU_API_URL=" + srv.URL, "NOVU_SECRET_KEY=" + devKey}
	g := goldenFor(t)
	g.hide(srv.URL, "$NOVU_API_URL")

	r := runCmd(t, env, "-timeout", "700ms")
	if r.code != 1 {
		t.Errorf("exit %d, stderr %q; want 1", r.code, r.stderr)
	}
	g.result("timeout", r)
	r = runCmd(t, env, "-timeout", "700ms", "-json")
	if r.code != 1 {
		t.Errorf("-json: exit %d, stdout %q; want 1", r.code, r.stdout)
	}
	g.result("timeout-json", r)
}

// A refused key: one line on stderr that says so and names the URL, one
// request (no retries), exit 1. Golden:
// testdata/output/TestRefusedKeyIsOneLineAndOneRequest.txtar.
func TestRefusedKeyIsOneLineAndOneRequest(t *testing.T) {
	h := newCmdHarness(t)
	h.g.hide(h.srv.URL(), "$NOVU_API_URL")
	h.env = []string{"NOVU_API_URL=" + h.srv.URL(), "NOVU_SECRET_KEY=sk_revoked_0000"}
	if r := h.record("refused"); r.code != 1 {
		t.Errorf("exit %d, stderr %q; want 1", r.code, r.stderr)
	}
	if c := h.srv.Counts(); c.Total() != 1 || c.Writes() != 0 {
		t.Errorf("%d requests, %d writes; want the one refused request", c.Total(), c.Writes())
	}
}

// Usage errors found while reading the options are reported under -json
// and in the step summary too, wherever -json stands on the command line.
// Golden: testdata/output/TestUsageErrorsReachJSONAndTheStepSummary.txtar.
func TestUsageErrorsReachJSONAndTheStepSummary(t *testing.T) {
	g := goldenFor(t)
	for _, tt := range []struct {
		name string
		env  []string
		args []string
	}{
		{"missing-key", nil, []string{"-json"}},
		{"concurrency-0", []string{"NOVU_SECRET_KEY=x"}, []string{"-concurrency", "0", "-json"}},
		{"unknown-flag", []string{"NOVU_SECRET_KEY=x"}, []string{"-nope", "-json"}},
	} {
		r := runCmd(t, tt.env, tt.args...)
		if r.code != 2 {
			t.Errorf("%q: exit %d, stdout %q; want 2", tt.args, r.code, r.stdout)
		}
		// Their stderr, the usage text among it, is TestUsageErrors's and
		// TestHelp's to check.
		g.add(tt.name+".stdout", r.stdout)
		g.add(tt.name+".summary.md", r.summary)
	}
}
