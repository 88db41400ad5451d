package apply

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/internal/validate"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

// loadFaults are the faults a sustained load must converge through: 5%
// 503, 2% of writes applied but their answer lost, and 429 bursts with
// Retry-After. 503 rather than 502: Novu's document declares 503 (and 429)
// for its operations, not 502, and the conformance checker holds the
// emulator to the document.
func loadFaults(retryAfter int) novutest.Faults {
	return novutest.Faults{P503: 0.05, CutAfterWrite: 0.02,
		Burst429: novutest.Burst429{Every: 97, Length: 3, RetryAfter: retryAfter}}
}

// maxLoadRounds bounds the re-runs a faulty run may need: a CI job retried
// this often and still failing is a bug, not bad luck.
const maxLoadRounds = 10

// loadResult is what one sustained-load scenario measured.
type loadResult struct {
	rounds   [2]int // rounds to converge: cold, then the changed run
	requests int64  // requests the engine's clients sent, retries included
	retries  int64
	faults   struct{ s503, s429, cut int }
}

// sustainedLoad runs many workflows through the engine under faults on srv
// (faults off on entry), until each phase converges:
//
//  1. cold: n workflows into three environments under faults, re-run until
//     a run succeeds; then every environment holds exactly the registry;
//  2. change one field in every 10th workflow, re-run under faults until a
//     run succeeds; then every environment holds exactly the changed
//     registry, nothing was created, and no step _id changed anywhere.
//
// watch, when set, is called around each phase's engine runs (not the
// checks) with the phase number, 0 or 1, and returns a function that ends
// the watch; the benchmark samples memory with it.
func sustainedLoad(tb testing.TB, srv *novutest.Server, cfg Config, n int, faults novutest.Faults, watch func(phase int) (stop func())) loadResult {
	tb.Helper()
	var res loadResult
	defs := loadDefs(tb, n)
	if f := validate.Registry(defs); len(f) > 0 {
		tb.Fatalf("load registry is invalid: %v", f[0])
	}
	tally := func() {
		c := srv.Counts()
		res.faults.s503 += c.Status(503)
		res.faults.s429 += c.Status(429)
		for _, v := range c {
			res.faults.cut += v.Cut
		}
	}

	if watch == nil {
		watch = func(int) func() { return func() {} }
	}
	srv.ResetCounts()
	srv.SetFaults(faults)
	stop := watch(0)
	st, broke := brokenRound(tb, cfg, defs)
	if !broke {
		// Every 97th to 99th request gets a 429, and the cold run sends
		// more than 99: the run without retries cannot have succeeded.
		tb.Errorf("a run without retries succeeded under faults: the faults do not reach the engine")
	}
	rounds, st2 := convergeRounds(tb, cfg, defs, maxLoadRounds)
	stop()
	srv.SetFaults(novutest.Faults{})
	res.rounds[0], res.requests, res.retries = rounds, st.requests+st2.requests, st.retries+st2.retries
	tally()
	checkExact(tb, srv, defs)
	before := testenv.StepIDs(srv)

	// One field in every 10th workflow: alternately a control value deep
	// in a step and a workflow attribute.
	var changed []string
	for i := 0; i < n; i += 10 {
		if i%20 == 0 {
			defs[i].Steps[0].ControlValues["body"] = fmt.Sprintf("Hi {{payload.customer.name}}, revised update %d.", i)
		} else {
			defs[i].Description = "Changed under load."
		}
		changed = append(changed, defs[i].WorkflowID)
	}
	srv.ResetCounts()
	srv.SetFaults(faults)
	stop = watch(1)
	st, _ = brokenRound(tb, cfg, defs)
	rounds, st2 = convergeRounds(tb, cfg, defs, maxLoadRounds)
	stop()
	srv.SetFaults(novutest.Faults{})
	res.rounds[1] = rounds
	res.requests += st.requests + st2.requests
	res.retries += st.retries + st2.retries
	c := srv.Counts()
	tally()
	if got := c.Op("create").Writes; got != 0 {
		tb.Errorf("the changed run created %d workflows; want none (an existing workflow was taken for absent)", got)
	}
	if got, want := c.Op("update").Writes, len(changed); got < want {
		tb.Errorf("the changed run applied %d updates; want at least %d", got, want)
	}
	checkExact(tb, srv, defs)
	after := testenv.StepIDs(srv)
	// That an update keeps history, said alone: an updated workflow keeps
	// every Development step _id. Then the stronger check: no step _id
	// changed anywhere.
	for _, id := range changed {
		prefix := "Development/" + id + "/"
		for k, v := range before {
			if strings.HasPrefix(k, prefix) && after[k] != v {
				tb.Errorf("updated workflow lost a step _id: %s was %s, is %q", k, v, after[k])
			}
		}
	}
	if diff := cmp.Diff(before, after); diff != "" {
		tb.Errorf("step _ids changed in some environment (-before +after):\n%s", diff)
	}
	return res
}

