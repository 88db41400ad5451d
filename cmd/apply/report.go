package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/cli"
	"github.com/novugen/novugen/registry"
)

// reportPlan is -plan's end: the plan on stdout (text or -json) and in the
// step summary. It exits 1 when a workflow could not be read, and, under
// -detailed-exitcode, 2 when changes are pending.
func (inv *invocation) reportPlan(plan *apply.Plan, defs []registry.Workflow) int {
	if inv.o.json {
		writeJSON(inv.stdout, struct {
			SchemaVersion string      `json:"schemaVersion"`
			Plan          *apply.Plan `json:"plan"`
		}{apply.ReportSchemaVersion, plan})
	} else {
		printPlan(inv.stdout, plan)
	}
	appendStepSummary(inv.o.stepSummary, planMarkdown(plan, defs), inv.stderr)
	// A workflow that could not be read has no plan: -plan cannot say
	// "nothing to do" (0) or "changes pending" (2) for it.
	if failed := unplanned(plan); len(failed) > 0 {
		for _, f := range failed {
			fmt.Fprintf(inv.stderr, "apply: cannot plan %s\n", failureLine(f))
		}
		fmt.Fprintf(inv.stderr, "apply: the plan is incomplete: %d workflows could not be read\n", len(failed))
		return cli.ExitFailure
	}
	if inv.o.detailedExitcode && plan.Pending() {
		return exitPending
	}
	return cli.ExitOK
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

// report writes the outcome of a run on stdout (text or -json) and in the
// step summary, and, when the run was cut short, what that left undone.
func (inv *invocation) report(ctx context.Context, report *apply.Report) {
	if inv.o.json {
		writeJSON(inv.stdout, report)
	} else {
		printReport(inv.stdout, report)
	}
	appendStepSummary(inv.o.stepSummary, reportMarkdown(report), inv.stderr)
	if !report.Interrupted {
		return
	}
	why := "interrupted"
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		why = fmt.Sprintf("the run's -timeout of %s passed", inv.o.timeout)
	}
	if report.Unfinished() {
		fmt.Fprintf(inv.stderr, "apply: %s: writes in flight finished, nothing new was started; re-run to finish (it converges)\n", why)
	} else {
		fmt.Fprintf(inv.stderr, "apply: %s as the run ended: every write had been made; a re-run confirms it\n", why)
	}
}
