package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// emulator is serve running in-process until stop.
type emulator struct {
	base   string
	envs   [][]string // name, _id, key
	cancel context.CancelFunc
	code   chan int
	stderr *syncBuffer
}

// syncBuffer is a bytes.Buffer that serve may write while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs serve with args and reads the URL and the lines of the
// nEnvs environments it prints.
func startServe(t *testing.T, nEnvs int, args ...string) *emulator {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e := &emulator{cancel: cancel, code: make(chan int, 1), stderr: &syncBuffer{}}
	pr, pw := io.Pipe()
	go func() {
		e.code <- serve(ctx, args, pw, e.stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		<-e.code
	})
	lines := bufio.NewScanner(pr)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "http://127.0.0.1:") {
		t.Fatalf("first line %q, want the URL; stderr %s", lines.Text(), e.stderr.String())
	}
	e.base = lines.Text()
	for range nEnvs {
		if !lines.Scan() {
			t.Fatalf("environment lines %q, want %d", e.envs, nEnvs)
		}
		e.envs = append(e.envs, strings.Fields(lines.Text()))
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return e
}

// stop cancels serve's context, as SIGINT does, and returns its exit code.
func (e *emulator) stop() int {
	e.cancel()
	c := <-e.code
	e.code <- c // for the cleanup
	return c
}

// environmentsSeenBy lists the environments with the name of the one whose
// keys key sees, or "" when the key is refused.
func environmentsSeenBy(t *testing.T, base, key string) (status int, own string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/v1/environments", nil)
	req.Header.Set("Authorization", "ApiKey "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data []struct {
			Name    string
			APIKeys []struct{ Key string } `json:"apiKeys"`
		}
	}
	if resp.StatusCode != 200 {
		return resp.StatusCode, ""
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	for _, e := range body.Data {
		if len(e.APIKeys) == 1 && e.APIKeys[0].Key == key {
			own = e.Name
		}
	}
	return resp.StatusCode, own
}

func TestKeysFlagSetsPrintedKeys(t *testing.T) {
	e := startServe(t, 3, "-keys", "development=k1, PRODUCTION=k3")
	want := [][2]string{{"Development", "k1"}, {"Staging", "staging-secret-key"}, {"Production", "k3"}}
	for i, w := range want {
		if f := e.envs[i]; len(f) != 3 || f[0] != w[0] || f[2] != w[1] {
			t.Errorf("environment line %q, want %s with key %s", f, w[0], w[1])
		}
	}
	for _, w := range want {
		if status, own := environmentsSeenBy(t, e.base, w[1]); status != 200 || own != w[0] {
			t.Errorf("key %s: %d, own environment %q; want 200 and %s", w[1], status, own, w[0])
		}
	}
	for _, old := range []string{"dev-secret-key", "production-secret-key"} {
		if status, _ := environmentsSeenBy(t, e.base, old); status != 401 {
			t.Errorf("replaced key %s: %d, want 401", old, status)
		}
	}
	if c := e.stop(); c != 0 {
		t.Errorf("exit %d, stderr %s", c, e.stderr.String())
	}
}

func TestEnvironmentsFlag(t *testing.T) {
	e := startServe(t, 2, "-environments", "Dev, Prod", "-keys", "prod=pk")
	if got := strings.Join([]string{e.envs[0][0], e.envs[0][2], e.envs[1][0], e.envs[1][2]}, " "); got != "Dev dev-secret-key Prod pk" {
		t.Errorf("environments %q", e.envs)
	}
	if status, own := environmentsSeenBy(t, e.base, "pk"); status != 200 || own != "Prod" {
		t.Errorf("key pk: %d %q, want 200 and Prod", status, own)
	}
}

func TestKeyAndEnvironmentFlagErrorsExit2(t *testing.T) {
	wantUsageErrors(t, []usageCase{
		{[]string{"-keys", "Dev=k1"}, `unknown environment "Dev"; want one of Development, Staging, Production (any case)`},
		{[]string{"-keys", "Staging=k,Production=k"}, `Staging and Production share the key "k"; want a different key`},
		{[]string{"-keys", "Staging=dev-secret-key"}, `Development (by default) and Staging share the key "dev-secret-key"`},
		{[]string{"-keys", "Production=staging-secret-key"}, `Staging (by default) and Production share the key "staging-secret-key"`},
		{[]string{"-keys", "Production="}, "empty key for Production; want a non-empty key"},
		{[]string{"-keys", "Production"}, "want name=key pairs"},
		{[]string{"-keys", "staging=a,Staging=b"}, "Staging is given twice"},
		{[]string{"-keys", "Staging=a b"}, "without spaces"},
		{[]string{"-environments", "A,,B"}, "empty name"},
		{[]string{"-environments", "A,a"}, `"A" and "a" name one environment`},
		{[]string{"-environments", "A B"}, "without them"},
		{[]string{"-environments", "A,B", "-keys", "Staging=k"}, "want one of A, B"},
	})
}

// inFlight sends a request that the emulator holds for its latency and
// returns, with the channel of its outcome, once the emulator's admin
// endpoint reports it held: before that, a stop would only refuse the
// connection and prove nothing.
func inFlight(t *testing.T, base, key string) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("GET", base+"/v2/workflows", nil)
		req.Header.Set("Authorization", "ApiKey "+key)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("answered %d", resp.StatusCode)
		}
		done <- err
	}()
	for {
		resp, err := http.Get(base + "/__emulator/counts")
		if err != nil {
			t.Fatal(err)
		}
		var counts struct{ InFlight int }
		err = json.NewDecoder(resp.Body).Decode(&counts)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if counts.InFlight > 0 {
			return done
		}
		select {
		case err := <-done:
			t.Fatalf("request ended before the emulator held it: %v", err)
		case <-time.After(time.Millisecond):
		}
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
