package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/conformance"
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
	check := conformance.New(t).Wrap
	srv := novutest.NewServer(novutest.Options{Seed: 3, Wrap: func(h http.Handler) http.Handler { return check(f.wrap(h)) }})
	t.Cleanup(srv.Close)
	return srv, f
}

// buildApply builds this command into a temporary directory.
func buildApply(tb testing.TB) string {
	tb.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		tb.Skipf("no go command on PATH to build cmd/apply: %v", err)
	}
	bin := filepath.Join(tb.TempDir(), "apply")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build ./cmd/apply: %v\n%s", err, out)
	}
	return bin
}

// registryOf writes a registry of n real-shaped workflows: the repository's
// own (gen), then renamed copies of them.
func registryOf(tb testing.TB, n int) (path string, defs []dsl.Definition) {
	tb.Helper()
	reg, err := gen.Registry()
	if err != nil {
		tb.Fatal(err)
	}
	defs = append(defs, reg.Workflows...)
	for i := 0; len(defs) < n; i++ {
		d := reg.Workflows[i%len(reg.Workflows)]
		d.WorkflowID = fmt.Sprintf("%s-copy%d", d.WorkflowID, i)
		d.Name = fmt.Sprintf("%s (copy %d)", d.Name, i)
		defs = append(defs, d)
	}
	defs = defs[:n]
	slices.SortFunc(defs, func(a, b dsl.Definition) int { return strings.Compare(a.WorkflowID, b.WorkflowID) })
	data, err := dsl.Registry{Owner: reg.Owner, Workflows: defs}.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	path = filepath.Join(tb.TempDir(), "registry.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path, defs
}

// process is one run of the binary.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	err            error
	hwmKiB         atomic.Int64 // the largest VmHWM read while it ran
}

// startApply starts the binary against srv with every environment's key,
// so that its plans are exact, and an environment of its own: nothing from
// the test's environment (a CI's GITHUB_STEP_SUMMARY) leaks in.
func startApply(t testing.TB, bin string, srv *novutest.Server, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Env = []string{
		"NOVU_API_URL=" + srv.URL(),
		"NOVU_SECRET_KEY=" + srv.Key("Development"),
		"NOVU_SECRET_KEY_STAGING=" + srv.Key("Staging"),
		"NOVU_SECRET_KEY_PRODUCTION=" + srv.Key("Production"),
	}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	go p.sampleHWM()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// peakKiB is the finished process's peak resident memory, in KiB.
//
// On Linux it is the process's own high-water mark (VmHWM), read while it
// ran: its ru_maxrss also holds the test process's peak, which exec records
// from the memory the child started in (os/exec clones it from this
// process), so once the emulator here has grown, ru_maxrss reports the
// emulator. ru_maxrss is the fallback where /proc is not there.
func (p *process) peakKiB() int64 {
	<-p.done
	if hwm := p.hwmKiB.Load(); hwm > 0 {
		return hwm
	}
	if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss // KiB on Linux
	}
	return 0
}

// sampleHWM reads the running process's VmHWM every few milliseconds: the
// high-water mark only grows, so the last read before exit misses at most
// what the last milliseconds added.
func (p *process) sampleHWM() {
	path := fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid)
	for {
		if data, err := os.ReadFile(path); err == nil {
			for line := range strings.Lines(string(data)) {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					if kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil && kib > p.hwmKiB.Load() {
						p.hwmKiB.Store(kib)
					}
				}
			}
		}
		select {
		case <-p.done:
			return
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (p *process) wait() (code int, output string) {
	<-p.done
	output = "stdout:\n" + p.stdout.String() + "stderr:\n" + p.stderr.String()
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode(), output // -1 when killed by a signal
	}
	if p.err != nil {
		return -2, output + p.err.Error()
	}
	return 0, output
}

// runApply runs the binary to completion.
func runApply(t testing.TB, bin string, srv *novutest.Server, args ...string) (int, string) {
	t.Helper()
	return startApply(t, bin, srv, args...).wait()
}

func killStepIDs(srv *novutest.Server) map[string]string {
	m := map[string]string{}
	for _, env := range killEnvs {
		for _, w := range srv.Workflows(env) {
			for _, s := range w.Steps {
				m[env+"/"+w.WorkflowID+"/"+s.StepID] = s.ID
			}
		}
	}
	return m
}

// TestProcessKilledMidRunConverges is issue 4's "a process killed mid-run
// and re-run", with a real process and real signals: the built binary is
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
			before := killStepIDs(srv)

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
			after := killStepIDs(srv)
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
