package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
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
}

func (m measurement) bound() time.Duration {
	return time.Duration(float64(m.requests) / benchRate * float64(time.Second))
}

// runEngine measures one apply (plan and run) of defs.
func runEngine(b *testing.B, srv *novutest.Server, defs []dsl.Definition) measurement {
	srv.ResetCounts()
	start := time.Now()
	r := apply(b, context.Background(), benchConfig(srv), defs)
	wall := time.Since(start)
	if !r.OK() {
		b.Fatalf("engine run failed: %+v", r.Failures)
	}
	c := srv.Counts()
	return measurement{wall: wall, requests: c.Total(), writes: c.Writes()}
}

// runRecipe is the documents' recipe done plainly, one request at a time:
// for every workflow, PUT; on 404 POST; then sync to every target. It is
// the baseline the engine is measured against.
func runRecipe(b *testing.B, srv *novutest.Server, defs []dsl.Definition) measurement {
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
		d = withTag(d, testTag)
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
	wall := time.Since(start)
	counts := srv.Counts()
	return measurement{wall: wall, requests: counts.Total(), writes: counts.Writes()}
}

// scenarios runs cold, no-op and one-change on a fresh emulator.
func scenarios(b *testing.B, run func(*testing.B, *novutest.Server, []dsl.Definition) measurement) [3]measurement {
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

	fmt.Fprintf(os.Stdout, "\napply vs recipe: %d workflows, 2 targets, %s latency, %.0f rps limit\n", benchWorkflows, benchLatency, benchRate)
	fmt.Fprintf(os.Stdout, "%-10s | %-28s | %-28s | %s\n", "scenario", "engine: wall / req / writes", "recipe: wall / req / writes", "speedup, engine vs its bound")
	for i, n := range names {
		fmt.Fprintf(os.Stdout, "%-10s | %8.2fs %5d req %4d wr | %8.2fs %5d req %4d wr | %5.2fx, %.2fx of %0.2fs\n", n,
			eng[i].wall.Seconds(), eng[i].requests, eng[i].writes,
			rec[i].wall.Seconds(), rec[i].requests, rec[i].writes,
			rec[i].wall.Seconds()/eng[i].wall.Seconds(), eng[i].wall.Seconds()/eng[i].bound().Seconds(), eng[i].bound().Seconds())
	}
}
