package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/novugen/novugen/internal/cli"
	"github.com/novugen/novugen/novutest"
)

// run serves the emulator the command line args describe until ctx ends
// (main ends it on SIGINT or SIGTERM), and returns the exit code: 0 after
// a clean stop, 1 on failure, 2 on usage errors. It reads no environment
// variable; environ is there for the shape the three commands share
// (internal/cli).
func run(ctx context.Context, args, _ []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseArgs(args, stdout, stderr)
	if !ok {
		return code
	}
	l, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "novu-emulator: listen on %s: %v\n", cfg.addr, err)
		return cli.ExitFailure
	}
	srv := novutest.Serve(l, cfg.opts)
	fmt.Fprintln(stdout, srv.URL())
	for _, e := range srv.Environments() {
		fmt.Fprintf(stdout, "%s %s %s\n", e.Name, e.ID, e.SecretKey)
	}
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Requests waiting out -latency are dropped at once (see
	// novutest.Server.Shutdown), so only a request stuck elsewhere, such as
	// a client that never finishes sending its body, meets this deadline.
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "novu-emulator: stop: connections still open after 5s were closed: %v\n", err)
		return cli.ExitFailure
	}
	return cli.ExitOK
}
