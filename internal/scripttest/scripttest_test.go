package scripttest

import (
	"path/filepath"
	"strings"
	"testing"
)

// A module cache that lacks what go mod tidy needs is reported before any
// script runs, naming what is missing and what to run, instead of a script
// failing half-way with "module lookup disabled by GOPROXY=off".
func TestTidyOfflineSaysWhatToRun(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	err = TidyOffline(repo, empty, t.TempDir())
	if err == nil {
		t.Fatal("go mod tidy offline with an empty module cache succeeded")
	}
	for _, want := range []string{"the module cache " + empty + " lacks modules", "run make deps", "github.com/"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	// The cache of the go command running the tests holds them (make deps
	// ran first), and the check leaves the repository alone.
	if err := TidyOffline(repo, GoEnv(t, "GOMODCACHE"), t.TempDir()); err != nil {
		t.Errorf("with the test's own module cache: %v", err)
	}
}
