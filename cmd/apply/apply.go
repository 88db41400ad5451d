package main

import (
	"context"
	"fmt"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/cli"
)

// apply prints the plan (not under -json), carries it out, and reports the
// outcome. It exits 1 when anything failed or the run was interrupted.
func (inv *invocation) apply(ctx context.Context, e *apply.Engine, plan *apply.Plan) int {
	if !inv.o.json {
		printPlan(inv.stdout, plan)
		fmt.Fprintln(inv.stdout)
	}
	report, err := e.Run(ctx, plan)
	inv.clearProgress()
	if err != nil {
		fmt.Fprintln(inv.stderr, "apply: "+err.Error())
		return cli.ExitFailure
	}
	inv.report(ctx, report)
	if !report.OK() {
		return cli.ExitFailure
	}
	return cli.ExitOK
}
