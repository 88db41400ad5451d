package novutest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// DuplicateCreate selects how POST /v2/workflows answers a workflowId that
// already exists in the environment (docs/novu-api.md §5).
type DuplicateCreate int

const (
	// Suffix is current Novu: it makes the identifier unique instead of
	// refusing. It tries the workflowId, then twice the workflowId plus
	// "-" and 4 characters of [0-9a-z] (nanoid's shortId), and answers 201
	// with the first that is free, or 400 "Unable to generate a unique
	// identifier. Please provide a different workflow name.<name>" when
	// all three are taken.
	Suffix DuplicateCreate = iota
	// Conflict answers 409, as some expect but no Novu version read does.
	Conflict
	// LegacySuffix is older Novu (shortid): one try, then the workflowId
	// plus "-" and 7 to 14 characters of [A-Za-z0-9_-], never a 400.
	LegacySuffix
)

// Options configure a Server. The zero value is a faithful, fault-free Novu
// with Development, Staging and Production.
type Options struct {
	// Environments names the environments in creation order; default
	// DefaultEnvironments(): Development, Staging, Production. The first is the development
	// environment, the parent of the others. Names must be non-empty and
	// distinct.
	Environments []string
	// Keys maps an environment name (exactly as in Environments) to its
	// secret key; an environment left out gets DefaultKey(name). Every key
	// must be non-empty, without surrounding spaces, and different from
	// every other environment's key; NewServer and Serve panic otherwise,
	// since an empty key would let a request without Authorization in and
	// a shared one would make two environments one.
	Keys map[string]string
	// Seed makes the run repeatable: identifiers, duplicate-create
	// suffixes, faults, jitter and errorIds all derive from it (see the
	// package documentation for what stays fixed under concurrency).
	Seed int64
	// Latency is added to every request, plus a uniform random share of
	// Jitter.
	Latency, Jitter time.Duration
	// RateLimitTier limits each environment as Novu limits an
	// organization on that tier (TierFree, TierPro, TierTeam,
	// TierBusiness, TierEnterprise, TierUnlimited): one token bucket per
	// category (CategoryTrigger, CategoryConfiguration, CategoryGlobal)
	// refilled at the tier's requests per second and holding
	// TierBucket(rate), e.g. 165 for the free tier's global 30/s. Every
	// request costs 1, and the RateLimit-* headers report a 5-second
	// window as Novu does (RateLimit-Limit 150 for 30/s). "" with
	// RateLimit 0 is off; NewServer panics on an unknown tier.
	RateLimitTier string
	// WorkflowRateCategory is the bucket of every /v2/workflows request:
	// CategoryConfiguration (default) as current Novu's workflow
	// controller declares, or CategoryGlobal, the throttler's default,
	// for older servers whose controller declares none.
	WorkflowRateCategory string
	// RateLimit, when positive, overrides the tier's rate: every
	// category of every environment refills at this many tokens per
	// second, reported over a 1-second window (RateLimit-Limit is the
	// rate itself) with serviceLevel "custom". Without a tier it alone
	// turns rate limiting on.
	RateLimit float64
	// Burst, when positive, overrides the bucket size of every category;
	// by default the tier's TierBucket, or max(1, RateLimit) when
	// RateLimit is set.
	Burst int
	// Faults are injected from the start; see SetFaults.
	Faults Faults
	// AllowCrossEnvironmentReads makes GET /v2/workflows/{id}?environmentId=
	// and the environment diff read other environments, as older Novu did.
	// By default they answer 403 like current Novu.
	AllowCrossEnvironmentReads bool
	// DuplicateCreate selects Suffix (default), LegacySuffix or Conflict.
	DuplicateCreate DuplicateCreate
	// MaxSteps is the step limit per workflow; default DefaultMaxSteps.
	MaxSteps int
	// DisableIdempotency ignores Idempotency-Key headers, like servers
	// without the feature flag.
	DisableIdempotency bool
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Wrap, if set, wraps the handler, e.g. with a conformance checker.
	Wrap func(http.Handler) http.Handler
}

// DefaultEnvironments is Options.Environments' default, Novu's three
// environments in creation order, Development first: a new slice on each
// call, so no caller can change the default of another.
func DefaultEnvironments() []string {
	return []string{"Development", "Staging", "Production"}
}

// DefaultMaxSteps is Options.MaxSteps' default, Novu's step limit per
// workflow (docs/novu-api.md §3).
const DefaultMaxSteps = 20

// settle fills the defaults of opts and checks it. It returns the secret
// key of each environment, in order, or an error naming the first option
// that cannot work.
func settle(opts Options) (Options, []string, error) {
	if len(opts.Environments) == 0 {
		opts.Environments = DefaultEnvironments()
	}
	keys, err := secretKeys(opts.Environments, opts.Keys)
	if err == nil {
		err = checkRateOptions(opts)
	}
	if err != nil {
		return opts, nil, err
	}
	opts.WorkflowRateCategory = cmp.Or(opts.WorkflowRateCategory, CategoryConfiguration)
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = DefaultMaxSteps
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return opts, keys, nil
}

// secretKeys returns the key of each environment, in order, or an error
// naming the first environment name or key that cannot work.
func secretKeys(envs []string, keys map[string]string) ([]string, error) {
	out := make([]string, len(envs))
	owner := map[string]string{} // key to environment
	for i, name := range envs {
		if name == "" {
			return nil, fmt.Errorf("environment name %d in Options.Environments is empty; want a name such as Development", i+1)
		}
		if slices.Contains(envs[:i], name) {
			return nil, fmt.Errorf("environment %q is named twice in Options.Environments; want distinct names", name)
		}
		k, ok := keys[name]
		if !ok {
			k = DefaultKey(name)
		}
		switch {
		case k == "":
			return nil, fmt.Errorf("empty secret key for environment %q in Options.Keys; want a non-empty key", name)
		case strings.TrimSpace(k) != k:
			return nil, fmt.Errorf("secret key %q of environment %q has surrounding spaces, which no Authorization header carries; want a key without them", k, name)
		case owner[k] != "":
			return nil, fmt.Errorf("environments %q and %q share the secret key %q; want one key per environment", owner[k], name, k)
		}
		owner[k] = name
		out[i] = k
	}
	for _, name := range slices.Sorted(maps.Keys(keys)) {
		if !slices.Contains(envs, name) {
			return nil, fmt.Errorf("unknown environment %q in Options.Keys; want one of %s",
				name, strings.Join(envs, ", "))
		}
	}
	return out, nil
}

// DefaultKey is the secret key of an environment that Options.Keys leaves
// out: "dev-secret-key" for Development (any case), otherwise the name in
// lower case followed by "-secret-key".
func DefaultKey(name string) string {
	n := strings.ToLower(name)
	if n == "development" {
		n = "dev"
	}
	return n + "-secret-key"
}
