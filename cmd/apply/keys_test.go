package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

// TestKeyAppearsNowhere runs every command path with recognisable keys and
// looks for them in everything the command wrote.
func TestKeyAppearsNowhere(t *testing.T) {
	h := newCmdHarness(t, withProduction)
	limited := newCmdHarnessWith(t, novutest.Options{MaxSteps: 1})
	faulty := newCmdHarnessWith(t, novutest.Options{Seed: 3, Faults: novutest.Faults{P503: 0.2, CutAfterWrite: 0.05}}, withProduction)
	// A server that echoes every request header into its error bodies:
	// the key must be redacted from what Novu says, too.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg, _ := json.Marshal(fmt.Sprint(r.Header))
		fmt.Fprintf(w, `{"statusCode":400,"timestamp":"2026-11-27T00:00:00.000Z","path":%q,"message":%s}`, r.URL.Path, msg)
	}))
	t.Cleanup(echo.Close)
	echoEnv := []string{"NOVU_API_URL=" + echo.URL, "NOVU_SECRET_KEY=" + devKey}

	const anyExit = -1
	type path struct {
		name string
		env  []string
		args []string
		code int // the exit status the path must end with, or anyExit
	}
	paths := []path{
		{"plan", h.env, []string{"-plan"}, anyExit},
		{"plan -json", h.env, []string{"-plan", "-json"}, anyExit},
		{"apply", h.env, nil, anyExit},
		{"apply -json", h.env, []string{"-json"}, anyExit},
		{"an unknown target", h.env, []string{"-to", "Nowhere"}, anyExit},
		{"a refused create", limited.env, []string{"-only", "order-shipped"}, 1},
		{"a wrong key", []string{"NOVU_API_URL=" + h.srv.URL(), "NOVU_SECRET_KEY=" + devKey + "x"}, nil, 1},
	}
	// The key pasted into NOVU_API_URL, whole or inside a URL.
	for _, u := range []string{devKey, "https://" + devKey + "@api.novu.co", "https://api.novu.co/?key=" + devKey, "https://api.novu.co/#" + devKey} {
		paths = append(paths, path{"NOVU_API_URL with the key in it", []string{"NOVU_API_URL=" + u, "NOVU_SECRET_KEY=" + devKey}, nil, 2})
	}
	paths = append(paths,
		// Retries, pruning and a drift check, on an emulator with faults.
		path{"apply with faults", faulty.env, nil, anyExit},
		path{"prune with faults", faulty.env, []string{"-prune"}, anyExit},
		path{"drift check with faults", faulty.env, []string{"-plan", "-detailed-exitcode"}, anyExit},
		path{"Novu echoing the key", echoEnv, nil, anyExit},
		path{"Novu echoing the key, -json", echoEnv, []string{"-json"}, anyExit},
	)
	for i, p := range paths {
		r := runCmd(t, p.env, p.args...)
		if p.code != anyExit && r.code != p.code {
			t.Errorf("run %d, %s: exit %d; want %d", i, p.name, r.code, p.code)
		}
		for _, k := range []string{devKey, prodKey} {
			if strings.Contains(r.stdout+r.stderr+r.summary, k) {
				t.Errorf("run %d, %s, printed a secret key:\nstdout %s\nstderr %s\nsummary %s", i, p.name, r.stdout, r.stderr, r.summary)
			}
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
