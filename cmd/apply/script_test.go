package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/scripttest"
	"github.com/novugen/novugen/internal/testenv"
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
// -registry files that are missing or not registries. Scripts whose runs
// share one Novu start it with scripttest's emulator command (checked
// against Novu's OpenAPI document) and count its requests with requests.
// -update rewrites the scripts' cmp files.
func TestScript(t *testing.T) {
	p := testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: testenv.Update(),
		Setup:         scripttest.UserModule(t, "../.."),
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"registry-ids": cmdRegistryIDs,
			"plan-json":    cmdPlanJSON,
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

// cmdRequests requires the number of requests the script's emulator received
// since it started or since the previous requests command, and starts
// counting again: requests 0. Without a number it only starts counting again.
func cmdRequests(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: requests [n]")
	}
	srv := scripttest.EmulatorOf(ts)
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
