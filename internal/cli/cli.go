// Package cli is the main of the three commands: each is a
// run(ctx, args, stdout, stderr) int that knows nothing of the process, and
// Main alone turns signals into a cancelled context and the result into
// the exit status.
package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Main calls run with the command-line arguments after the program name
// and the process's standard output and error, then exits with what run
// returns. SIGINT and SIGTERM cancel run's context instead of killing the
// process, so that each command can end cleanly (see its main).
func Main(run func(ctx context.Context, args []string, stdout, stderr io.Writer) int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
