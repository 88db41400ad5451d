package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/novugen/novugen/internal/cli"
	"github.com/novugen/novugen/internal/version"
	"github.com/novugen/novugen/novutest"
)

// config is what the command line asks for.
type config struct {
	addr string // loopback host:port
	opts novutest.Options
}

// parseArgs reads the command line. When it cannot, it has said why on
// stderr and returns ok false with the exit code: cli.ExitOK for -help,
// cli.ExitUsage otherwise. -version prints on stdout and returns ok false
// with cli.ExitOK.
func parseArgs(args []string, stdout, stderr io.Writer) (config, int, bool) {
	fs := flag.NewFlagSet("novu-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		opts      novutest.Options
		addr      = fs.String("addr", "127.0.0.1:0", "listen address, loopback only; port 0 picks a free one")
		burst429  = fs.String("burst429", "", "after every N requests answer the next M with 429 and Retry-After: S seconds: N,M[,S] (S default 1)")
		duplicate = fs.String("duplicate-create", "suffix", "answer to a create with an existing workflowId: suffix (-<4 of [0-9a-z]>, current Novu), legacy-suffix (-<7 to 14 of [A-Za-z0-9_-]>, older Novu) or conflict (409)")
		envs      = fs.String("environments", strings.Join(novutest.DefaultEnvironments(), ","), "environment names in creation order, comma-separated; the first is the development one")
		keys      = fs.String("keys", "", "secret keys by environment name (any case): name=key,...; others keep dev-secret-key or <lower-case name>-secret-key")
	)
	fs.Int64Var(&opts.Seed, "seed", 0, "seed of ids, suffixes, faults and jitter")
	fs.StringVar(&opts.RateLimitTier, "tier", "", "limit each environment as Novu limits this tier: "+strings.Join(novutest.Tiers(), ", ")+"; empty: no tier")
	fs.StringVar(&opts.WorkflowRateCategory, "workflow-rate-category", novutest.CategoryConfiguration,
		"bucket of the /v2/workflows requests: configuration (current Novu) or global (older Novu), or trigger")
	fs.Float64Var(&opts.RateLimit, "rate", 0, "token rate per second per environment and category, overriding -tier's; 0: the tier's, or off without -tier")
	fs.IntVar(&opts.Burst, "burst", 0, "token bucket size, overriding -tier's (default the tier's, or max(1, rate))")
	fs.DurationVar(&opts.Latency, "latency", 0, "latency added to every request")
	fs.DurationVar(&opts.Jitter, "jitter", 0, "uniform random extra latency up to this")
	fs.Float64Var(&opts.Faults.P500, "p500", 0, "probability of a 500 before processing")
	fs.Float64Var(&opts.Faults.P502, "p502", 0, "probability of a 502 before processing")
	fs.Float64Var(&opts.Faults.P503, "p503", 0, "probability of a 503 before processing")
	fs.IntVar(&opts.Faults.RetryAfter503, "retry-after-503", 1, "Retry-After seconds sent with a -p503 answer")
	fs.Float64Var(&opts.Faults.CutAfterWrite, "cut", 0, "probability of dropping the connection after a write was applied")
	fs.BoolVar(&opts.AllowCrossEnvironmentReads, "cross-env-reads", false, "honour ?environmentId= and diffs of other environments, as older Novu did")
	fs.IntVar(&opts.MaxSteps, "max-steps", novutest.DefaultMaxSteps, "steps allowed per workflow")
	fs.BoolVar(&opts.DisableIdempotency, "no-idempotency", false, "ignore Idempotency-Key headers")
	showVersion := fs.Bool("version", false, "print the module version and VCS revision the emulator was built from, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, cli.ExitOK, false
		}
		return config{}, cli.ExitUsage, false
	}
	if *showVersion {
		fmt.Fprintln(stdout, version.Line("novu-emulator"))
		return config{}, cli.ExitOK, false
	}
	usage := func(format string, a ...any) (config, int, bool) {
		fmt.Fprintf(stderr, "novu-emulator: "+format+"\n", a...)
		return config{}, cli.ExitUsage, false
	}
	if fs.NArg() > 0 {
		return usage("unexpected arguments %q; all settings are flags", fs.Args())
	}
	switch *duplicate {
	case "suffix":
		opts.DuplicateCreate = novutest.Suffix
	case "legacy-suffix":
		opts.DuplicateCreate = novutest.LegacySuffix
	case "conflict":
		opts.DuplicateCreate = novutest.Conflict
	default:
		return usage("-duplicate-create %q: want suffix, legacy-suffix or conflict", *duplicate)
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
	if !(opts.RateLimit >= 0) || math.IsInf(opts.RateLimit, 0) { // NaN too
		return usage("-rate %v: want 0 (the tier's, or off) or a positive rate", opts.RateLimit)
	}
	if opts.Burst < 0 {
		return usage("-burst %d: want 0 (default) or a positive bucket size", opts.Burst)
	}
	if _, ok := novutest.TierLimit(opts.RateLimitTier, novutest.CategoryGlobal); opts.RateLimitTier != "" && !ok {
		return usage("-tier %q: want one of %s", opts.RateLimitTier, strings.Join(novutest.Tiers(), ", "))
	}
	switch opts.WorkflowRateCategory {
	case novutest.CategoryConfiguration, novutest.CategoryGlobal, novutest.CategoryTrigger:
	default:
		return usage("-workflow-rate-category %q: want configuration, global or trigger", opts.WorkflowRateCategory)
	}
	var err error
	if opts.Environments, err = parseEnvironments(*envs); err != nil {
		return usage("-environments %q: %v", *envs, err)
	}
	if opts.Keys, err = parseKeys(*keys, opts.Environments); err != nil {
		return usage("-keys %q: %v", *keys, err)
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
	return config{addr: *addr, opts: opts}, cli.ExitOK, true
}

// parseEnvironments reads -environments: distinct names, compared
// regardless of case since -keys matches them so, without spaces, which
// would break the "name _id key" lines on standard output.
func parseEnvironments(v string) ([]string, error) {
	var names []string
	for n := range strings.SplitSeq(v, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
			return nil, errors.New("empty name; want names separated by commas, such as Development,Staging,Production")
		case strings.ContainsAny(n, " \t="):
			return nil, fmt.Errorf("name %q has a space or '='; want names without them", n)
		}
		for _, prev := range names {
			if strings.EqualFold(prev, n) {
				return nil, fmt.Errorf("%q and %q name one environment; want distinct names (compared regardless of case)", prev, n)
			}
		}
		names = append(names, n)
	}
	return names, nil
}

