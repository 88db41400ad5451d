package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/cli"
	"github.com/novugen/novugen/internal/version"
)

// exitPending is apply's own exit status besides the shared ones
// (cli.ExitOK, cli.ExitFailure, cli.ExitUsage): -plan -detailed-exitcode
// exits with it when changes are pending, Terraform's convention. It is
// cli.ExitUsage's number, so under -detailed-exitcode a usage error exits
// cli.ExitFailure instead (see invocation.stop).
const exitPending = 2

// run is the whole command, callable from tests: args without the program
// name, environ as os.Environ gives it. main ends ctx on SIGINT or SIGTERM:
// the run starts nothing new, lets writes in flight finish, and reports.
// apply reads nothing from standard input, so run takes none.
//
// Its steps, in order: parse the command line and environment, load the
// registry, connect (the engine, and the emulator under -emulator), plan,
// then either report the plan (-plan) or apply it and report the outcome.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	inv, err := parse(args, environ, stdout, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return cli.ExitOK
	case err != nil:
		return inv.stop(err)
	case inv.o.version:
		fmt.Fprintln(stdout, version.Line("apply"))
		return cli.ExitOK
	}
	reg, err := inv.loadRegistry()
	if err != nil {
		return inv.stop(err)
	}
	ctx, cancel := context.WithTimeout(ctx, inv.o.timeout)
	defer cancel()
	e, disconnect, err := inv.connect(reg)
	if err != nil {
		return inv.stop(err)
	}
	defer disconnect()
	plan, err := inv.plan(ctx, e, reg.Workflows)
	if err != nil {
		return inv.stop(err)
	}
	if inv.o.plan {
		return inv.reportPlan(plan, reg.Workflows)
	}
	return inv.apply(ctx, e, plan)
}

// exitCode is the status a run stopped by err exits with: a mistake in
// flags, environment or target names is a usage error (2), anything else
// a failure (1).
func exitCode(err error) int {
	var ue *usageError
	var aue *apply.UsageError
	if errors.As(err, &ue) || errors.As(err, &aue) {
		return cli.ExitUsage
	}
	return cli.ExitFailure
}
