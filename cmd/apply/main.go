package main

import (
	"context"
	"io"
	"os"

	"github.com/novugen/novugen/internal/cli"
)

func main() {
	// SIGINT/SIGTERM end the context: apply starts nothing new, lets writes
	// in flight finish, prints the report and exits 1.
	cli.Main(func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		return run(ctx, args, os.Environ(), stdout, stderr)
	})
}
