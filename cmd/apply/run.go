package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/version"
	"github.com/novugen/novugen/novutest"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitPending = 2 // -plan -detailed-exitcode: changes pending
)

// run is the whole command, callable from tests: args without the program
// name, env as os.Environ gives it.
func run(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	_ = stdin // apply reads nothing from stdin; kept so the signature matches the other commands
	env := envMap(environ)
	o, err := parseOptions(args, env, stderr)
	// Read from args as well: a usage error can stop the parse before it
	// reaches these flags, and they decide how that error is reported.
	detailed := o.detailedExitcode || flagGiven(args, "detailed-exitcode")
	jsonOut := o.json || flagGiven(args, "json")
	summary := cmp.Or(o.stepSummary, env["GITHUB_STEP_SUMMARY"])

	// stop ends a run that has no report: it says why on stderr, and
	// under -json and in the step summary, where CI readers look.
	stop := func(err error, code int) int {
		msg := err.Error()
		if msg == "" {
			msg = "invalid command line (see above)" // the flag package has printed it
		} else {
			fmt.Fprintln(stderr, "apply: "+msg)
		}
		if jsonOut {
			writeJSON(stdout, struct {
				SchemaVersion string `json:"schemaVersion"`
				Error         string `json:"error"`
			}{apply.ReportSchemaVersion, msg})
		}
		appendStepSummary(summary, "### novugen apply\n\n**Stopped before writing anything:** "+mdEscape(msg)+"\n", stderr)
		if code == exitUsage && detailed {
			// 2 must mean only "changes pending" under -detailed-exitcode.
			return exitFailure
		}
		return code
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return stop(err, exitUsage)
	}
	if o.version {
		fmt.Fprintln(stdout, version.Line("apply"))
		return exitOK
	}

	reg, err := loadRegistry(o.registry, stderr)
	defs := reg.Workflows
	var unusable *usageError
	if errors.As(err, &unusable) {
		return stop(err, exitUsage) // -registry names no readable file
	}
	if err != nil {
		return stop(err, exitFailure)
	}
	ids := make([]string, len(defs))
	for i, d := range defs {
		ids[i] = d.WorkflowID
	}
	slices.Sort(ids)
	if err := checkOnly(o.only, ids); err != nil {
		return stop(err, exitUsage)
	}

	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	cfg := apply.Config{
		BaseURL:     o.apiURL,
		Key:         o.Key,
		TargetKeys:  map[string]novu.Secret{},
		Targets:     o.to,
		Only:        o.only,
		Owner:       reg.Owner,
		Prune:       o.prune,
		Concurrency: o.concurrency,
	}
	maps.Copy(cfg.TargetKeys, o.TargetKeys)
	if o.emulator {
		srv := novutest.NewServer(novutest.Options{})
		defer srv.Close()
		cfg.BaseURL = srv.URL()
		cfg.Key = novu.Secret(srv.Key("Development"))
		// The emulator scopes keys like current Novu; give it the targets'
		// keys so the demo's plan is exact.
		cfg.TargetKeys = map[string]novu.Secret{
			"STAGING": novu.Secret(srv.Key("Staging")), "PRODUCTION": novu.Secret(srv.Key("Production")),
		}
		fmt.Fprintf(stderr, "apply: -emulator: started the built-in Novu emulator at %s; nothing is sent to Novu (NOVU_SECRET_KEY and NOVU_API_URL are ignored)\n", srv.URL())
	}
	if isTerminal(stderr) {
		cfg.Progress = progressPrinter(stderr)
	}

	e, err := apply.New(cfg)
	if err != nil {
		return stop(err, exitFailure)
	}
	plan, err := e.Plan(ctx, defs)
	clearProgress(cfg, stderr)
	if err != nil {
		var ue *apply.UsageError
		if errors.As(err, &ue) {
			return stop(err, exitUsage)
		}
		if errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("%w (the run's -timeout of %s passed)", err, o.timeout)
		}
		return stop(err, exitFailure)
	}

	if o.plan {
		if o.json {
			writeJSON(stdout, struct {
				SchemaVersion string      `json:"schemaVersion"`
				Plan          *apply.Plan `json:"plan"`
			}{apply.ReportSchemaVersion, plan})
		} else {
			printPlan(stdout, plan)
		}
		appendStepSummary(o.stepSummary, planMarkdown(plan), stderr)
		// A workflow that could not be read has no plan: -plan cannot say
		// "nothing to do" (0) or "changes pending" (2) for it.
		if failed := unplanned(plan); len(failed) > 0 {
			for _, f := range failed {
				fmt.Fprintf(stderr, "apply: cannot plan %s\n", failureLine(f))
			}
			fmt.Fprintf(stderr, "apply: the plan is incomplete: %d workflows could not be read\n", len(failed))
			return exitFailure
		}
		if o.detailedExitcode && plan.Pending() {
			return exitPending
		}
		return exitOK
	}

	if !o.json {
		printPlan(stdout, plan)
		fmt.Fprintln(stdout)
	}
	report, err := e.Run(ctx, plan)
	clearProgress(cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "apply: "+err.Error())
		return exitFailure
	}
	if o.json {
		writeJSON(stdout, report)
	} else {
		printReport(stdout, report)
	}
	appendStepSummary(o.stepSummary, reportMarkdown(report), stderr)
	if report.Interrupted {
		why := "interrupted"
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			why = fmt.Sprintf("the run's -timeout of %s passed", o.timeout)
		}
		if report.Unfinished() {
			fmt.Fprintf(stderr, "apply: %s: writes in flight finished, nothing new was started; re-run to finish (it converges)\n", why)
		} else {
			fmt.Fprintf(stderr, "apply: %s as the run ended: every write had been made; a re-run confirms it\n", why)
		}
	}
	if !report.OK() {
		return exitFailure
	}
	return exitOK
}

// unplanned lists why each workflow the plan could not read failed.
func unplanned(p *apply.Plan) []apply.Failure {
	var out []apply.Failure
	for _, w := range p.Workflows {
		if w.Error != nil {
			out = append(out, *w.Error)
		}
	}
	return out
}

// loadRegistry reads -registry, or the registry compiled in from package
// gen when the flag is empty: only in a build of this repository's own
// source. The emulator is no exception: a user trying apply -emulator in
// their own module, without -registry, would otherwise see novugen's
// examples applied and take them for their own workflows. notes gets the
// one line saying when a -registry file's sources could not be checked.
func loadRegistry(path string, notes io.Writer) (dsl.Registry, error) {
	if path == "" {
		info, _ := debug.ReadBuildInfo()
		if err := compiledRegistryIsYours(info); err != nil {
			return dsl.Registry{}, err
		}
		return compiledRegistry()
	}
	return registryFile(path, notes)
}

// isTerminal reports whether w is a character device (a terminal), the only
// place a progress line that rewrites itself belongs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func progressPrinter(w io.Writer) func(apply.Progress) {
	return func(p apply.Progress) {
		fmt.Fprintf(w, "\r\033[K%s %d/%d %s", p.Phase, p.Done, p.Total, p.WorkflowID)
	}
}

func clearProgress(cfg apply.Config, w io.Writer) {
	if cfg.Progress != nil {
		fmt.Fprint(w, "\r\033[K")
	}
}

// flagGiven reports whether the boolean flag name is set on the command
// line (-name, --name, -name=true), whether or not parsing got that far.
func flagGiven(args []string, name string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		a = strings.TrimLeft(a, "-")
		return a == name || a == name+"=true"
	})
}
