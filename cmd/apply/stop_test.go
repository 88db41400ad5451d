package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

// A server that accepts and never answers: the run's -timeout ends it, and
// every place a CI reader looks says which request and that -timeout passed.
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

	r := runCmd(t, env, "-timeout", "700ms")
	want := "GET /v1/environments"
	if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "the run's -timeout of 700ms passed") {
		t.Errorf("exit %d, stderr %q; want 1 naming %s and the -timeout", r.code, r.stderr, want)
	}
	if !strings.Contains(r.summary, "Stopped before writing anything") || !strings.Contains(r.summary, want) {
		t.Errorf("step summary %q does not say why the run stopped", r.summary)
	}

	r = runCmd(t, env, "-timeout", "700ms", "-json")
	var out struct {
		SchemaVersion string `json:"schemaVersion"`
		Error         string `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.SchemaVersion == "" || !strings.Contains(out.Error, want) {
		t.Errorf("-json stdout %q (%v); want {schemaVersion, error} naming %s", r.stdout, err, want)
	}
}

// A refused key: one line on stderr that says so and names the URL, one
// request (no retries), exit 1. Golden:
// testdata/output/TestRefusedKeyIsOneLineAndOneRequest.txtar.
func TestRefusedKeyIsOneLineAndOneRequest(t *testing.T) {
	h := newCmdHarness(t, novutest.Options{})
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
func TestUsageErrorsReachJSONAndTheStepSummary(t *testing.T) {
	for _, tt := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"-json"}, "NOVU_SECRET_KEY"},
		{[]string{"NOVU_SECRET_KEY=x"}, []string{"-concurrency", "0", "-json"}, "accepted values are 1 to 64"},
		{[]string{"NOVU_SECRET_KEY=x"}, []string{"-nope", "-json"}, "invalid command line"},
	} {
		r := runCmd(t, tt.env, tt.args...)
		var out struct {
			SchemaVersion string `json:"schemaVersion"`
			Error         string `json:"error"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || !strings.Contains(out.Error, tt.want) || r.code != 2 {
			t.Errorf("%q: exit %d, stdout %q (%v); want 2 and {error} naming %q", tt.args, r.code, r.stdout, err, tt.want)
		}
		if !strings.Contains(r.summary, "Stopped before writing anything") {
			t.Errorf("%q: step summary %q", tt.args, r.summary)
		}
	}
}
