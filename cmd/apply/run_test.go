package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/conformance"
	"github.com/novugen/novugen/novutest"
)

// A key nobody would print by accident, so finding it anywhere is a leak.
const (
	devKey  = "sk_test_DEVKEY_do_not_print_7f3a9c"
	prodKey = "sk_test_PRODKEY_do_not_print_1b2c3d"
)

type result struct {
	code           int
	stdout, stderr string
	summary        string
}

func newServer(t *testing.T, opts novutest.Options) *novutest.Server {
	t.Helper()
	opts.Keys = map[string]string{"Development": devKey, "Production": prodKey}
	opts.Wrap = conformance.New(t).Wrap
	srv := novutest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv
}

func runCmd(t *testing.T, env []string, args ...string) result {
	t.Helper()
	summary := filepath.Join(t.TempDir(), "summary.md")
	env = append(env, "GITHUB_STEP_SUMMARY="+summary)
	var out, errb bytes.Buffer
	code := run(context.Background(), args, env, &out, &errb)
	s, _ := os.ReadFile(summary)
	return result{code: code, stdout: out.String(), stderr: errb.String(), summary: string(s)}
}

func envFor(srv *novutest.Server, extra ...string) []string {
	return append([]string{"NOVU_API_URL=" + srv.URL(), "NOVU_SECRET_KEY=" + devKey}, extra...)
}

func TestUsageErrors(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	for _, tt := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"missing key", nil, nil, "set NOVU_SECRET_KEY"},
		{"missing key names -emulator", nil, nil, "-emulator"},
		{"malformed url", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=ht!tp://"}, nil, "NOVU_API_URL is not an absolute http(s) URL (the value is not shown, in case it is a secret); want a base URL such as https://api.novu.co"},
		{"url without scheme", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=api.novu.co"}, nil, "want a base URL such as https://api.novu.co"},
		{"url with credentials", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=https://u:p@api.novu.co"}, nil, "NOVU_API_URL for https://api.novu.co has credentials, a query or a fragment"},
		{"plain http off loopback", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=http://api.novu.co"}, nil, "clear text"},
		{"concurrency 0", envFor(srv), []string{"-concurrency", "0"}, "accepted values are 1 to 64"},
		{"only unknown", envFor(srv), []string{"-only", "nope"}, `"nope" not in the registry; workflowIds in the registry: order-shipped, payout-initiated, weekly-digest`},
		{"target twice", envFor(srv), []string{"-to", "Staging,staging"}, "given twice"},
		{"target is source", envFor(srv), []string{"-to", "Development"}, "is the source environment"},
		{"target unknown", envFor(srv), []string{"-to", "QA"}, "Development, Staging, Production"},
		{"prune with only", envFor(srv), []string{"-prune", "-only", "order-shipped"}, "-prune cannot be combined with -only"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.env, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tt.want)
			}
			r = runCmd(t, tt.env, append(tt.args, "-plan", "-detailed-exitcode")...)
			if r.code != 1 {
				t.Errorf("under -detailed-exitcode: exit %d; want 1", r.code)
			}
		})
	}
	if w := srv.Counts().Writes(); w != 0 {
		t.Errorf("usage errors wrote %d times", w)
	}
}

func TestApplyPlanDriftAndRepair(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	env := envFor(srv, "NOVU_SECRET_KEY_PRODUCTION="+prodKey)

	r := runCmd(t, env, "-plan", "-detailed-exitcode")
	if r.code != 2 || srv.Counts().Writes() != 0 {
		t.Fatalf("cold plan: exit %d, %d writes; want 2 and none\n%s", r.code, srv.Counts().Writes(), r.stderr)
	}
	r = runCmd(t, env)
	if r.code != 0 || !strings.Contains(r.stdout, "Summary: 3 created, 0 updated, 0 unchanged, 6 synced, 0 pruned, 0 failed") {
		t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.summary, "| `order-shipped` | created | synced | synced |") {
		t.Errorf("step summary lacks the table row:\n%s", r.summary)
	}
	// Staging has no key of its own here: it cannot be read, so it is
	// synced every time, and the plan says so.
	r = runCmd(t, env, "-plan", "-detailed-exitcode", "-to", "Production")
	if r.code != 0 {
		t.Fatalf("plan after apply: exit %d\n%s", r.code, r.stdout)
	}
	if err := srv.EditWorkflow("Production", "order-shipped", func(w *novutest.Workflow) { w.Description = "hand edit" }); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, env, "-plan", "-detailed-exitcode", "-to", "Production")
	if r.code != 2 || !strings.Contains(r.stdout, `description: "hand edit" →`) {
		t.Fatalf("drift plan: exit %d\n%s", r.code, r.stdout)
	}
	if r = runCmd(t, env, "-to", "Production"); r.code != 0 {
		t.Fatalf("repair: exit %d\n%s", r.code, r.stderr)
	}
	if r = runCmd(t, env, "-plan", "-detailed-exitcode", "-to", "Production"); r.code != 0 {
		t.Errorf("after repair: exit %d\n%s", r.code, r.stdout)
	}
}

