package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/novugen/novugen/internal/scripttest"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as novugen, so scripts test exit
// statuses for real (stringer's endtoend_test does the same).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"novugen": main,
	})
}

// TestScript runs testdata/script/*.txtar, each in a module of its own
// (example.com/user) that requires this repository through a replace
// directive, offline: GOPROXY=off, our go.sum, the shared module cache.
// $WORK/shop holds a copy of the repository's workflows package when it
// exists. The import scripts run against scripttest's emulator command, whose
// traffic is checked against Novu's OpenAPI document. -update rewrites the
// scripts' cmp files.
func TestScript(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	modCache := scripttest.GoEnv(t, "GOMODCACHE")
	goMod, err := userGoMod(filepath.Join(repo, "go.mod"), repo)
	if err != nil {
		t.Fatal(err)
	}
	goSum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	p := testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: testenv.Update(),
		Setup: func(e *testscript.Env) error {
			scripttest.Offline(e, modCache)
			e.Setenv("REPO", repo)
			if err := os.WriteFile(filepath.Join(e.WorkDir, "go.mod"), goMod, 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(e.WorkDir, "go.sum"), goSum, 0o644); err != nil {
				return err
			}
			return copyPackage(filepath.Join(repo, "workflows"), filepath.Join(e.WorkDir, "shop"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"noprobedirs": cmdNoProbeDirs,
			"waitfile":    cmdWaitFile,
			"seed":        cmdSeed,
			"synth":       cmdSynth,
		},
	}
	scripttest.Run(t, p)
}

// cmdNoProbeDirs fails when a probe directory (.novugen-*) was left in the
// module root, $WORK: novugen must remove it on every path.
func cmdNoProbeDirs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: noprobedirs")
	}
	left, err := filepath.Glob(filepath.Join(ts.Getenv("WORK"), ".novugen-*"))
	ts.Check(err)
	if len(left) > 0 {
		ts.Fatalf("probe directories left behind: %s", strings.Join(left, ", "))
	}
}

// cmdWaitFile waits until a file exists: waitfile name. A background
// command creates it to say it has got where the script wants it. The
// limit only keeps a broken script from hanging until the test timeout.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile name")
	}
	const limit = 5 * time.Minute
	for start := time.Now(); time.Since(start) < limit; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
	}
	ts.Fatalf("%s did not appear within %v", args[0], limit)
}

// userGoMod is the go.mod of a user's module that requires this one, with
// our requirements so that go.sum covers the whole build.
func userGoMod(ours, repo string) ([]byte, error) {
	data, err := os.ReadFile(ours)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("module example.com/user\n\ngo 1.26.0\n\nrequire github.com/novugen/novugen v0.0.0\n\n")
	in := false
	for line := range strings.SplitSeq(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "require ("):
			in = true
			b.WriteString(line + "\n")
		case in && line == ")":
			in = false
			b.WriteString(")\n\n")
		case in:
			b.WriteString(line + "\n")
		}
	}
	fmt.Fprintf(&b, "replace github.com/novugen/novugen => %s\n", repo)
	return []byte(b.String()), nil
}

// copyPackage copies the non-test Go files of src into dst; nothing when src
// does not exist.
func copyPackage(src, dst string) error {
	files, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil || len(files) == 0 {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
