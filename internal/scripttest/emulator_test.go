package scripttest

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// recordingT runs scripts as testscript.Run does, but keeps what is
// reported with Errorf, which is how the conformance check fails a test, so
// that the test can require the violation instead of failing with it.
type recordingT struct {
	*testing.T
	mu   *sync.Mutex
	errs *[]string
}

func (r recordingT) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.errs = append(*r.errs, fmt.Sprintf(format, args...))
}

func (r recordingT) Run(name string, f func(testscript.T)) {
	r.T.Run(name, func(t *testing.T) { f(recordingT{t, r.mu, r.errs}) })
}

func (r recordingT) Verbose() bool { return testing.Verbose() }

// The emulator command starts an emulator the script's commands share,
// named by the variables the commands read, and its traffic is checked
// against Novu's OpenAPI document like every other emulator test's: the
// body the document refuses is reported to the script's test, and nothing
// else is.
func TestEmulatorChecksTraffic(t *testing.T) {
	var errs []string
	t.Run("scripts", func(t *testing.T) {
		testscript.RunT(recordingT{t, &sync.Mutex{}, &errs}, testscript.Params{
			Dir:   "testdata/emulator",
			Setup: emulatorSetup(nil),
			Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
				"emulator":   Emulator,
				"exists-var": cmdExistsVar,
				"post":       cmdPost,
			},
		})
	})
	if len(errs) != 1 || !strings.Contains(errs[0], "conformance: request POST /v2/workflows") {
		t.Errorf("reported %d errors, want the one violation of POST /v2/workflows:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// cmdExistsVar requires that each variable is set (! that none is):
// exists-var NOVU_API_URL.
func cmdExistsVar(ts *testscript.TestScript, neg bool, args []string) {
	for _, k := range args {
		if set := ts.Getenv(k) != ""; set == neg {
			ts.Fatalf("%s=%q", k, ts.Getenv(k))
		}
	}
}

// cmdPost posts a file to the emulator's /v2/workflows with the
// Development key and prints the status code: post body.json.
func cmdPost(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: post file")
	}
	req, err := http.NewRequest(http.MethodPost, ts.Getenv("NOVU_API_URL")+"/v2/workflows", bytes.NewReader([]byte(ts.ReadFile(args[0]))))
	ts.Check(err)
	req.Header.Set("Authorization", "ApiKey "+ts.Getenv("NOVU_SECRET_KEY"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	resp.Body.Close()
	fmt.Fprintln(ts.Stdout(), resp.StatusCode)
}
