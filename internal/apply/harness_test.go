package apply

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

// synth returns n valid definitions with templates that reference their
// payload schema, so that validation passes and every compared field is
// exercised: preferences, a delay with numbers, an email with a skip rule.
func synth(n int) []registry.Workflow {
	pref := &registry.PreferenceSet{All: registry.AllPreference{Enabled: true}, Channels: map[registry.Channel]registry.ChannelPreference{}}
	for _, c := range registry.Channels {
		pref.Channels[c] = registry.ChannelPreference{Enabled: true}
	}
	defs := make([]registry.Workflow, n)
	for i := range defs {
		defs[i] = registry.Workflow{
			WorkflowID: fmt.Sprintf("wf-%03d", i), Name: fmt.Sprintf("Workflow %d", i), Description: "synthetic",
			Tags: []string{"synthetic"}, Active: true, Severity: registry.SeverityLow, ValidatePayload: true,
			PayloadSchema: json.RawMessage(`{"type":"object","required":["orderId"],"properties":{"orderId":{"type":"string"},"tier":{"type":"string"}}}`),
			Preferences:   registry.Preferences{Workflow: pref},
			Steps: []registry.Step{
				{StepID: "notice", Name: "Notice", Type: registry.TypeInApp, ControlValues: map[string]any{"body": "Order {{payload.orderId}} is on its way"}},
				{StepID: "wait", Name: "Wait", Type: registry.TypeDelay, ControlValues: map[string]any{"type": "regular", "amount": 2, "unit": "hours"}},
				{StepID: "email", Name: "Email", Type: registry.TypeEmail, ControlValues: map[string]any{
					"subject": "Order {{payload.orderId}}", "body": "<p>Shipped</p>", "editorType": "html",
					"skip": map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}}},
			},
		}
	}
	return defs
}

// testOwner is the registry owner of the tests' engines; testTag starts
// the tags their workflows carry (and is a tag for compare's tests).
const testOwner = "example.com/tests/workflows"

var testTag = OwnerTag(testOwner)

// newServer is the emulator the engine's tests run against; every request
// the engine sends and every answer it reads is checked against Novu's
// OpenAPI document.
var newServer = testenv.Emulator

// testConfig is a config for srv with target keys, short backoff, and
// generous retries: faults are survived by the logic, not by luck.
func testConfig(srv *novutest.Server, targetKeys bool) Config {
	cfg := Config{
		BaseURL: srv.URL(), Key: novu.Secret(srv.Key("Development")), Owner: testOwner,
		MaxBackoff: 2 * time.Millisecond, MaxRetries: 20, RequestTimeout: 5 * time.Second,
	}
	if targetKeys {
		cfg.TargetKeys = map[string]novu.Secret{
			"Staging": novu.Secret(srv.Key("Staging")), "Production": novu.Secret(srv.Key("Production")),
		}
	}
	return cfg
}

func mustEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// apply plans and runs once.
func apply(t testing.TB, ctx context.Context, cfg Config, defs []registry.Workflow) *Report {
	t.Helper()
	e := mustEngine(t, cfg)
	p, err := e.Plan(ctx, defs)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	r, err := e.Run(ctx, p)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return r
}

// applied is the state most tests start from: an emulator with opts into
// which defs have been applied cleanly, synced to every target.
func applied(t *testing.T, opts novutest.Options, defs []registry.Workflow) *novutest.Server {
	t.Helper()
	srv := newServer(t, opts)
	if r := apply(t, context.Background(), testConfig(srv, true), defs); !r.OK() {
		t.Fatalf("first apply: %+v", r.Failures)
	}
	return srv
}

// refusedBeforeWrites checks that planning defs with cfg is refused with
// a UsageError whose text contains want, and that srv answered no write.
// A plan that is not refused is run, so that what it would write shows.
func refusedBeforeWrites(t *testing.T, srv *novutest.Server, cfg Config, defs []registry.Workflow, want string) {
	t.Helper()
	e := mustEngine(t, cfg)
	p, err := e.Plan(context.Background(), defs)
	if err == nil {
		_, _ = e.Run(context.Background(), p)
	}
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v; want a UsageError containing %q", err, want)
	}
	if w := srv.Counts().Writes(); w != 0 {
		t.Errorf("%d writes; want none", w)
	}
}

func plan(t testing.TB, cfg Config, defs []registry.Workflow) *Plan {
	t.Helper()
	p, err := mustEngine(t, cfg).Plan(context.Background(), defs)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

// assertConverged checks the end state the design promises after any
// interruption: in every environment exactly the registry's workflowIds
// (no suffixed duplicate), and an exact plan (target keys) with nothing to
// do.
func assertConverged(t *testing.T, srv *novutest.Server, defs []registry.Workflow) {
	t.Helper()
	var want []string
	for _, d := range defs {
		want = append(want, d.WorkflowID)
	}
	sort.Strings(want)
	for _, env := range []string{"Development", "Staging", "Production"} {
		var got []string
		for _, w := range srv.Workflows(env) {
			got = append(got, w.WorkflowID)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s holds %v, want %v", env, got, want)
		}
	}
	p := plan(t, testConfig(srv, true), defs)
	if p.Pending() {
		t.Errorf("plan after convergence still has work: %s", describe(p))
	}
}

func describe(p *Plan) string {
	var b strings.Builder
	for _, w := range p.Workflows {
		fmt.Fprintf(&b, "%s %s %v", w.WorkflowID, w.Action, w.Changes)
		for _, t := range w.Targets {
			fmt.Fprintf(&b, " [%s %s %s %v]", t.Environment, t.Action, t.Reason, t.Changes)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// cancelAfterWrites wraps the emulator handler and cancels the run after n
// successful writes have been answered, like a CI job killed mid-run.
func cancelAfterWrites(n int64, cancel func()) func(http.Handler) http.Handler {
	var writes atomic.Int64
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r)
			if r.Method != http.MethodGet && writes.Add(1) == n {
				cancel()
			}
		})
	}
}
