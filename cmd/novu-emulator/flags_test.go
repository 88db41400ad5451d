package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestUsageErrorsExit2(t *testing.T) {
	wantUsageErrors(t, []usageCase{
		{[]string{"-addr", "0.0.0.0:0"}, "loopback only"},
		{[]string{"-p500", "2"}, "probability"},
		{[]string{"-burst429", "3"}, "N,M"},
		{[]string{"-retry-after-503", "-1"}, "0 or more seconds"},
		{[]string{"-duplicate-create", "fail"}, "want suffix, legacy-suffix or conflict"},
		{[]string{"-tier", "gold"}, "-tier \"gold\": want one of free, pro, team, business, enterprise, unlimited"},
		{[]string{"-workflow-rate-category", "workflows"}, "want configuration, global or trigger"},
		{[]string{"-burst", "-1"}, "positive bucket size"},
		{[]string{"-rate", "NaN"}, "positive rate"},
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"extra"}, "unexpected arguments"},
	})
}

func TestFaultFlagsReachTheServer(t *testing.T) {
	e := startServe(t, 3, "-p503", "1", "-retry-after-503", "4")
	resp := send(t, "GET", e.base+"/v2/workflows", "", "")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "4" {
		t.Errorf("-p503 1 -retry-after-503 4: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if c := e.stop(); c != 0 {
		t.Errorf("exit %d", c)
	}
}

func TestRateAndDuplicateFlagsReachTheServer(t *testing.T) {
	e := startServe(t, 3, "-tier", "free", "-workflow-rate-category", "global", "-duplicate-create", "legacy-suffix")
	devKey := e.envs[0][2]
	resp := send(t, "GET", e.base+"/v2/workflows", devKey, "")
	if want := `150;w=5;burst=165;comment="token bucket";category="global";cost="single";serviceLevel="free"`; resp.Header.Get("RateLimit-Policy") != want {
		t.Errorf("-tier free -workflow-rate-category global: RateLimit-Policy %q, want %q", resp.Header.Get("RateLimit-Policy"), want)
	}
	const create = `{"name": "A", "workflowId": "a", "steps": []}`
	send(t, "POST", e.base+"/v2/workflows", devKey, create)
	var body struct{ Data struct{ WorkflowID string } }
	if err := json.NewDecoder(send(t, "POST", e.base+"/v2/workflows", devKey, create).Body).Decode(&body); err != nil || len(body.Data.WorkflowID) < len("a-")+7 {
		t.Errorf("-duplicate-create legacy-suffix: second create answered workflowId %q (%v), want a-<7 to 14 characters>", body.Data.WorkflowID, err)
	}
	if c := e.stop(); c != 0 {
		t.Errorf("exit %d", c)
	}
}

func TestParseBurst429(t *testing.T) {
	tests := []struct {
		in   string
		want novutest.Burst429
		ok   bool
	}{
		{"3,1", novutest.Burst429{Every: 3, Length: 1, RetryAfter: 1}, true},
		{"10,2,0", novutest.Burst429{Every: 10, Length: 2, RetryAfter: 0}, true},
		{"3", novutest.Burst429{}, false},
		{"0,1", novutest.Burst429{}, false},
		{"3,1,-1", novutest.Burst429{}, false},
		{"3,1,1,1", novutest.Burst429{}, false},
		{"a,b", novutest.Burst429{}, false},
	}
	for _, tt := range tests {
		got, err := parseBurst429(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseBurst429(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// -version prints one line and exits 0 without serving.
func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-version"}, nil, &stdout, &stderr)
	if code != 0 || !strings.HasPrefix(stdout.String(), "novu-emulator: ") || strings.Count(stdout.String(), "\n") != 1 || stderr.Len() != 0 {
		t.Errorf("-version: exit %d, stdout %q, stderr %q; want 0 and one line", code, stdout.String(), stderr.String())
	}
}

// -help exits 0 and shows the defaults as the package documentation
// states them; the flags take them from novutest, so a change there shows
// here. The numbers are written out on purpose: they are what a user reads.
func TestHelpShowsTheDefaults(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-help"}, nil, &stdout, &stderr)
	help := stderr.String()
	if code != 0 {
		t.Errorf("-help: exit %d, want 0", code)
	}
	for _, want := range []string{
		`the first is the development one (default "Development,Staging,Production")`,
		"steps allowed per workflow (default 20)",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("-help lacks %q:\n%s", want, help)
		}
	}
}
