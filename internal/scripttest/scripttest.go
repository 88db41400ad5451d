// Package scripttest holds what the CLI tests of cmd/novugen and cmd/apply
// share: testscript commands and the offline set-up of a user's module. It
// is imported by tests only.
package scripttest

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// Commands are the shared script commands: exits and edit.
func Commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"exits": Exits,
		"edit":  Edit,
	}
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
