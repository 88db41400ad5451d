package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/novugen/novugen/novutest"
)

// run parses args, serves until SIGINT or SIGTERM, and returns the exit
// code: 0 after a clean stop, 1 on failure, 2 on usage errors.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve is run with the stop signal as a context, so tests can stop it.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("novu-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		opts      novutest.Options
		addr      = fs.String("addr", "127.0.0.1:0", "listen address, loopback only; port 0 picks a free one")
		burst429  = fs.String("burst429", "", "after every N requests answer the next M with 429 and Retry-After: S seconds: N,M[,S] (S default 1)")
		duplicate = fs.String("duplicate-create", "suffix", "answer to a create with an existing workflowId: suffix or conflict")
	)
	fs.Int64Var(&opts.Seed, "seed", 0, "seed of ids, suffixes, faults and jitter")
	fs.Float64Var(&opts.RateLimit, "rate", 0, "token rate per second per environment and category; 0 disables rate limiting")
	fs.IntVar(&opts.Burst, "burst", 0, "token bucket size (default max(1, rate))")
	fs.DurationVar(&opts.Latency, "latency", 0, "latency added to every request")
	fs.DurationVar(&opts.Jitter, "jitter", 0, "uniform random extra latency up to this")
	fs.Float64Var(&opts.Faults.P500, "p500", 0, "probability of a 500 before processing")
	fs.Float64Var(&opts.Faults.P502, "p502", 0, "probability of a 502 before processing")
	fs.Float64Var(&opts.Faults.P503, "p503", 0, "probability of a 503 before processing")
	fs.IntVar(&opts.Faults.RetryAfter503, "retry-after-503", 1, "Retry-After seconds sent with a -p503 answer")
	fs.Float64Var(&opts.Faults.CutAfterWrite, "cut", 0, "probability of dropping the connection after a write was applied")
	fs.BoolVar(&opts.AllowCrossEnvironmentReads, "cross-env-reads", false, "honour ?environmentId= and diffs of other environments, as older Novu did")
	fs.IntVar(&opts.MaxSteps, "max-steps", 20, "steps allowed per workflow")
	fs.BoolVar(&opts.DisableIdempotency, "no-idempotency", false, "ignore Idempotency-Key headers")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "novu-emulator: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return usage("unexpected arguments %q; all settings are flags", fs.Args())
	}
	switch *duplicate {
	case "suffix":
		opts.DuplicateCreate = novutest.Suffix
	case "conflict":
		opts.DuplicateCreate = novutest.Conflict
	default:
		return usage("-duplicate-create %q: want suffix or conflict", *duplicate)
	}
	if *burst429 != "" {
		b, err := parseBurst429(*burst429)
		if err != nil {
			return usage("-burst429 %q: %v", *burst429, err)
		}
		opts.Faults.Burst429 = b
	}
	if opts.Faults.RetryAfter503 < 0 {
		return usage("-retry-after-503 %d: want 0 or more seconds", opts.Faults.RetryAfter503)
	}
	for name, p := range map[string]float64{"p500": opts.Faults.P500, "p502": opts.Faults.P502,
		"p503": opts.Faults.P503, "cut": opts.Faults.CutAfterWrite} {
		if p < 0 || p > 1 {
			return usage("-%s %v: want a probability from 0 to 1", name, p)
		}
	}
	if opts.RateLimit < 0 {
		return usage("-rate %v: want 0 (off) or a positive rate", opts.RateLimit)
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usage("-addr %q: %v", *addr, err)
	}
	// The admin endpoints and every key are readable by whoever can connect,
	// so the emulator never listens beyond this machine.
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usage("-addr %q: the emulator listens on loopback only (127.0.0.1, ::1 or localhost)", *addr)
	}

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "novu-emulator: listen on %s: %v\n", *addr, err)
		return 1
	}
	srv := novutest.Serve(l, opts)
	fmt.Fprintln(stdout, srv.URL())
	for _, e := range srv.Environments() {
		fmt.Fprintf(stdout, "%s %s %s\n", e.Name, e.ID, e.SecretKey)
	}
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "novu-emulator: stop: %v\n", err)
		return 1
	}
	return 0
}

// parseBurst429 reads N,M[,S]: after every N requests, M get 429 with
// Retry-After: S (default 1, so that a client honouring it slows down).
func parseBurst429(v string) (novutest.Burst429, error) {
	parts := strings.Split(v, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return novutest.Burst429{}, errors.New("want N,M or N,M,S")
	}
	n := make([]int, 3)
	n[2] = 1
	for i, p := range parts {
		x, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || x < 0 || (i < 2 && x == 0) {
			return novutest.Burst429{}, errors.New("want positive numbers N,M and seconds S >= 0")
		}
		n[i] = x
	}
	return novutest.Burst429{Every: n[0], Length: n[1], RetryAfter: n[2]}, nil
}
