package notify_test

import (
	"testing"

	"github.com/novugen/novugen/internal/scripttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestScript runs testdata/script/*.txtar as a team's own module would use
// notify: each script starts in an empty module, example.com/shop, which
// replaces github.com/novugen/novugen with this repository and adds
// requirements with go get (scripttest.UserModule). Offline, as cmd/apply's
// scripts are (make deps fills the module cache).
func TestScript(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command in a scratch module")
	}
	scripttest.Run(t, testscript.Params{
		Dir:   "testdata/script",
		Setup: scripttest.UserModule(t, ".."),
	})
}
