package main

import (
	"fmt"
	"io"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/cli"
)

// invocation is one run of the command: its options, its streams, and how
// a run that stops before its report says why.
type invocation struct {
	o              options
	stdout, stderr io.Writer
	// progress is whether stderr is a terminal, the only place a progress
	// line that rewrites itself belongs.
	progress bool

	// How a stop is reported. They are read from the command line as well
	// as from the options: a usage error can stop the parse before it
	// reaches -json or -detailed-exitcode, and they decide how that error
	// is reported.
	stopJSON     bool
	stopDetailed bool
	stopSummary  string // GITHUB_STEP_SUMMARY
}

// stop ends a run that has no report: it says why on stderr, and under
// -json and in the step summary, where CI readers look. It returns the
// exit status (see exitCode).
func (inv *invocation) stop(err error) int {
	msg := err.Error()
	if msg == "" {
		msg = "invalid command line (see above)" // the flag package has printed it
	} else {
		fmt.Fprintln(inv.stderr, "apply: "+msg)
	}
	if inv.stopJSON {
		writeJSON(inv.stdout, struct {
			SchemaVersion string `json:"schemaVersion"`
			Error         string `json:"error"`
		}{apply.ReportSchemaVersion, msg})
	}
	appendStepSummary(inv.stopSummary, "### novugen apply\n\n**Stopped before writing anything:** "+mdEscape(msg)+"\n", inv.stderr)
	code := exitCode(err)
	if code == cli.ExitUsage && inv.stopDetailed {
		// 2 must mean only "changes pending" under -detailed-exitcode.
		return cli.ExitFailure
	}
	return code
}
