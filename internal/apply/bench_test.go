package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

// Bench setting: Novu's Pro configuration bucket (80 rps) and a 30 ms round
// trip, 100 workflows, Staging and Production.
const (
	benchWorkflows = 100
	benchLatency   = 30 * time.Millisecond
	benchRate      = 80.0
)

func benchServer() *novutest.Server {
	return novutest.NewServer(novutest.Options{Seed: 1, Latency: benchLatency, RateLimit: benchRate})
}

func benchConfig(srv *novutest.Server) Config {
	cfg := testConfig(srv, true)
	// No client-side limiter: the engine follows the RateLimit-* headers and
	// Retry-After, as cmd/apply does, so the server's burst is used.
	cfg.RateLimit = 0
	cfg.MaxBackoff = 0 // the default: real backoff
	return cfg
}

// measurement is one scenario of one implementation.
type measurement struct {
	wall     time.Duration
	requests int
	writes   int
	// busiest is the request count of the fullest rate-limit bucket: Novu
	// (and the emulator) keep one per environment and category, so reads
	// with a target's own key do not wait behind Development's writes.
	busiest int
}

// bound is the rate-limit bound: every request through one
// 80 rps bucket.
func (m measurement) bound() time.Duration {
	return time.Duration(float64(m.requests) / benchRate * float64(time.Second))
}

// bucketBound is the tighter floor the server really imposes: the busiest
// bucket's requests beyond its initial burst, at the rate.
func (m measurement) bucketBound() time.Duration {
	return time.Duration(float64(max(0, m.busiest-int(benchRate))) / benchRate * float64(time.Second))
}

func measure(srv *novutest.Server, wall time.Duration) measurement {
	c := srv.Counts()
	perEnv := map[string]int{}
	for k, v := range c {
		if k.Op != "environments" { // the global bucket; one request per key
			perEnv[k.Env] += v.Requests
		}
	}
	m := measurement{wall: wall, requests: c.Total(), writes: c.Writes()}
	for _, n := range perEnv {
		m.busiest = max(m.busiest, n)
	}
	return m
}

// runEngine measures one apply (plan and run) of defs.
func runEngine(b *testing.B, srv *novutest.Server, defs []registry.Workflow) measurement {
	srv.ResetCounts()
	start := time.Now()
	r := apply(b, context.Background(), benchConfig(srv), defs)
	wall := time.Since(start)
	if !r.OK() {
		b.Fatalf("engine run failed: %+v", r.Failures)
	}
	return measure(srv, wall)
}

// runRecipe is the documents' recipe done plainly, one request at a time:
// for every workflow, PUT; on 404 POST; then sync to every target. It is
// the baseline the engine is measured against.
func runRecipe(b *testing.B, srv *novutest.Server, defs []registry.Workflow) measurement {
	srv.ResetCounts()
	ctx := context.Background()
	c, err := novu.New(novu.Config{BaseURL: srv.URL(), Key: novu.Secret(srv.Key("Development")),
		Limiter: rate.NewLimiter(rate.Limit(benchRate), 1)})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	envs, err := c.Environments(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var targets []string
	for _, e := range envs {
		if e.Name == "Staging" || e.Name == "Production" {
			targets = append(targets, e.ID)
		}
	}
	for _, d := range defs {
		d = withTag(d, WorkflowTag(testOwner, d.WorkflowID))
		if _, err := c.UpdateWorkflow(ctx, d.WorkflowID, novu.NewUpdateRequest(d, nil)); errors.Is(err, novu.ErrNotFound) {
			_, err = c.CreateWorkflow(ctx, novu.NewCreateRequest(d))
			if err != nil {
				b.Fatal(err)
			}
		} else if err != nil {
			b.Fatal(err)
		}
		for _, t := range targets {
			if _, err := c.SyncWorkflow(ctx, d.WorkflowID, t); err != nil {
				b.Fatal(err)
			}
		}
	}
	return measure(srv, time.Since(start))
}

// scenarios runs cold, no-op and one-change on a fresh emulator.
func scenarios(b *testing.B, run func(*testing.B, *novutest.Server, []registry.Workflow) measurement) [3]measurement {
	srv := benchServer()
	defer srv.Close()
	defs := synth(benchWorkflows)
	var m [3]measurement
	m[0] = run(b, srv, defs)
	m[1] = run(b, srv, defs)
	defs[benchWorkflows/2].Name = "Changed"
	m[2] = run(b, srv, defs)
	return m
}

// BenchmarkApply compares the engine with the plain recipe on the same
// emulator, for a cold run, a no-op run and a one-change run, and prints
// the table (make bench).
func BenchmarkApply(b *testing.B) {
	var eng, rec [3]measurement
	for b.Loop() {
		eng = scenarios(b, runEngine)
		rec = scenarios(b, runRecipe)
	}
	names := [3]string{"cold", "noop", "onechange"}
	for i, n := range names {
		b.ReportMetric(eng[i].wall.Seconds(), n+"-s")
		b.ReportMetric(float64(eng[i].requests), n+"-requests")
		b.ReportMetric(float64(eng[i].writes), n+"-writes")
		b.ReportMetric(rec[i].wall.Seconds()/eng[i].wall.Seconds(), n+"-speedup")
	}
	b.ReportMetric(eng[0].wall.Seconds()/eng[0].bound().Seconds(), "cold-vs-bound")
	b.ReportMetric(eng[0].wall.Seconds()/eng[0].bucketBound().Seconds(), "cold-vs-bucket-bound")

	fmt.Fprintf(os.Stdout, "\napply vs recipe: %d workflows, 2 targets, %s latency, %.0f rps limit\n", benchWorkflows, benchLatency, benchRate)
	fmt.Fprintf(os.Stdout, "%-10s | %-28s | %-28s | %-7s | %-22s | %s\n", "scenario", "engine: wall / req / writes", "recipe: wall / req / writes",
		"speedup", "engine vs req÷rate", "engine vs busiest bucket (req beyond burst ÷ rate)")
	for i, n := range names {
		fmt.Fprintf(os.Stdout, "%-10s | %8.2fs %5d req %4d wr | %8.2fs %5d req %4d wr | %6.2fx | %5.2fx of %6.2fs | %5.2fx of %5.2fs (%d req)\n", n,
			eng[i].wall.Seconds(), eng[i].requests, eng[i].writes,
			rec[i].wall.Seconds(), rec[i].requests, rec[i].writes,
			rec[i].wall.Seconds()/eng[i].wall.Seconds(),
			eng[i].wall.Seconds()/eng[i].bound().Seconds(), eng[i].bound().Seconds(),
			eng[i].wall.Seconds()/eng[i].bucketBound().Seconds(), eng[i].bucketBound().Seconds(), eng[i].busiest)
	}
}
