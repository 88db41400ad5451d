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

// emulator is the command's run, in-process, until stop.
type emulator struct {
	base   string
	envs   [][]string // name, _id, key
	cancel context.CancelFunc
	code   chan int
	stderr *syncBuffer
}

// syncBuffer is a bytes.Buffer that run may write while a test reads.
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

// startServe calls run with args in-process and reads the URL and the lines of the
// nEnvs environments it prints.
func startServe(t *testing.T, nEnvs int, args ...string) *emulator {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e := &emulator{cancel: cancel, code: make(chan int, 1), stderr: &syncBuffer{}}
	pr, pw := io.Pipe()
	go func() {
		e.code <- run(ctx, args, nil, pw, e.stderr)
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

// stop cancels run's context, as SIGINT does, and returns its exit code.
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
	resp := send(t, "GET", base+"/v1/environments", key, "")
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

// send sends method url with the key (none when "") and body (JSON, none
// when ""); the answer's body is closed when the test ends.
func send(t *testing.T, method, url, key, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "ApiKey "+key)
	}
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

// usageCase is a command line run must refuse with exit 2, saying want
// on stderr and printing nothing on stdout.
type usageCase struct {
	args []string
	want string
}

func wantUsageErrors(t *testing.T, tests []usageCase) {
	t.Helper()
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if c := run(context.Background(), tt.args, nil, &stdout, &stderr); c != 2 {
			t.Errorf("%q: exit %d, want 2", tt.args, c)
		}
		if !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
			t.Errorf("%q: stderr %q (want %q), stdout %q", tt.args, stderr.String(), tt.want, stdout.String())
		}
	}
}
