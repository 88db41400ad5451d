package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

func TestServePrintsURLFirstAndStopsCleanly(t *testing.T) {
	e := startServe(t, 3, "-addr", "127.0.0.1:0", "-seed", "5")
	var devKey string
	// Without -keys, the keys of the issue: dev-secret-key, staging-secret-key, production-secret-key.
	for i, name := range []string{"Development", "Staging", "Production"} {
		f := e.envs[i]
		if len(f) != 3 || f[0] != name || len(f[1]) != 24 || f[2] != []string{"dev", "staging", "production"}[i]+"-secret-key" {
			t.Errorf("environment line %q", f)
		}
		if i == 0 {
			devKey = f[2]
		}
	}
	resp := send(t, "GET", e.base+"/v1/environments", devKey, "")
	var body struct{ Data []map[string]any }
	err := json.NewDecoder(resp.Body).Decode(&body)
	if err != nil || resp.StatusCode != 200 || len(body.Data) != 3 {
		t.Fatalf("GET /v1/environments: %d %v %v", resp.StatusCode, err, body)
	}
	if c := e.stop(); c != 0 {
		t.Errorf("exit %d after stop, stderr %s", c, e.stderr.String())
	}
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
	// main, so that its signal handling is what the test exercises.
	os.Args = append([]string{os.Args[0]}, args...)
	main()
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

func TestStopDuringLatencyExits0(t *testing.T) {
	e := startServe(t, 3, "-latency", "20s")
	done := inFlight(t, e.base, e.envs[0][2])
	// Exit 0 means the stop came within serve's 5s grace period, well
	// under the 20s latency; a stop that waited out the grace period
	// would exit 1.
	if c := e.stop(); c != 0 || e.stderr.String() != "" {
		t.Errorf("stop with a request in flight: exit %d, stderr %q; want 0 and nothing", c, e.stderr.String())
	}
	if err := <-done; err == nil || strings.HasPrefix(err.Error(), "answered") {
		t.Errorf("request in flight: %v, want a dropped connection", err)
	}
}