// brokenRound is a run whose client gives up at the first fault (no
// retries), so that under the faults it fails part-way: some workflows
// written, some not, some writes applied without an answer. The re-runs
// that follow must finish the job from that state. A round whose planning
// fails (a list met a fault) writes nothing and is repeated. It reports
// whether the run failed, as it should whenever a fault met it.
func brokenRound(tb testing.TB, cfg Config, defs []registry.Workflow) (roundStats, bool) {
	tb.Helper()
	cfg.MaxRetries = -1
	var total roundStats
	for range 20 {
		r, s := applyRound(tb, cfg, defs)
		total.requests += s.requests
		total.retries += s.retries
		if r.Plan != nil {
			return total, !r.OK()
		}
	}
	tb.Logf("planning failed 20 times without retries; going on without a broken round")
	return total, true
}

// TestSustainedLoad runs sustainedLoad at a size the CI affords on two
// cores (200 workflows; 30 under -race or -short, where every request
// costs far more); BenchmarkSustainedLoad runs it at 1,000. Backoff is shortened
// through Config and Retry-After is 0; the logic is the same.
func TestSustainedLoad(t *testing.T) {
	n := 200
	if testing.Short() || raceEnabled {
		n = 30
	}
	srv := newServer(t, novutest.Options{Seed: 5})
	cfg := testConfig(srv, true)
	cfg.Concurrency = 16
	res := sustainedLoad(t, srv, cfg, n, loadFaults(0), nil)
	if res.faults.s503 == 0 || res.faults.s429 == 0 || res.faults.cut == 0 {
		t.Errorf("faults injected: %+v; want some of each, or the test proves nothing", res.faults)
	}
	t.Logf("%d workflows: rounds %v, %d requests, %d retries, faults %+v", n, res.rounds, res.requests, res.retries, res.faults)
}

