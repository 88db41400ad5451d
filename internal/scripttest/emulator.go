package scripttest

import (
	"fmt"
	"testing"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
	"github.com/rogpeppe/go-internal/testscript"
)

type emulatorKey struct{}

// scriptEmulator is a script's slot for the emulator its emulator command
// starts: tb is the script's test, srv nil until the command runs. Setup
// puts it in the script's values, as commands cannot add values of their
// own.
type scriptEmulator struct {
	tb  testing.TB
	srv *novutest.Server
}

// emulatorSetup wraps a script's set-up with the slot of its emulator.
func emulatorSetup(setup func(*testscript.Env) error) func(*testscript.Env) error {
	return func(e *testscript.Env) error {
		// Run starts the scripts with testscript.Run, whose T is a
		// testing.TB, which the conformance check reports to.
		tb, ok := e.T().(testing.TB)
		if !ok {
			return fmt.Errorf("testscript.Env.T() is %T, not a testing.TB", e.T())
		}
		e.Values[emulatorKey{}] = &scriptEmulator{tb: tb}
		if setup == nil {
			return nil
		}
		return setup(e)
	}
}

// Emulator is the emulator command. Without arguments it starts an
// emulator in the test process that lives as long as the script and points
// NOVU_API_URL and the secret keys of Development (NOVU_SECRET_KEY),
// Staging and Production at it, so that several runs of the commands see
// the same Novu (apply -emulator starts a fresh one per run). It is
// testenv.Emulator: every request and answer is checked against Novu's
// OpenAPI document, and a violation fails the script's test. With an
// environment name it prints that environment's workflowIds, one a line:
// emulator Production.
func Emulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: emulator [environment]")
	}
	if len(args) == 1 {
		// Asked before the loop, so that an empty environment prints
		// nothing rather than leaving the previous command's stdout for
		// the script to match.
		out := ts.Stdout()
		for _, w := range EmulatorOf(ts).Workflows(args[0]) {
			fmt.Fprintln(out, w.WorkflowID)
		}
		return
	}
	e := slot(ts)
	if e.srv != nil {
		ts.Fatalf("emulator: already started")
	}
	// Closed when the script's test ends, after the script's own defers.
	e.srv = testenv.Emulator(e.tb, novutest.Options{})
	ts.Setenv(novu.EnvBaseURL, e.srv.URL())
	// The first environment is the development one, the source, whose key
	// is NOVU_SECRET_KEY; each other's is its target variable.
	for i, env := range e.srv.Environments() {
		v := novu.EnvTargetKey(env.Name)
		if i == 0 {
			v = novu.EnvSecretKey
		}
		ts.Setenv(v, env.SecretKey)
	}
}

// EmulatorOf returns the emulator the script started with the emulator
// command, for a package's own commands that read or reset it; the script
// fails when it started none.
func EmulatorOf(ts *testscript.TestScript) *novutest.Server {
	e := slot(ts)
	if e.srv == nil {
		ts.Fatalf("no emulator: run the emulator command first")
	}
	return e.srv
}

func slot(ts *testscript.TestScript) *scriptEmulator {
	e, ok := ts.Value(emulatorKey{}).(*scriptEmulator)
	if !ok {
		ts.Fatalf("emulator: the script was not started by scripttest.Run, which sets up its emulator")
	}
	return e
}
