package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/novugen/novugen/internal/novu"
)

// Defaults.
const (
	defaultAPIURL      = "https://api.novu.co"
	defaultConcurrency = 8
	maxConcurrency     = 64
	defaultTimeout     = 10 * time.Minute
)

// defaultTargets are the environments synced to when -to is not given, in
// this order, each only if the organization has it. Novu lists environments
// in creation order, and new organizations get Production before anyone
// makes Staging, so the order cannot come from Novu: it is fixed here.
var defaultTargets = []string{"Staging", "Production"}

// options is the parsed command line and environment.
type options struct {
	plan             bool
	to               []string // nil: the default targets; empty: none
	toSet            bool
	only             []string
	prune            bool
	json             bool
	detailedExitcode bool
	concurrency      int
	timeout          time.Duration
	emulator         bool
	registry         string
	version          bool

	apiURL string
	// Key and TargetKeys are read from the environment as novu.Secret, so
	// that printing the options in any form (%+v in a debugging line or a
	// test failure) shows "[redacted]", never a key. They are exported
	// because fmt does not call a method on an unexported field's value.
	Key         novu.Secret
	TargetKeys  map[string]novu.Secret // upper-cased environment name → key
	stepSummary string
}

// usageError is a mistake in flags or environment: exit 2 (1 under
// -detailed-exitcode).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

const usageText = `usage: apply [flags]

Applies the workflow registry to Novu: validates it, upserts every workflow
in the environment of NOVU_SECRET_KEY (Development), then syncs each to the
target environments in order. See the package documentation for details.

Environment:
  NOVU_SECRET_KEY              secret key of the source (Development) environment
  NOVU_API_URL                 API base URL (default https://api.novu.co; EU: https://eu.api.novu.co)
  NOVU_SECRET_KEY_<ENV>        optional read-only key of a target, e.g. NOVU_SECRET_KEY_PRODUCTION,
                               for an exact plan there
  GITHUB_STEP_SUMMARY          when set, a Markdown summary is appended to that file

Flags:
`

// parseOptions reads flags and environment. It never touches the network.
func parseOptions(args []string, env map[string]string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	fs.BoolVar(&o.plan, "plan", false, "print the plan and write nothing")
	to := fs.String("to", strings.Join(defaultTargets, ","), "target environments to sync to, in order, by name (case-insensitive); empty for none.\nDefault: Staging then Production, each if it exists")
	only := fs.String("only", "", "comma-separated workflowIds to apply (default all in the registry)")
	fs.BoolVar(&o.prune, "prune", false, "delete Development workflows this registry created (its novugen:<hash> tag) whose workflowId left it")
	fs.BoolVar(&o.json, "json", false, "print the plan or report as JSON (schema novugen.apply/v1) on stdout")
	fs.BoolVar(&o.detailedExitcode, "detailed-exitcode", false, "with -plan: exit 0 when there is nothing to do, 2 when changes are pending, 1 on any error")
	fs.IntVar(&o.concurrency, "concurrency", defaultConcurrency, fmt.Sprintf("workflows processed at once (1 to %d)", maxConcurrency))
	fs.DurationVar(&o.timeout, "timeout", defaultTimeout, "deadline for the whole run")
	fs.BoolVar(&o.emulator, "emulator", false, "start the built-in Novu emulator in-process and run against it (a demo; nothing reaches Novu)")
	fs.StringVar(&o.registry, "registry", "", "read the registry from this file (gen/registry.json of your module) instead of the compiled-in one")
	fs.BoolVar(&o.version, "version", false, "print the module version and VCS revision this apply was built from, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		// flag has already printed the problem and the usage.
		return o, &usageError{msg: ""}
	}
	if o.version {
		return o, nil // nothing else is needed, a key least of all
	}
	if fs.NArg() > 0 {
		return o, usagef("unexpected argument %q: apply takes only flags", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "to" {
			o.toSet = true
		}
	})

	var err error
	if o.to, err = splitNames("-to", *to); err != nil {
		return o, err
	}
	if !o.toSet {
		o.to = nil
	}
	if o.only, err = splitNames("-only", *only); err != nil {
		return o, err
	}
	if o.concurrency < 1 || o.concurrency > maxConcurrency {
		return o, usagef("-concurrency %d: accepted values are 1 to %d (default %d)", o.concurrency, maxConcurrency, defaultConcurrency)
	}
	if o.timeout <= 0 {
		return o, usagef("-timeout %s: must be positive, e.g. -timeout 5m", o.timeout)
	}
	if o.prune && len(o.only) > 0 {
		return o, usagef("-prune cannot be combined with -only: every workflow outside -only would look as if it had left the registry")
	}
	if o.detailedExitcode && !o.plan {
		return o, usagef("-detailed-exitcode needs -plan: it reports whether changes are pending")
	}

	o.apiURL = env["NOVU_API_URL"]
	if o.apiURL == "" {
		o.apiURL = defaultAPIURL
	}
	o.Key = novu.Secret(env["NOVU_SECRET_KEY"])
	o.TargetKeys = map[string]novu.Secret{}
	for k, v := range env {
		if name, ok := strings.CutPrefix(k, "NOVU_SECRET_KEY_"); ok && name != "" && v != "" {
			o.TargetKeys[name] = novu.Secret(v)
		}
	}
	o.stepSummary = env["GITHUB_STEP_SUMMARY"]
	if !o.emulator {
		if o.apiURL, err = checkAPIURL(o.apiURL); err != nil {
			return o, err
		}
		if o.Key == "" {
			return o, usagef("no secret key: set NOVU_SECRET_KEY to the Development environment's secret key, or pass -emulator to run against the built-in emulator")
		}
	}
	return o, nil
}

// splitNames splits a comma-separated list, trimming spaces. Empty items
// ("a,,b") are a mistake worth reporting; an empty string is an empty list.
func splitNames(flagName, s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return []string{}, nil
	}
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, usagef("%s %q: empty name in the list", flagName, s)
		}
		out = append(out, item)
	}
	return out, nil
}

// checkAPIURL accepts an absolute http(s) URL with a host and no query or
// fragment. Plain http is refused except on loopback, where it can only be
// an emulator or a tunnel: anywhere else the secret key would cross the
// network in clear text.
//
// Errors never echo the value whole: a value that is not a URL may be a key
// pasted into the wrong variable, and credentials or a query may carry one.
// They show at most the scheme and host.
func checkAPIURL(raw string) (string, error) {
	const accepted = "want a base URL such as " + defaultAPIURL + " or https://eu.api.novu.co (self-hosted: https://<host>[/path]; http:// only on loopback), without credentials, query or fragment"
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", usagef("NOVU_API_URL is not an absolute http(s) URL (the value is not shown, in case it is a secret); %s", accepted)
	}
	origin := u.Scheme + "://" + u.Host
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", usagef("NOVU_API_URL for %s has credentials, a query or a fragment (not shown); %s", origin, accepted)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", usagef("NOVU_API_URL %s: plain http would send the secret key in clear text; use https (http is accepted only on loopback)", origin)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkOnly reports -only names that are not in the registry, listing the
// valid ones.
func checkOnly(only, ids []string) error {
	var unknown []string
	for _, id := range only {
		if !slices.Contains(ids, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return usagef("-only: %s not in the registry; workflowIds in the registry: %s",
		quoteList(unknown), strings.Join(ids, ", "))
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// envMap turns os.Environ-style "K=V" entries into a map.
func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