// BenchmarkSustainedLoad is sustainedLoad at full size: 1,000 workflows,
// three environments, concurrency 16, the faults on (Retry-After: 1 s, the
// client's real backoff and retries), a 10 ms round trip. It reports the
// wall time of the whole scenario (both phases, every re-run, the checks),
// the requests and retries the engine's clients sent, and memory.
//
// Memory needs care: the emulator runs in-process and holds 3,000 stored
// workflows, with the computed schemas Novu attaches to every step, so the
// process's heap is mostly the emulator's and the garbage collector's
// headroom over it (GOGC=100 lets the heap reach twice the live data).
// Reported: the process peaks while the engine runs (peak-heap-MiB, ≈
// MemStats.HeapInuse; peak-sys-MiB, memory mapped from the OS), the
// emulator's live heap alone after the run (emulator-live-MiB, measured
// after a GC with no engine left), and the engine's live heap: during the
// changed run, when the emulator's size is fixed, a GC is forced every
// second and the largest live heap it finds, minus the emulator's, is
// engine-live-MiB (the runtime's own /gc/heap/live of unforced cycles
// counts everything allocated during marking as live, several times the
// engine's real share at this allocation rate). The forced GCs cost the
// changed run some wall time.
func BenchmarkSustainedLoad(b *testing.B) {
	const n = 1000
	var res loadResult
	var wall time.Duration
	var peak [2]peakMem
	var emulatorLive uint64
	for b.Loop() {
		srv := novutest.NewServer(novutest.Options{Seed: 9, Latency: 10 * time.Millisecond})
		cfg := testConfig(srv, true)
		cfg.Concurrency = 16
		cfg.MaxBackoff = 0 // the client's defaults: real backoff, 10 retries
		cfg.MaxRetries = 0
		start := time.Now()
		peak[1].forceGC = time.Second
		res = sustainedLoad(b, srv, cfg, n, loadFaults(1), func(phase int) func() { return peak[phase].sample() })
		wall = time.Since(start)
		runtime.GC()
		emulatorLive = liveHeap()
		srv.Close()
	}
	heap, sys, _ := peak[0].get()
	heap1, sys1, live1 := peak[1].get()
	heap, sys = max(heap, heap1), max(sys, sys1)
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(float64(res.requests), "requests")
	b.ReportMetric(float64(res.retries), "retries")
	b.ReportMetric(float64(res.rounds[0]), "cold-rounds")
	b.ReportMetric(float64(res.rounds[1]), "change-rounds")
	b.ReportMetric(mib(heap), "peak-heap-MiB")
	b.ReportMetric(mib(sys), "peak-sys-MiB")
	b.ReportMetric(mib(emulatorLive), "emulator-live-MiB")
	b.ReportMetric(mib(live1-min(live1, emulatorLive)), "engine-live-MiB")
	fmt.Fprintf(os.Stdout, "\nsustained load: %d workflows × 3 environments, concurrency 16, faults %+v\n", n, loadFaults(1))
	fmt.Fprintf(os.Stdout, "wall %.1fs, %d requests, %d retries, rounds cold %d / changed %d, faults met: 503×%d 429×%d cut×%d\n",
		wall.Seconds(), res.requests, res.retries, res.rounds[0], res.rounds[1], res.faults.s503, res.faults.s429, res.faults.cut)
	fmt.Fprintf(os.Stdout, "memory: process peak heap %.1f MiB, sys %.1f MiB; emulator live %.1f MiB; engine live %.1f MiB\n",
		mib(heap), mib(sys), mib(emulatorLive), mib(live1-min(live1, emulatorLive)))
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// liveHeap is the heap marked live by the last GC.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakMem samples the runtime's memory classes (runtime/metrics reads
// them without stopping the world) and keeps the maxima.
type peakMem struct {
	// forceGC, when set, forces a GC at this interval and records the live
	// heap right after it in live.
	forceGC time.Duration

	mu              sync.Mutex
	heap, sys, live uint64
}

func (p *peakMem) sample() (stop func()) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	read := func() {
		metrics.Read(samples)
		heap := samples[0].Value.Uint64() + samples[1].Value.Uint64() // ≈ MemStats.HeapInuse
		sys := samples[2].Value.Uint64() - samples[3].Value.Uint64()  // mapped and not returned
		p.mu.Lock()
		p.heap, p.sys = max(p.heap, heap), max(p.sys, sys)
		p.mu.Unlock()
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	if p.forceGC > 0 {
		wg.Go(func() {
			t := time.NewTicker(p.forceGC)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					runtime.GC()
					live := liveHeap()
					p.mu.Lock()
					p.live = max(p.live, live)
					p.mu.Unlock()
				}
			}
		})
	}
	return func() {
		close(done)
		wg.Wait()
	}
}

func (p *peakMem) get() (heap, sys, live uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.heap, p.sys, p.live
}
