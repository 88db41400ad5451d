package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
	"github.com/rogpeppe/go-internal/txtar"
)

// The harness of the tests that run the command in-process (run, as main
// calls it) against an emulator of their own (cmdHarness): recognisable
// keys, a run with its exit code and outputs, registry files, and the
// goldens outputs are compared with. The built binary's harness is
// process_test.go; the scripts' is script_test.go.

// A key nobody would print by accident, so finding it anywhere is a leak.
const (
	devKey  = "sk_test_DEVKEY_do_not_print_7f3a9c"
	prodKey = "sk_test_PRODKEY_do_not_print_1b2c3d"
)

// result is what one run of the command left: its exit code, its stdout and
// stderr, and the step summary it appended (GITHUB_STEP_SUMMARY).
type result struct {
	code           int
	stdout, stderr string
	summary        string
}

// withProduction gives a run the Production key as well, for
// newCmdHarness: the run then reads and writes Production, not only syncs
// to it.
const withProduction = "NOVU_SECRET_KEY_PRODUCTION=" + prodKey

// cmdHarness is what most tests of the command hold: an emulator of their
// own, the environment every run gets, and the golden the runs' outputs
// are recorded in, so that a test says only what it runs and checks.
type cmdHarness struct {
	t   *testing.T
	srv *novutest.Server
	// env is every run's whole environment: the emulator's URL, the
	// Development key and newCmdHarness's extra. A test that runs with
	// other keys changes it.
	env []string
	// g is the test's golden; a test that records nothing has none.
	g *golden
}

// newCmdHarness starts an emulator with the default options whose
// Development and Production keys are devKey and prodKey (see
// testenv.Emulator) and points every run at it with the Development key and
// the variables in extra.
func newCmdHarness(t *testing.T, extra ...string) *cmdHarness {
	t.Helper()
	return newCmdHarnessWith(t, novutest.Options{}, extra...)
}

// newCmdHarnessWith is newCmdHarness on an emulator with opts (its Keys
// are set here).
func newCmdHarnessWith(t *testing.T, opts novutest.Options, extra ...string) *cmdHarness {
	t.Helper()
	opts.Keys = map[string]string{"Development": devKey, "Production": prodKey}
	srv := testenv.Emulator(t, opts)
	env := append([]string{"NOVU_API_URL=" + srv.URL(), "NOVU_SECRET_KEY=" + devKey}, extra...)
	// The golden is made here (the first time), before the test makes any
	// directory of its own: the goldens name registry files by their t.TempDir ($TMP/003).
	return &cmdHarness{t: t, srv: srv, env: env, g: goldenFor(t)}
}

// run runs the command in-process with h.env (runCmd).
func (h *cmdHarness) run(args ...string) result {
	h.t.Helper()
	return runCmd(h.t, h.env, args...)
}

// record runs the command as run does and records the run's outputs in the
// test's golden under name.
func (h *cmdHarness) record(name string, args ...string) result {
	h.t.Helper()
	r := h.run(args...)
	h.g.result(name, r)
	return r
}

// requireNoDrift stops the test unless the drift check of Development and
// Production (-plan -detailed-exitcode -to Production) finds nothing to
// do; when says at which point of the test it ran.
func (h *cmdHarness) requireNoDrift(when string) {
	h.t.Helper()
	if r := h.run("-plan", "-detailed-exitcode", "-to", "Production"); r.code != 0 {
		h.t.Fatalf("drift check %s: exit %d; want 0\n%s%s", when, r.code, r.stdout, r.stderr)
	}
}

// runCmd runs the command in-process with env as its whole environment,
// and a step summary file of its own.
func runCmd(t *testing.T, env []string, args ...string) result {
	t.Helper()
	summary := filepath.Join(t.TempDir(), "summary.md")
	// Clipped: the caller's env (a harness's, shared by its runs) is not
	// written.
	env = append(slices.Clip(env), "GITHUB_STEP_SUMMARY="+summary)
	var out, errb bytes.Buffer
	code := run(context.Background(), args, env, &out, &errb)
	s, _ := os.ReadFile(summary)
	return result{code: code, stdout: out.String(), stderr: errb.String(), summary: string(s)}
}

