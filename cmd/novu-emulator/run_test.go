package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestServePrintsURLFirstAndStopsCleanly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- serve(ctx, []string{"-addr", "127.0.0.1:0", "-seed", "5"}, pw, &stderr)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var out []string
	for len(out) < 4 && lines.Scan() {
		out = append(out, lines.Text())
	}
	if len(out) < 4 || !strings.HasPrefix(out[0], "http://127.0.0.1:") {
		t.Fatalf("stdout %q, want the URL first and three environments", out)
	}
	base := out[0]
	var devKey string
	// Without -keys, the keys of the issue: dev-secret-key, staging-secret-key, production-secret-key.
	for i, name := range []string{"Development", "Staging", "Production"} {
		f := strings.Fields(out[i+1])
		if len(f) != 3 || f[0] != name || len(f[1]) != 24 || f[2] != []string{"dev", "staging", "production"}[i]+"-secret-key" {
			t.Errorf("environment line %q", out[i+1])
		}
		if i == 0 {
			devKey = f[2]
		}
	}
	req, _ := http.NewRequest("GET", base+"/v1/environments", nil)
	req.Header.Set("Authorization", "ApiKey "+devKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Data []map[string]any }
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(body.Data) != 3 {
		t.Fatalf("GET /v1/environments: %d %v %v", resp.StatusCode, err, body)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d after stop, stderr %s", c, stderr.String())
	}
}

// usageCase is a command line serve must refuse with exit 2, saying want
// on stderr and printing nothing on stdout.
type usageCase struct {
	args []string
	want string
}

func wantUsageErrors(t *testing.T, tests []usageCase) {
	t.Helper()
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if c := serve(context.Background(), tt.args, &stdout, &stderr); c != 2 {
			t.Errorf("%q: exit %d, want 2", tt.args, c)
		}
		if !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
			t.Errorf("%q: stderr %q (want %q), stdout %q", tt.args, stderr.String(), tt.want, stdout.String())
		}
	}
}

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

// TestHelperProcess is the emulator command when run by the signal tests.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("NOVU_EMULATOR_HELPER") != "1" {
		t.Skip("helper for TestStopsCleanlyOnSignals")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(args, os.Stdout, os.Stderr))
}

func TestStopsCleanlyOnSignals(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "--", "-addr", "127.0.0.1:0", "-latency", "20s")
			cmd.Env = append(os.Environ(), "NOVU_EMULATOR_HELPER=1", "GORACE=atexit_sleep_ms=0")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(out)
			if !lines.Scan() || !strings.HasPrefix(lines.Text(), "http://127.0.0.1:") {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatalf("first line %q, stderr %s", lines.Text(), stderr.String())
			}
			base := lines.Text()
			lines.Scan()
			devKey := strings.Fields(lines.Text())[2]
			for range 2 {
				lines.Scan()
			}
			// Serving until the signal: the admin endpoint, which has no
			// latency, answers.
			resp, err := http.Get(base + "/__emulator/counts")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			// An API request waits out the 20s latency when the signal
			// comes; the stop must not wait for it.
			done := inFlight(t, base, devKey)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, out)
			if err := cmd.Wait(); err != nil || stderr.Len() != 0 {
				t.Errorf("after %v: %v, stderr %q; want exit 0 and nothing", sig, err, stderr.String())
			}
			if err := <-done; err == nil || strings.HasPrefix(err.Error(), "answered") {
				t.Errorf("request in flight: %v, want a dropped connection", err)
			}
		})
	}
}

func TestFaultFlagsReachTheServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- serve(ctx, []string{"-p503", "1", "-retry-after-503", "4"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	lines.Scan()
	base := lines.Text()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	resp, err := http.Get(base + "/v2/workflows")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "4" {
		t.Errorf("-p503 1 -retry-after-503 4: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d", c)
	}
}

func TestRateAndDuplicateFlagsReachTheServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- serve(ctx, []string{"-tier", "free", "-workflow-rate-category", "global", "-duplicate-create", "legacy-suffix"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	lines.Scan()
	base := lines.Text()
	lines.Scan()
	devKey := strings.Fields(lines.Text())[2]
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	send := func(method, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, base+"/v2/workflows", strings.NewReader(body))
		req.Header.Set("Authorization", "ApiKey "+devKey)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := send("GET", "")
	if want := `150;w=5;burst=165;comment="token bucket";category="global";cost="single";serviceLevel="free"`; resp.Header.Get("RateLimit-Policy") != want {
		t.Errorf("-tier free -workflow-rate-category global: RateLimit-Policy %q, want %q", resp.Header.Get("RateLimit-Policy"), want)
	}
	const create = `{"name": "A", "workflowId": "a", "steps": []}`
	send("POST", create)
	var body struct{ Data struct{ WorkflowID string } }
	if err := json.NewDecoder(send("POST", create).Body).Decode(&body); err != nil || len(body.Data.WorkflowID) < len("a-")+7 {
		t.Errorf("-duplicate-create legacy-suffix: second create answered workflowId %q (%v), want a-<7 to 14 characters>", body.Data.WorkflowID, err)
	}
	cancel()
	if c := <-code; c != 0 {
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
	code := serve(context.Background(), []string{"-version"}, &stdout, &stderr)
	if code != 0 || !strings.HasPrefix(stdout.String(), "novu-emulator: ") || strings.Count(stdout.String(), "\n") != 1 || stderr.Len() != 0 {
		t.Errorf("-version: exit %d, stdout %q, stderr %q; want 0 and one line", code, stdout.String(), stderr.String())
	}
}
