package testenv

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/conformance"
)

// update is -update, registered here once for every test binary that
// imports testenv (directly or through internal/scripttest): a package that
// registered its own would panic at start-up with "flag redefined: update".
var update = flag.Bool("update", false, "rewrite the goldens (testenv.Golden) and the scripts' cmp files from what the tests got")

// Update reports whether the tests run with -update: goldens and the
// scripts' cmp files are rewritten from what the tests got.
func Update() bool { return *update }

// Golden fails tb unless the file at path holds got, byte for byte, showing
// the lines that differ (-want +got). Under -update it first writes got
// there, making its directory, unless tb has already failed: the output of
// a test that failed is not made the golden.
func Golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update && !tb.Failed() {
		if err := writeGolden(path, got); err != nil {
			tb.Fatal(err)
		}
	}
	diff, err := compareGolden(path, got)
	if err != nil {
		tb.Fatalf("%v (%s writes it)", err, updateCommand(tb))
	}
	if diff != "" {
		tb.Errorf("%s differs (-want +got; %s rewrites it):\n%s", path, updateCommand(tb), diff)
	}
}

func writeGolden(path string, got []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, got, 0o644)
}

// compareGolden is how got differs from the file at path, "" when it is
// the same bytes.
func compareGolden(path string, got []byte) (string, error) {
	want, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	// Compared as lines, so that the diff shows whole lines, with the
	// ones around them.
	return cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")), nil
}

// updateCommand is the go test command that rewrites tb's golden: the
// package, as a path from the module root, and tb's top-level test.
func updateCommand(tb testing.TB) string {
	pkg := "."
	if wd, err := os.Getwd(); err == nil {
		if root, ok := conformance.ModuleRoot(wd); ok {
			if rel, err := filepath.Rel(root, wd); err == nil && rel != "." {
				pkg = "./" + filepath.ToSlash(rel)
			}
		}
	}
	test, _, _ := strings.Cut(tb.Name(), "/")
	return fmt.Sprintf("go test %s -run '^%s$' -update", pkg, test)
}
