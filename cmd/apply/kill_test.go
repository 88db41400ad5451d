package main

import (
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
)

// killLatency is the emulator's round trip in the kill tests: long enough
// that a 30-workflow run lasts a few hundred milliseconds, so a signal
// lands mid-run, whatever the machine.
const killLatency = 20 * time.Millisecond

var killEnvs = []string{"Development", "Staging", "Production"}

// flight is a handler in front of the emulator that counts requests in
// flight and writes whose client went away before the answer. Its latency
// is a plain sleep, not cut short when the client leaves: like a real
// server, a request received is processed, so a write sent just before a
// kill still lands and the re-run must cope with it.
type flight struct {
	inFlight  atomic.Int64
	abandoned atomic.Int64 // writes whose client left before the answer
}

func (f *flight) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.inFlight.Add(1)
		defer f.inFlight.Add(-1)
		time.Sleep(killLatency)
		h.ServeHTTP(w, r)
		// The answer is buffered until this handler returns, so a context
		// ended here means the connection closed before the client could
		// read it.
		if r.Method != http.MethodGet && r.Context().Err() != nil {
			f.abandoned.Add(1)
		}
	})
}

// drain waits until no request is in flight: after a kill, the writes the
// dead process sent are still being applied.
func (f *flight) drain(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for f.inFlight.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("requests still in flight a minute after the kill")
		}
		time.Sleep(time.Millisecond)
	}
}

func newKillServer(t *testing.T) (*novutest.Server, *flight) {
	t.Helper()
	f := &flight{}
	return testenv.Emulator(t, novutest.Options{Seed: 3, Wrap: f.wrap}), f
}

// TestProcessKilledMidRunConverges: a process killed mid-run and re-run
// converges, with a real process and real signals: the built binary is
// stopped at several points of a run against the emulator, then run again
// to completion. The re-run must exit 0 and leave exactly the registry in
// every environment, with no suffixed duplicate, and keep the step _id of
// every step written before the stop.
func TestProcessKilledMidRunConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildApply(t)
	reg, defs := registryOf(t, 30)
	for _, tt := range []struct {
		name string
		sig  syscall.Signal
		when func(novutest.Counts) bool
	}{
		{"SIGKILL after the first create", syscall.SIGKILL, func(c novutest.Counts) bool { return c.Op("create").Writes >= 1 }},
		{"SIGKILL mid-sync", syscall.SIGKILL, func(c novutest.Counts) bool { return c.Op("sync").Writes >= 20 }},
		{"SIGINT mid-run", syscall.SIGINT, func(c novutest.Counts) bool { return c.Writes() >= 15 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Each case has its own emulator; the cases overlap their
			// waiting on the emulator's latency.
			t.Parallel()
			srv, fl := newKillServer(t)
			p := startApply(t, bin, srv, "-registry", reg)
			for !tt.when(srv.Counts()) {
				select {
				case <-p.done:
					code, out := p.wait()
					t.Fatalf("the run ended (exit %d) before the signal point; raise killLatency\n%s", code, out)
				case <-time.After(time.Millisecond):
				}
			}
			if err := p.cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			code, out := p.wait()
			fl.drain(t)
			writes := srv.Counts().Writes()
			switch tt.sig {
			case syscall.SIGKILL:
				if code != -1 {
					t.Fatalf("SIGKILL: exit %d; want death by signal\n%s", code, out)
				}
				t.Logf("killed after %d writes; %d writes lost their answer", writes, fl.abandoned.Load())
			case syscall.SIGINT:
				// Interrupted: exit 1, a report, and no write cut off.
				if code != 1 {
					t.Errorf("SIGINT: exit %d; want 1\n%s", code, out)
				}
				if !strings.Contains(p.stderr.String(), "apply: interrupted") || !strings.Contains(p.stdout.String(), "Summary: ") ||
					!strings.Contains(p.stdout.String(), "skipped ") {
					t.Errorf("SIGINT: the report does not say the run was interrupted and what was skipped\n%s", out)
				}
				if n := fl.abandoned.Load(); n != 0 {
					t.Errorf("SIGINT: %d writes were abandoned in flight; want them finished", n)
				}
			}
			if writes == 0 || writes >= 90 {
				t.Fatalf("stopped after %d writes; want mid-run (a cold run of 30 workflows makes 90)", writes)
			}
			before := testenv.StepIDs(srv)

			code, out = runApply(t, bin, srv, "-registry", reg)
			if code != 0 {
				t.Fatalf("re-run: exit %d; want 0\n%s", code, out)
			}
			for _, env := range killEnvs {
				got := srv.Workflows(env)
				if len(got) != len(defs) {
					t.Errorf("%s holds %d workflows, want %d", env, len(got), len(defs))
				}
				for i, w := range got {
					if i >= len(defs) || w.WorkflowID != defs[i].WorkflowID {
						t.Errorf("%s: workflow %d is %q; want the registry's ids exactly (a suffixed duplicate?)", env, i, w.WorkflowID)
						break
					}
					if w.Name != defs[i].Name || len(w.Steps) != len(defs[i].Steps) {
						t.Errorf("%s %s: name %q, %d steps; want %q, %d", env, w.WorkflowID, w.Name, len(w.Steps), defs[i].Name, len(defs[i].Steps))
					}
				}
			}
			after := testenv.StepIDs(srv)
			for k, id := range before {
				if after[k] != id {
					t.Errorf("step %s: _id %s before the re-run, %q after", k, id, after[k])
				}
			}
			// Every field of every copy, by the command's own exact plan.
			if code, out := runApply(t, bin, srv, "-registry", reg, "-plan", "-detailed-exitcode"); code != 0 {
				t.Errorf("plan after the re-run: exit %d; want 0 (nothing to do)\n%s", code, out)
			}
		})
	}
}