// registryOf writes a registry of n real-shaped workflows: the repository's
// own (gen), then renamed copies of them.
func registryOf(tb testing.TB, n int) (path string, defs []dsl.Definition) {
	tb.Helper()
	reg := genRegistry(tb)
	defs = append(defs, reg.Workflows...)
	for i := 0; len(defs) < n; i++ {
		d := reg.Workflows[i%len(reg.Workflows)]
		d.WorkflowID = fmt.Sprintf("%s-copy%d", d.WorkflowID, i)
		d.Name = fmt.Sprintf("%s (copy %d)", d.Name, i)
		defs = append(defs, d)
	}
	defs = defs[:n]
	slices.SortFunc(defs, func(a, b dsl.Definition) int { return strings.Compare(a.WorkflowID, b.WorkflowID) })
	return writeRegistry(tb, dsl.Registry{Owner: reg.Owner, Workflows: defs}), defs
}

// errText is err's message, "" for no error.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// genRegistry is the repository's own registry, as package gen holds it.
func genRegistry(tb testing.TB) dsl.Registry {
	tb.Helper()
	reg, err := gen.Registry()
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

// writeRegistry writes reg as a -registry file in a directory of its own.
func writeRegistry(tb testing.TB, reg dsl.Registry) string {
	tb.Helper()
	data, err := reg.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "registry.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// golden holds a test's outputs, each under a name, and compares them when
// the test ends with testdata/output/<test name>.txtar, an archive of one
// file per non-empty output; -update rewrites it. What changes from run to
// run is replaced first: what hide names, and every Novu _id (24 hex
// digits, from the emulator) by $OBJECT_ID. A test that records nothing,
// and has no such file, has no golden.
type golden struct {
	t     *testing.T
	path  string
	hides []string // old, new pairs, for strings.NewReplacer
	files []txtar.File
}

// objectID is a Novu _id: a MongoDB ObjectId in hex.
var objectID = regexp.MustCompile(`\b[0-9a-f]{24}\b`)

// goldens holds each running test's golden (*testing.T → *golden), so a
// test that starts several harnesses records into one archive.
var goldens sync.Map

// goldenFor returns t's golden, made on the first call and checked when t
// ends.
func goldenFor(t *testing.T) *golden {
	if g, ok := goldens.Load(t); ok {
		return g.(*golden)
	}
	g := &golden{t: t, path: filepath.Join("testdata", "output", t.Name()+".txtar")}
	// Every directory from t.TempDir is under one directory of the test.
	g.hide(filepath.Dir(t.TempDir()), "$TMP")
	goldens.Store(t, g)
	t.Cleanup(func() {
		goldens.Delete(t)
		g.check()
	})
	return g
}

// hide replaces s by name in every output added after: the emulator's URL,
// with its port, or a temporary directory. An empty s hides nothing.
func (g *golden) hide(s, name string) {
	if s != "" {
		g.hides = append(g.hides, s, name)
	}
}

// add records one output; an empty one is left out of the archive.
func (g *golden) add(name, output string) {
	if output == "" {
		return
	}
	output = strings.NewReplacer(g.hides...).Replace(output)
	output = objectID.ReplaceAllString(output, "$$OBJECT_ID")
	g.files = append(g.files, txtar.File{Name: name, Data: []byte(output)})
}

// result records a run's stdout, stderr and step summary under name.
func (g *golden) result(name string, r result) {
	g.add(name+".stdout", r.stdout)
	g.add(name+".stderr", r.stderr)
	g.add(name+".summary.md", r.summary)
}

func (g *golden) check() {
	if len(g.files) == 0 {
		if _, err := os.Stat(g.path); errors.Is(err, fs.ErrNotExist) {
			return // the test recorded nothing and has no golden
		}
	}
	testenv.Golden(g.t, g.path, txtar.Format(&txtar.Archive{Files: g.files}))
}
