// Package scripttest holds what the CLI tests of cmd/novugen and cmd/apply
// share: testscript commands, among them the emulator both commands'
// scripts run against (testenv.Emulator), and the offline set-up of a
// user's module. It is imported by tests only.
package scripttest

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"
)

// commands are the shared script commands: exits, edit and emulator. The
// emulator command needs Run's set-up.
func commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"exits":    Exits,
		"edit":     Edit,
		"emulator": Emulator,
	}
}

// Run runs the scripts p describes, with the shared commands (commands)
// beside p's own, each script's set-up (p.Setup) preceded by that of its
// emulator, and the go command set up as the test's own (gotooltest).
func Run(t *testing.T, p testscript.Params) {
	t.Helper()
	p.Setup = emulatorSetup(p.Setup)
	if p.Cmds == nil {
		p.Cmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	}
	maps.Copy(p.Cmds, commands())
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, p)
}

// Exits runs a command and requires its exit status: exits 2 apply -plan.
// "! exec" cannot tell 1 from 2, and 2 is what usage errors and
// -detailed-exitcode are about.
func Exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits status command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("exits: %v", err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// Edit replaces the one occurrence of old in a file: edit file old new.
// Requiring exactly one keeps a script from editing something other than it
// says when the file changes.
func Edit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: edit file old new")
	}
	file := ts.MkAbs(args[0])
	data, err := os.ReadFile(file)
	ts.Check(err)
	if n := strings.Count(string(data), args[1]); n != 1 {
		ts.Fatalf("edit: %s holds %q %d times, want once", args[0], args[1], n)
	}
	ts.Check(os.WriteFile(file, []byte(strings.Replace(string(data), args[1], args[2], 1)), 0o644))
}

// GoEnv returns the value of a go env variable of the go command running the
// tests: GoEnv(t, "GOMODCACHE").
func GoEnv(t testing.TB, key string) string {
	t.Helper()
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}

// Offline makes a script's go commands build a user's module without the
// network and without the settings of whoever runs the tests: modules come
// from modCache (the module cache of the go command running the tests, see
// GoEnv), never from a proxy; no workspace, GOFLAGS or toolchain switch
// applies.
func Offline(e *testscript.Env, modCache string) {
	e.Setenv("GOMODCACHE", modCache)
	e.Setenv("GOPROXY", "off")
	e.Setenv("GOFLAGS", "")
	e.Setenv("GOWORK", "off")
	e.Setenv("GOTOOLCHAIN", "local")
}

// TidyOffline reports whether modCache holds every module that go mod tidy
// of the repository at repo needs, by running that tidy offline on a scratch
// copy of its go.mod and go.sum in tmp (the repository is not written).
//
// Scripts run go get and go mod tidy in a user's module offline, and tidy
// needs the test dependencies of our dependencies too, which no build and
// no go mod download fetches: without this check a cold module cache fails
// a script half-way with "module lookup disabled by GOPROXY=off". The
// error names what is missing and what to run (make deps, which make test
// runs first).
func TidyOffline(repo, modCache, tmp string) error {
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, f), data, 0o644); err != nil {
			return err
		}
	}
	cmd := exec.Command("go", "mod", "tidy", "-modfile="+filepath.Join(tmp, "go.mod"))
	cmd.Dir = repo
	// exec keeps the last value of a variable given twice.
	cmd.Env = append(os.Environ(), "GOMODCACHE="+modCache, "GOPROXY=off", "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	var missing []string
	for line := range strings.SplitSeq(string(out), "\n") {
		// "pkg: module lookup disabled ..." or, when a module the package
		// needs could not be read, "pkg: module@version: module lookup ...".
		if strings.HasSuffix(line, ": module lookup disabled by GOPROXY=off") {
			pkg, _, _ := strings.Cut(strings.TrimSpace(line), ": ")
			missing = append(missing, pkg)
		}
	}
	slices.Sort(missing)
	missing = slices.Compact(missing)
	what := "\n" + strings.TrimSpace(string(out))
	if len(missing) > 0 {
		what = ": " + strings.Join(missing, ", ")
	}
	return fmt.Errorf("the module cache %s lacks modules the scripts' go commands need offline "+
		"(go mod tidy in a user's module needs the test dependencies of our dependencies, which no build downloads); "+
		"run make deps (make test runs it first), then the tests again. go mod tidy offline: %v; packages it could not load%s", modCache, err, what)
}
