package notify_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/novugen/novugen/internal/scripttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestScript runs testdata/script/*.txtar as a team's own module would use
// notify: each script starts in an empty module, example.com/shop, which
// replaces github.com/novugen/novugen with this repository and adds
// requirements with go get. Offline, as cmd/apply's scripts are (make deps
// fills the module cache).
func TestScript(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command in a scratch module")
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	modCache := scripttest.GoEnv(t, "GOMODCACHE")
	if err := scripttest.TidyOffline(repo, modCache, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	goMod := fmt.Sprintf("module example.com/shop\n\ngo 1.26.0\n\nreplace github.com/novugen/novugen => %s\n", repo)
	scripttest.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			scripttest.Offline(e, modCache)
			e.Setenv("GOSUMDB", "off")
			return os.WriteFile(filepath.Join(e.WorkDir, "go.mod"), []byte(goMod), 0o644)
		},
	})
}
