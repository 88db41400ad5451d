package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/novutest"
)

// BenchmarkSustainedLoadProcess is issue 5's sustained load measured on the
// real command: the built binary applies 1,000 workflows to three
// environments of an emulator with faults on (5% 503, 2% connections cut
// after a write, 429 bursts), at concurrency 16, re-run while it exits 1,
// until it converges. Running apply in its own process is what lets the
// benchmark report apply's peak memory (the child's max RSS) apart from the
// emulator's, which holds 3,000 workflows in this process.
//
//	go test ./cmd/apply -run '^$' -bench SustainedLoadProcess -benchtime 1x
func BenchmarkSustainedLoadProcess(b *testing.B) {
	const n = 1000
	bin := filepath.Join(b.TempDir(), "apply")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build ./cmd/apply: %v\n%s", err, out)
	}
	registry, defs := loadRegistryFile(b, n)

	for b.Loop() {
		srv := novutest.NewServer(novutest.Options{
			Seed:    11,
			Latency: 5 * time.Millisecond,
			Faults: novutest.Faults{
				P503: 0.05, CutAfterWrite: 0.02, RetryAfter503: 0,
				Burst429: novutest.Burst429{Every: 97, Length: 3, RetryAfter: 1},
			},
		})
		start := time.Now()
		var rounds int
		var peakKiB int64
		for {
			rounds++
			code, rss, out := runMeasured(b, bin, srv, "-registry", registry, "-concurrency", "16")
			peakKiB = max(peakKiB, rss)
			if code == 0 {
				break
			}
			if code != 1 || rounds == 10 {
				b.Fatalf("round %d exited %d:\n%s", rounds, code, tail(out, 40))
			}
		}
		wall := time.Since(start)
		srv.SetFaults(novutest.Faults{})
		for _, env := range []string{"Development", "Staging", "Production"} {
			got := srv.Workflows(env)
			if len(got) != n {
				b.Fatalf("%s holds %d workflows, want %d", env, len(got), n)
			}
			for i, w := range got {
				if w.WorkflowID != defs[i].WorkflowID {
					b.Fatalf("%s holds %q where the registry has %q (a duplicate?)", env, w.WorkflowID, defs[i].WorkflowID)
				}
			}
		}
		if code, _, out := runMeasured(b, bin, srv, "-registry", registry, "-plan", "-detailed-exitcode"); code != 0 {
			b.Fatalf("plan after convergence exited %d, want 0 (nothing pending):\n%s", code, tail(out, 20))
		}
		c := srv.Counts()
		faults := c.Status(503) + c.Status(429)
		var cuts int
		for _, v := range c {
			cuts += v.Cut
		}
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(float64(c.Total()), "requests")
		b.ReportMetric(float64(faults+cuts), "faults")
		b.ReportMetric(float64(rounds), "rounds")
		b.ReportMetric(float64(peakKiB)/1024, "apply-peak-MiB")
		srv.Close()
	}
}

// loadRegistryFile writes a registry of n workflows: renamed copies of the
// repository's three, so every one is real-shaped and validates.
func loadRegistryFile(b *testing.B, n int) (string, []dsl.Definition) {
	reg, err := gen.Registry()
	if err != nil {
		b.Fatal(err)
	}
	var defs []dsl.Definition
	for i := 0; len(defs) < n; i++ {
		d := reg.Workflows[i%len(reg.Workflows)]
		d.WorkflowID = fmt.Sprintf("%s-%04d", d.WorkflowID, i)
		d.Name = fmt.Sprintf("%s %04d", d.Name, i)
		defs = append(defs, d)
	}
	slices.SortFunc(defs, func(a, b dsl.Definition) int { return strings.Compare(a.WorkflowID, b.WorkflowID) })
	data, err := dsl.Registry{Workflows: defs}.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "registry.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path, defs
}

// runMeasured runs the binary to completion against srv and returns its
// exit code, its peak resident memory in KiB, and its output.
func runMeasured(b *testing.B, bin string, srv *novutest.Server, args ...string) (int, int64, string) {
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{
		"NOVU_API_URL=" + srv.URL(),
		"NOVU_SECRET_KEY=" + srv.Key("Development"),
		"NOVU_SECRET_KEY_STAGING=" + srv.Key("Staging"),
		"NOVU_SECRET_KEY_PRODUCTION=" + srv.Key("Production"),
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if cmd.ProcessState == nil {
		b.Fatalf("run %s: %v", bin, err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss // KiB on Linux
	}
	return cmd.ProcessState.ExitCode(), rss, out.String()
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}
