// Package cli is the main of the three commands: each is a
// run(ctx, args, environ, stdout, stderr) int that knows nothing of the
// process, and Main alone turns signals into a cancelled context, hands
// over the process's arguments, environment and output, and turns the
// result into the exit status. Tests call run with an environment of
// their own, so they need no t.Setenv and can run in parallel.
package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// The exit statuses the three commands share. A command may give a
// status a meaning of its own besides these (cmd/apply's "changes pending"
// under -plan -detailed-exitcode), named there.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // a failure, or findings (novugen), or an interrupted run (apply, novugen)
	ExitUsage   = 2 // a mistake in the command line or the environment; said on stderr
)

// Run is the shape of every command: args without the program name,
// environ in os.Environ's "KEY=value" form, and the exit status returned.
type Run func(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int

// Main calls run with the command-line arguments after the program name,
// the process's environment and its standard output and error, then exits
// with what run returns. SIGINT and SIGTERM cancel run's context instead
// of killing the process, so that each command can end cleanly (see its
// main).
func Main(run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// EnvMap turns environ ("KEY=value" entries) into a map. A key given
// twice keeps its last value, as os/exec does with Cmd.Env, so a test can
// override an entry by appending another.
func EnvMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