func TestJSONReportSchema(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	r := runCmd(t, envFor(srv), "-json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep apply.Report
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("-json output is not a Report: %v\n%s", err, r.stdout)
	}
	if rep.SchemaVersion != "novugen.apply/v1" || rep.Summary.Created != 3 || len(rep.Workflows) != 3 || rep.Plan == nil {
		t.Errorf("report %+v", rep)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(r.stdout), &raw)
	for _, k := range []string{"schemaVersion", "plan", "workflows", "pruned", "failures", "summary", "interrupted", "requests"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
}

func TestRegistryFromFileAndInvalidRegistrySendsNothing(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	reg, err := gen.Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(r dsl.Registry) string {
		data, err := r.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "registry.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	noOwner := dsl.Registry{Workflows: reg.Workflows[:1]}
	if r := runCmd(t, envFor(srv), "-registry", write(noOwner)); r.code != 1 || !strings.Contains(r.stderr, `no "owner"`) {
		t.Errorf("registry without an owner: exit %d, stderr %q; want 1 asking to regenerate", r.code, r.stderr)
	}
	one := dsl.Registry{Owner: reg.Owner, Workflows: reg.Workflows[:1]}
	if r := runCmd(t, envFor(srv), "-registry", write(one)); r.code != 0 || !strings.Contains(r.stdout, "1 created") {
		t.Fatalf("-registry: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	srv.ResetCounts()
	bad := dsl.Registry{Owner: reg.Owner, Workflows: append([]dsl.Definition(nil), reg.Workflows...)}
	bad.Workflows[0].WorkflowID = "Bad Id!"
	r := runCmd(t, envFor(srv), "-registry", write(bad))
	if r.code != 1 || !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("invalid registry: exit %d, stderr %q", r.code, r.stderr)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("invalid registry sent %d requests; want 0", n)
	}
}

func TestEmulatorFlag(t *testing.T) {
	r := runCmd(t, nil, "-emulator")
	if r.code != 0 || !strings.Contains(r.stderr, "started the built-in Novu emulator") || !strings.Contains(r.stdout, "3 created") {
		t.Errorf("-emulator: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestFailuresExitOneAndNameWorkflowStatusAndMessage(t *testing.T) {
	// A step limit of 1 makes Novu refuse every create with a 400, which
	// is not retried: the run fails fast, per workflow.
	srv := newServer(t, novutest.Options{MaxSteps: 1})
	r := runCmd(t, envFor(srv), "-concurrency", "2")
	if r.code != 1 {
		t.Errorf("exit %d; want 1", r.code)
	}
	for _, want := range []string{"FAILED weekly-digest: create in Development (HTTP 400): ", "Workflow steps limit exceeded", "3 failed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.summary, "Failures:") {
		t.Errorf("step summary lacks the failures:\n%s", r.summary)
	}
}

// TestKeyAppearsNowhere runs every command path with recognisable keys and
// looks for them in everything the command wrote.
func TestKeyAppearsNowhere(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	env := envFor(srv, "NOVU_SECRET_KEY_PRODUCTION="+prodKey)
	var all []result
	all = append(all, runCmd(t, env, "-plan"))
	all = append(all, runCmd(t, env, "-plan", "-json"))
	all = append(all, runCmd(t, env))
	all = append(all, runCmd(t, env, "-json"))
	all = append(all, runCmd(t, env, "-to", "Nowhere"))
	limited := newServer(t, novutest.Options{MaxSteps: 1})
	all = append(all, runCmd(t, envFor(limited), "-only", "order-shipped"))
	wrong := []string{"NOVU_API_URL=" + srv.URL(), "NOVU_SECRET_KEY=" + devKey + "x"}
	all = append(all, runCmd(t, wrong))
	// The key pasted into NOVU_API_URL, whole or inside a URL.
	for _, u := range []string{devKey, "https://" + devKey + "@api.novu.co", "https://api.novu.co/?key=" + devKey, "https://api.novu.co/#" + devKey} {
		r := runCmd(t, []string{"NOVU_API_URL=" + u, "NOVU_SECRET_KEY=" + devKey})
		if r.code != 2 {
			t.Errorf("NOVU_API_URL with the key in it: exit %d; want 2", r.code)
		}
		all = append(all, r)
	}
	if all[5].code != 1 || all[6].code != 1 {
		t.Errorf("failure paths exited %d and %d; want 1", all[5].code, all[6].code)
	}
	// Retries, pruning and a drift check, on an emulator with faults.
	faulty := newServer(t, novutest.Options{Seed: 3, Faults: novutest.Faults{P503: 0.2, CutAfterWrite: 0.05}})
	fenv := envFor(faulty, "NOVU_SECRET_KEY_PRODUCTION="+prodKey)
	all = append(all, runCmd(t, fenv), runCmd(t, fenv, "-prune"), runCmd(t, fenv, "-plan", "-detailed-exitcode"))
	// A server that echoes every request header into its error bodies:
	// the key must be redacted from what Novu says, too.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg, _ := json.Marshal(fmt.Sprint(r.Header))
		fmt.Fprintf(w, `{"statusCode":400,"timestamp":"2026-11-27T00:00:00.000Z","path":%q,"message":%s}`, r.URL.Path, msg)
	}))
	t.Cleanup(echo.Close)
	eenv := []string{"NOVU_API_URL=" + echo.URL, "NOVU_SECRET_KEY=" + devKey}
	all = append(all, runCmd(t, eenv), runCmd(t, eenv, "-json"))
	for i, r := range all {
		for _, k := range []string{devKey, prodKey} {
			if strings.Contains(r.stdout+r.stderr+r.summary, k) {
				t.Errorf("run %d printed a secret key:\nstdout %s\nstderr %s\nsummary %s", i, r.stdout, r.stderr, r.summary)
			}
		}
	}
}

func TestStepSummaryListsOrphansAndDeletes(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	env := envFor(srv, "NOVU_SECRET_KEY_PRODUCTION="+prodKey)
	all, _ := registryOf(t, 3)
	if r := runCmd(t, env, "-registry", all); r.code != 0 {
		t.Fatalf("first apply exited %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	reg, err := gen.Registry()
	if err != nil {
		t.Fatal(err)
	}
	reg.Workflows = slices.DeleteFunc(reg.Workflows, func(d dsl.Definition) bool { return d.WorkflowID == gen.WeeklyDigest })
	data, err := reg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	fewer := filepath.Join(t.TempDir(), "registry.json")
	if err := os.WriteFile(fewer, data, 0o644); err != nil {
		t.Fatal(err)
	}

	r := runCmd(t, env, "-registry", fewer, "-plan")
	if want := "| `weekly-digest` | orphan (left the registry; -prune deletes it) |"; !strings.Contains(r.summary, want) {
		t.Errorf("plan summary lacks %q:\n%s", want, r.summary)
	}
	r = runCmd(t, env, "-registry", fewer, "-prune")
	if want := "| `weekly-digest` | pruned |"; r.code != 0 || !strings.Contains(r.summary, want) {
		t.Errorf("exit %d; report summary lacks %q:\n%s", r.code, want, r.summary)
	}
}

// -version needs nothing else: no key, no registry, no network.
func TestVersionNeedsNothingElse(t *testing.T) {
	r := runCmd(t, []string{"NOVU_API_URL=http://127.0.0.1:1"}, "-version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "apply: ") || strings.Count(r.stdout, "\n") != 1 || r.stderr != "" || r.summary != "" {
		t.Errorf("-version: exit %d, stdout %q, stderr %q, summary %q; want 0 and one line", r.code, r.stdout, r.stderr, r.summary)
	}
}
