package scripttest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// UserModule is the set-up (testscript.Params.Setup) of scripts that use
// novugen as a team's own module would: each starts in an empty module,
// example.com/shop, whose go.mod requires nothing yet and replaces
// github.com/novugen/novugen with the repository at repo (relative to the
// test's directory), so scripts add requirements with go get, exactly as
// README tells users. The scripts' go commands run offline (Offline) on
// the module cache of the go command running the tests, which is checked
// first (TidyOffline): t stops at once, saying what to run, when it lacks
// what go mod tidy needs.
func UserModule(t *testing.T, repo string) func(*testscript.Env) error {
	t.Helper()
	repo, err := filepath.Abs(repo)
	if err != nil {
		t.Fatal(err)
	}
	modCache := GoEnv(t, "GOMODCACHE")
	if err := TidyOffline(repo, modCache, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	goMod := fmt.Sprintf("module example.com/shop\n\ngo 1.26.0\n\nreplace github.com/novugen/novugen => %s\n", repo)
	return func(e *testscript.Env) error {
		Offline(e, modCache)
		// Offline, the checksum database cannot be asked; the modules in
		// the cache were checked against our go.sum when downloaded, and
		// go get writes the user's go.sum from them.
		e.Setenv("GOSUMDB", "off")
		return os.WriteFile(filepath.Join(e.WorkDir, "go.mod"), []byte(goMod), 0o644)
	}
}
