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
	srv := newServer(t, novutest.Options{})
	env := envFor(srv, "NOVU_SECRET_KEY_PRODUCTION="+prodKey)
	var all []result
	all = append(all, runCmd(t, env, "-plan"))
	all = append(all, runCmd(t, env, "-plan", "-json"))
	all = append(all, runCmd(t, env))
	all = append(all, runCmd(t, env, "-json"))
	all = append(all, runCmd(t, env, "-to", "Nowhere"))
	limited := newServer(t, novutest.Options{MaxSteps: 1})
	all = append(all, runCmd(t, envFor(limited), "-only", "order-shipped"))
	wrong := []string{"NOVU_API_URL=" + srv.URL(), "NOVU_SECRET_KEY=" + devKey + "x"}
	all = append(all, runCmd(t, wrong))
	// The key pasted into NOVU_API_URL, whole or inside a URL.
	for _, u := range []string{devKey, "https://" + devKey + "@api.novu.co", "https://api.novu.co/?key=" + devKey, "https://api.novu.co/#" + devKey} {
		r := runCmd(t, []string{"NOVU_API_URL=" + u, "NOVU_SECRET_KEY=" + devKey})
		if r.code != 2 {
			t.Errorf("NOVU_API_URL with the key in it: exit %d; want 2", r.code)
		}
		all = append(all, r)
	}
	if all[5].code != 1 || all[6].code != 1 {
		t.Errorf("failure paths exited %d and %d; want 1", all[5].code, all[6].code)
	}
	// Retries, pruning and a drift check, on an emulator with faults.
	faulty := newServer(t, novutest.Options{Seed: 3, Faults: novutest.Faults{P503: 0.2, CutAfterWrite: 0.05}})
	fenv := envFor(faulty, "NOVU_SECRET_KEY_PRODUCTION="+prodKey)
	all = append(all, runCmd(t, fenv), runCmd(t, fenv, "-prune"), runCmd(t, fenv, "-plan", "-detailed-exitcode"))
	// A server that echoes every request header into its error bodies:
	// the key must be redacted from what Novu says, too.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg, _ := json.Marshal(fmt.Sprint(r.Header))
		fmt.Fprintf(w, `{"statusCode":400,"timestamp":"2026-11-27T00:00:00.000Z","path":%q,"message":%s}`, r.URL.Path, msg)
	}))
	t.Cleanup(echo.Close)
	eenv := []string{"NOVU_API_URL=" + echo.URL, "NOVU_SECRET_KEY=" + devKey}
	all = append(all, runCmd(t, eenv), runCmd(t, eenv, "-json"))
	for i, r := range all {
		for _, k := range []string{devKey, prodKey} {
			if strings.Contains(r.stdout+r.stderr+r.summary, k) {
				t.Errorf("run %d printed a secret key:\nstdout %s\nstderr %s\nsummary %s", i, r.stdout, r.stderr, r.summary)
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
