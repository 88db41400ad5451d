package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/conformance"
	"github.com/novugen/novugen/internal/scripttest"
	"github.com/novugen/novugen/novutest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the apply command itself (main, so
// signals and exit statuses are the real ones) for the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"apply": main})
}

// TestScript runs testdata/script/*.txtar end to end as a user of novugen
// would: each script starts in an empty module, example.com/shop
// (scripttest.UserModule), whose go.mod requires nothing yet and replaces
// github.com/novugen/novugen with this repository. Scripts add
// requirements with go get, exactly as README tells users, so they find
// out whether the user's go.sum is enough for what the README has them run. Everything is offline: GOPROXY=off,
// GOSUMDB=off and the module cache of the go command running the tests,
// which must hold what go mod tidy needs (make deps fills it; the test
// stops at once, saying so, when it does not).
//
// user_module.txtar generates a registry there and applies it in-process;
// readme.txtar runs the README's commands through the go command, which
// compiles cmd/apply inside the user's module; registry_errors.txtar covers
// -registry files that are missing or not registries. -update rewrites the
// scripts' cmp files.
func TestScript(t *testing.T) {
	userModule := scripttest.UserModule(t, "../..")
	p := testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(e *testscript.Env) error {
			// The script's test checks the emulator's traffic against
			// Novu's OpenAPI document, as every other emulator test does.
			tb, ok := e.T().(testing.TB)
			if !ok {
				return fmt.Errorf("testscript.Env.T() is %T, not a testing.TB", e.T())
			}
			e.Values[emulatorKey{}] = &scriptEmulator{check: conformance.New(tb)}
			return userModule(e)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"registry-ids": cmdRegistryIDs,
			"plan-json":    cmdPlanJSON,
			"emulator":     cmdEmulator,
			"requests":     cmdRequests,
		},
	}
	scripttest.Run(t, p)
}

// cmdRegistryIDs decodes a registry file as cmd/apply does and prints its
// workflowIds, one a line, in file order: registry-ids gen/registry.json.
func cmdRegistryIDs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: registry-ids file")
	}
	reg, err := dsl.ParseRegistry([]byte(ts.ReadFile(args[0])))
	if err != nil {
		ts.Fatalf("registry-ids: %v", err)
	}
	for _, d := range reg.Workflows {
		fmt.Fprintln(ts.Stdout(), d.WorkflowID)
	}
}

// cmdPlanJSON decodes the output of apply -plan -json strictly (an unknown
// or renamed field fails) and prints one line per workflow: its action and
// each target's action and reason. plan-json stdout reads the last command's
// output.
func cmdPlanJSON(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: plan-json file")
	}
	var out struct {
		SchemaVersion string      `json:"schemaVersion"`
		Plan          *apply.Plan `json:"plan"`
	}
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile(args[0])))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		ts.Fatalf("plan-json: %s is not {schemaVersion, plan}: %v", args[0], err)
	}
	if dec.More() {
		ts.Fatalf("plan-json: %s holds more than one JSON value", args[0])
	}
	if out.Plan == nil {
		ts.Fatalf("plan-json: %s has no plan", args[0])
	}
	w := ts.Stdout()
	fmt.Fprintf(w, "schemaVersion %s\n", out.SchemaVersion)
	fmt.Fprintf(w, "source %s\n", out.Plan.Source.Name)
	for _, wf := range out.Plan.Workflows {
		fmt.Fprintf(w, "%s %s", wf.WorkflowID, wf.Action)
		for _, tp := range wf.Targets {
			fmt.Fprintf(w, " %s:%s(%s)", tp.Environment, tp.Action, tp.Reason)
		}
		fmt.Fprintln(w)
	}
}

type emulatorKey struct{}

// scriptEmulator is the emulator a script started with the emulator
// command; nil until then.
type scriptEmulator struct {
	check *conformance.Checker
	srv   *novutest.Server
}

func emulatorOf(ts *testscript.TestScript) *novutest.Server {
	e := ts.Value(emulatorKey{}).(*scriptEmulator)
	if e.srv == nil {
		ts.Fatalf("no emulator: run the emulator command first")
	}
	return e.srv
}

// cmdEmulator starts an emulator in the test process that lives as long as
// the script, and points NOVU_API_URL and the keys at it, so that several
// apply runs see the same Novu (apply -emulator starts a fresh one per run).
// With an environment name it prints that environment's workflowIds
// instead: emulator Production.
func cmdEmulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: emulator [environment]")
	}
	if len(args) == 1 {
		for _, w := range emulatorOf(ts).Workflows(args[0]) {
			fmt.Fprintln(ts.Stdout(), w.WorkflowID)
		}
		return
	}
	e := ts.Value(emulatorKey{}).(*scriptEmulator)
	if e.srv != nil {
		ts.Fatalf("emulator: already started")
	}
	e.srv = novutest.NewServer(novutest.Options{Wrap: e.check.Wrap})
	ts.Defer(e.srv.Close)
	ts.Setenv("NOVU_API_URL", e.srv.URL())
	ts.Setenv("NOVU_SECRET_KEY", e.srv.Key("Development"))
	ts.Setenv("NOVU_SECRET_KEY_STAGING", e.srv.Key("Staging"))
	ts.Setenv("NOVU_SECRET_KEY_PRODUCTION", e.srv.Key("Production"))
}

// cmdRequests requires the number of requests the script's emulator received
// since it started or since the previous requests command, and starts
// counting again: requests 0. Without a number it only starts counting again.
func cmdRequests(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: requests [n]")
	}
	srv := emulatorOf(ts)
	c := srv.Counts()
	srv.ResetCounts()
	if len(args) == 0 {
		return
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("requests: %v", err)
	}
	if got := c.Total(); got != want {
		ts.Fatalf("the emulator received %d requests (%d writes), want %d", got, c.Writes(), want)
	}
}
