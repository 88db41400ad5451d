package testenv

import (
	"net/http"
	"testing"

	"github.com/novugen/novugen/internal/conformance"
	"github.com/novugen/novugen/novutest"
)

// Emulator starts a novutest server for the test, closed when it ends.
// Every request that reaches the emulator and every answer it gives is
// checked against Novu's OpenAPI document (internal/conformance); opts.Wrap,
// when set, stands in front of that check, so what it answers itself (a
// fault a test injects) is not checked.
func Emulator(tb testing.TB, opts novutest.Options) *novutest.Server {
	tb.Helper()
	return emulator(tb, opts, conformance.New(tb).Wrap)
}

// EmulatorCheckingResponses is Emulator for a test that sends requests
// Novu's document forbids, on purpose, to see how the emulator answers
// them: only the answers are checked, so the test's own bad requests are
// not reported as violations.
func EmulatorCheckingResponses(tb testing.TB, opts novutest.Options) *novutest.Server {
	tb.Helper()
	return emulator(tb, opts, conformance.New(tb).WrapResponses)
}

// emulator starts the server with check between opts.Wrap and the
// emulator.
func emulator(tb testing.TB, opts novutest.Options, check func(http.Handler) http.Handler) *novutest.Server {
	if outer := opts.Wrap; outer != nil {
		opts.Wrap = func(h http.Handler) http.Handler { return outer(check(h)) }
	} else {
		opts.Wrap = check
	}
	srv := novutest.NewServer(opts)
	tb.Cleanup(srv.Close)
	return srv
}
