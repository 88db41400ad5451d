package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/cli"
	"github.com/novugen/novugen/internal/novu"
)

// The command's own limits. The defaults it shares with the engine and the
// client are theirs: apply.DefaultConcurrency, apply.DefaultTargets and
// novu.DefaultBaseURL.
const (
	maxConcurrency = 64
	defaultTimeout = 10 * time.Minute
)

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

var usageText = `usage: apply [flags]

Applies the workflow registry to Novu: validates it, upserts every workflow
in the environment of NOVU_SECRET_KEY (Development), then syncs each to the
target environments in order. See the package documentation for details.

Environment:
  NOVU_SECRET_KEY              secret key of the source (Development) environment
  NOVU_API_URL                 API base URL (default ` + novu.DefaultBaseURL + `; EU: ` + novu.EUBaseURL + `)
  NOVU_SECRET_KEY_<ENV>        optional read-only key of a target, e.g. NOVU_SECRET_KEY_PRODUCTION,
                               for an exact plan there
  GITHUB_STEP_SUMMARY          when set, a Markdown summary is appended to that file

Flags:
`

// parse reads the command line and the environment (os.Environ's form)
// into an invocation. On an error the invocation can still report it (see
// invocation.stop).
func parse(args, environ []string, stdout, stderr io.Writer) (*invocation, error) {
	env := cli.EnvMap(environ)
	o, err := parseOptions(args, env, stderr)
	return &invocation{
		o: o, stdout: stdout, stderr: stderr,
		progress:     isTerminal(stderr),
		stopJSON:     o.json || flagGiven(args, "json"),
		stopDetailed: o.detailedExitcode || flagGiven(args, "detailed-exitcode"),
		stopSummary:  cmp.Or(o.stepSummary, env["GITHUB_STEP_SUMMARY"]),
	}, err
}

// parseOptions reads flags and environment. It never touches the network.
func parseOptions(args []string, env map[string]string, stderr io.Writer) (options, error) {
	var o options
	fs, to, only := o.flagSet(stderr)
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
	if err := o.checkFlags(*to, *only); err != nil {
		return o, err
	}
	return o, o.readEnvironment(env)
}

// flagSet defines the flags into o; -to and -only are returned raw, for
// checkFlags to split.
func (o *options) flagSet(stderr io.Writer) (fs *flag.FlagSet, to, only *string) {
	fs = flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	fs.BoolVar(&o.plan, "plan", false, "print the plan and write nothing")
	to = fs.String("to", strings.Join(apply.DefaultTargets, ","), "target environments to sync to, in order, by name (case-insensitive); empty for none.\nDefault: "+strings.Join(apply.DefaultTargets, " then ")+", each if it exists")
	only = fs.String("only", "", "comma-separated workflowIds to apply (default all in the registry)")
	fs.BoolVar(&o.prune, "prune", false, "delete Development workflows this registry created (its novugen:<hash> tag) whose workflowId left it")
	fs.BoolVar(&o.json, "json", false, "print the plan or report as JSON (schema novugen.apply/v1) on stdout")
	fs.BoolVar(&o.detailedExitcode, "detailed-exitcode", false, "with -plan: exit 0 when there is nothing to do, 2 when changes are pending, 1 on any error")
	fs.IntVar(&o.concurrency, "concurrency", apply.DefaultConcurrency, fmt.Sprintf("workflows processed at once (1 to %d)", maxConcurrency))
	fs.DurationVar(&o.timeout, "timeout", defaultTimeout, "deadline for the whole run")
	fs.BoolVar(&o.emulator, "emulator", false, "start the built-in Novu emulator in-process and run against it (a demo; nothing reaches Novu)")
	fs.StringVar(&o.registry, "registry", "", "read the registry from this file (gen/registry.json of your module) instead of the compiled-in one")
	fs.BoolVar(&o.version, "version", false, "print the module version and VCS revision this apply was built from, and exit")
	return fs, to, only
}

// checkFlags splits -to and -only and refuses values and combinations
// that cannot run.
func (o *options) checkFlags(to, only string) error {
	var err error
	if o.to, err = splitNames("-to", to); err != nil {
		return err
	}
	if !o.toSet {
		o.to = nil
	}
	if o.only, err = splitNames("-only", only); err != nil {
		return err
	}
	switch {
	case o.concurrency < 1 || o.concurrency > maxConcurrency:
		return usagef("-concurrency %d: accepted values are 1 to %d (default %d)", o.concurrency, maxConcurrency, apply.DefaultConcurrency)
	case o.timeout <= 0:
		return usagef("-timeout %s: must be positive, e.g. -timeout 5m", o.timeout)
	case o.prune && len(o.only) > 0:
		return usagef("-prune cannot be combined with -only: every workflow outside -only would look as if it had left the registry")
	case o.detailedExitcode && !o.plan:
		return usagef("-detailed-exitcode needs -plan: it reports whether changes are pending")
	}
	return nil
}

// readEnvironment reads the API URL and the keys. Under -emulator neither
// is needed.
func (o *options) readEnvironment(env map[string]string) error {
	novuEnv, err := novu.ReadEnv(func(k string) string { return env[k] })
	o.apiURL, o.Key = novuEnv.BaseURL, novuEnv.Key
	o.TargetKeys = map[string]novu.Secret{}
	for k, v := range env {
		if name, ok := novu.EnvTarget(k); ok && v != "" {
			o.TargetKeys[name] = novu.Secret(v)
		}
	}
	o.stepSummary = env["GITHUB_STEP_SUMMARY"]
	if o.emulator {
		return nil
	}
	if err != nil {
		return usagef("%v", err)
	}
	if o.Key == "" {
		return usagef("%v", novu.NoKeyError("the Development environment's secret key, or pass -emulator to run against the built-in emulator"))
	}
	return nil
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

// flagGiven reports whether the boolean flag name is set on the command
// line (-name, --name, -name=true), whether or not parsing got that far.
func flagGiven(args []string, name string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		a = strings.TrimLeft(a, "-")
		return a == name || a == name+"=true"
	})
}