// parseKeys reads -keys, name=key,..., into Options.Keys with names spelled
// as in envs. It checks the keys of all environments, the defaults
// included, so that novutest.Serve gets keys it accepts.
func parseKeys(v string, envs []string) (map[string]string, error) {
	keys := map[string]string{}
	if strings.TrimSpace(v) == "" {
		return keys, nil
	}
	for pair := range strings.SplitSeq(v, ",") {
		name, key, ok := strings.Cut(strings.TrimSpace(pair), "=")
		name, key = strings.TrimSpace(name), strings.TrimSpace(key)
		if !ok {
			return nil, fmt.Errorf("%q lacks '='; want name=key pairs separated by commas, such as Development=k1,Staging=k2", pair)
		}
		i := slices.IndexFunc(envs, func(e string) bool { return strings.EqualFold(e, name) })
		switch {
		case i < 0:
			return nil, fmt.Errorf("unknown environment %q; want one of %s (any case)", name, strings.Join(envs, ", "))
		case key == "":
			return nil, fmt.Errorf("empty key for %s; want a non-empty key", envs[i])
		case strings.ContainsAny(key, " \t"):
			return nil, fmt.Errorf("key of %s has a space; want a key without spaces", envs[i])
		}
		if _, dup := keys[envs[i]]; dup {
			return nil, fmt.Errorf("%s is given twice; want one key per environment", envs[i])
		}
		keys[envs[i]] = key
	}
	owner := map[string]string{} // key to environment, marked when by default
	for _, e := range envs {
		k, given := keys[e]
		who := e
		if !given {
			k, who = novutest.DefaultKey(e), e+" (by default)"
		}
		if prev, taken := owner[k]; taken {
			return nil, fmt.Errorf("%s and %s share the key %q; want a different key for each environment", prev, who, k)
		}
		owner[k] = who
	}
	return keys, nil
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
