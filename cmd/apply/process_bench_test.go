package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/novugen/novugen/novutest"
)

// BenchmarkSustainedLoadProcess measures a sustained load on the real
// command: the built binary applies 1,000 workflows to three
// environments of an emulator with faults on (5% 503, 2% connections cut
// after a write, 429 bursts), at concurrency 16, re-run while it exits 1,
// until it converges. Running apply in its own process is what lets the
// benchmark report apply's peak memory (the child's max RSS) apart from the
// emulator's, which holds 3,000 workflows in this process.
//
//	go test ./cmd/apply -run '^$' -bench SustainedLoadProcess -benchtime 1x
//
// maxPeakMiB is the most memory apply may hold at its peak under that
// sustained load; the benchmark fails above it, so `make load` in CI guards
// it.
const maxPeakMiB = 100

func BenchmarkSustainedLoadProcess(b *testing.B) {
	const n = 1000
	bin := buildApply(b)
	registry, defs := registryOf(b, n)

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
		var rounds, retries int
		var peakKiB int64
		for {
			rounds++
			p := startApply(b, bin, srv, "-registry", registry, "-concurrency", "16", "-json")
			code, out := p.wait()
			peakKiB = max(peakKiB, p.peakKiB())
			var report struct {
				Retries *int `json:"retries"`
			}
			if err := json.Unmarshal(p.stdout.Bytes(), &report); err != nil || report.Retries == nil {
				b.Fatalf("round %d: -json report without retries (%v):\n%s", rounds, err, out)
			}
			retries += *report.Retries
			if code == 0 {
				break
			}
			if code != 1 || rounds == 10 {
				b.Fatalf("round %d exited %d:\n%s", rounds, code, out)
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
		if code, out := runApply(b, bin, srv, "-registry", registry, "-plan", "-detailed-exitcode"); code != 0 {
			b.Fatalf("plan after convergence exited %d, want 0 (nothing pending):\n%s", code, out)
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
		b.ReportMetric(float64(retries), "retries")
		b.ReportMetric(float64(rounds), "rounds")
		b.ReportMetric(float64(peakKiB)/1024, "apply-peak-MiB")
		if peakKiB > maxPeakMiB*1024 {
			b.Fatalf("apply's peak RSS was %.1f MiB; the budget is %d MiB", float64(peakKiB)/1024, maxPeakMiB)
		}
		srv.Close()
	}
}
