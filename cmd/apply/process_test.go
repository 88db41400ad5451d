package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/novugen/novugen/novutest"
)

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

// process is one run of the binary.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	err            error
	hwmKiB         atomic.Int64 // highest VmHWM read from /proc while it ran
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
	go p.watchPeak()
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
// It is the kernel's high-water mark of the process's own memory (VmHWM),
// read while it runs. The rusage of the finished process is no measure on
// Linux: os/exec starts a child with vfork, which shares this test
// process's memory until the exec, so its Maxrss includes everything the
// test holds at that moment, such as an emulator full of workflows. A peak
// reached in the last polling interval before exit can be missed.
func (p *process) peakKiB() int64 {
	<-p.done
	if hwm := p.hwmKiB.Load(); hwm > 0 {
		return hwm
	}
	if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss // KiB on Linux; includes the parent's, see above
	}
	return 0
}

// watchPeak reads the process's VmHWM every few milliseconds until it
// exits. Start returned after the exec, so every read is of apply's own
// memory.
func (p *process) watchPeak() {
	status := fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if kib, ok := readHWM(status); ok && kib > p.hwmKiB.Load() {
			p.hwmKiB.Store(kib)
		}
		select {
		case <-p.done:
			return
		case <-tick.C:
		}
	}
}

// readHWM returns the VmHWM line of a /proc/<pid>/status file, in KiB.
func readHWM(status string) (int64, bool) {
	data, err := os.ReadFile(status)
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kib int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kib); err == nil {
				return kib, true
			}
		}
	}
	return 0, false
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
