package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

// loadPayload is the trigger payload every load workflow declares; its
// schema is loadSchema.
type loadPayload struct {
	OrderID  string `json:"orderId"`
	Amount   int    `json:"amount"`
	Tier     string `json:"tier"`
	Customer struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"customer"`
	Timestamp string `json:"timestamp"`
}

const loadSchema = `{"type":"object","required":["orderId","customer"],"properties":{` +
	`"orderId":{"type":"string"},"amount":{"type":"integer"},"tier":{"type":"string"},` +
	`"customer":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"email":{"type":"string"}}},` +
	`"timestamp":{"type":"string"}}}`

// loadSteps are the step kinds a load workflow draws from after its
// opening in_app step: every step type the DSL offers, with templates that
// reference the payload schema and skip rules, so the definitions pass
// internal/validate and exercise every compared control shape (strings,
// numbers, nested objects, arrays, JSONLogic).
var loadSteps = []func(i int) dsl.Step{
	func(i int) dsl.Step {
		return dsl.Email("email", "Email", dsl.EmailControls{
			Subject: fmt.Sprintf("Order {{payload.orderId}} (%d)", i),
			Body:    "<p>Hello {{payload.customer.name}}, your order of {{payload.amount}} is confirmed.</p>",
			Skip:    dsl.Eq(dsl.Var("payload.tier"), "free"),
		})
	},
	func(i int) dsl.Step {
		return dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 1 + i%5, Unit: dsl.Hours})
	},
	func(i int) dsl.Step {
		return dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "Order {{payload.orderId}}: {{payload.amount}} due",
			Skip: dsl.And(dsl.Eq(dsl.Var("payload.tier"), "pro"), dsl.Gt(dsl.Var("payload.amount"), 100))})
	},
	func(i int) dsl.Step {
		return dsl.Digest("batch", "Batch", dsl.DigestControls{Amount: 10 + i%3, Unit: dsl.Minutes,
			LookBackWindow: dsl.Window{Amount: 5, Unit: dsl.Minutes}, DigestKey: "payload.orderId"})
	},
	func(i int) dsl.Step {
		return dsl.Push("push", "Push", dsl.PushControls{Subject: "Order update", Body: "{{payload.customer.name}}, order {{payload.orderId}} moved"})
	},
	func(i int) dsl.Step {
		return dsl.Chat("chat", "Chat", dsl.ChatControls{Body: "New order {{payload.orderId}} from {{payload.customer.email}}"})
	},
	func(i int) dsl.Step {
		return dsl.Throttle("throttle", "Throttle", dsl.ThrottleControls{Amount: 1, Unit: dsl.Hours, Threshold: 2 + i%4})
	},
	func(i int) dsl.Step {
		return dsl.Custom("enrich", "Enrich", dsl.CustomControls{Custom: map[string]any{"source": "crm", "weight": float64(i % 7), "labels": []any{"a", "b"}}})
	},
	func(i int) dsl.Step {
		return dsl.HTTPRequest("notify-erp", "Notify ERP", dsl.HTTPRequestControls{
			Method: dsl.MethodPost, URL: "https://erp.example.com/orders/{{payload.orderId}}",
			Headers: []dsl.Header{{Key: "X-Tier", Value: "{{payload.tier}}"}},
			Body:    `{"order":"{{payload.orderId}}"}`, ContinueOnFailure: true,
		})
	},
}

// loadDefs returns n distinct, valid definitions of 3 to 6 steps each,
// built with the DSL as a user would, in several shapes: severities,
// inactive workflows, user preferences, channels turned off.
func loadDefs(tb testing.TB, n int) []registry.Workflow {
	tb.Helper()
	severities := []registry.Severity{registry.SeverityNone, registry.SeverityLow, registry.SeverityMedium, registry.SeverityHigh}
	defs := make([]registry.Workflow, n)
	for i := range defs {
		steps := []dsl.Step{dsl.InApp("notice", "Notice", dsl.InAppControls{
			Subject: "Order {{payload.orderId}}",
			Body:    fmt.Sprintf("Hi {{payload.customer.name}}, update %d on your order.", i),
			PrimaryAction: dsl.Action{Label: "Open", Redirect: dsl.Redirect{
				URL: "https://shop.example.com/orders/{{payload.orderId}}", Target: dsl.TargetBlank}},
		})}
		// 2 to 5 further steps, a rotating window over loadSteps so that
		// neighbours differ in kinds and order.
		for k := range 2 + i%4 {
			steps = append(steps, loadSteps[(i+k*2)%len(loadSteps)](i))
		}
		settings := dsl.Settings{
			Name:            fmt.Sprintf("Load workflow %d", i),
			Description:     fmt.Sprintf("Synthetic workflow %d for the sustained-load test.", i),
			Tags:            []string{"load", fmt.Sprintf("shard-%d", i%8)},
			Active:          dsl.Active,
			Severity:        severities[i%len(severities)],
			ValidatePayload: i%3 != 0,
			Preferences:     dsl.Preferences{Workflow: dsl.ChannelPreferences{SMS: dsl.Off}},
		}
		if i%5 == 0 {
			settings.Active = dsl.Inactive
		}
		if i%4 == 0 {
			settings.Preferences.User = &dsl.ChannelPreferences{ReadOnly: true, Chat: dsl.Off}
		}
		w := dsl.Define[loadPayload](fmt.Sprintf("load-%04d", i), settings, steps...)
		if p := w.Problems(); len(p) > 0 {
			tb.Fatalf("load workflow %d: %v", i, p)
		}
		defs[i] = w.Definition()
		defs[i].PayloadSchema = json.RawMessage(loadSchema)
	}
	return defs
}

var loadEnvs = []string{"Development", "Staging", "Production"}

// checkExact checks, with the emulator's own view and independently of the
// engine's comparison, that every environment holds exactly defs: the same
// workflowIds (so no suffixed duplicate and nothing missing) and, on every
// managed field, the definition plus the ownership tag.
func checkExact(tb testing.TB, srv *novutest.Server, defs []registry.Workflow) {
	tb.Helper()
	want := map[string]registry.Workflow{}
	for _, d := range defs {
		want[d.WorkflowID] = d
	}
	for _, env := range loadEnvs {
		got := srv.Workflows(env)
		if len(got) != len(defs) {
			tb.Errorf("%s holds %d workflows, want %d", env, len(got), len(defs))
		}
		bad := 0
		for _, w := range got {
			d, ok := want[w.WorkflowID]
			if !ok {
				tb.Errorf("%s holds %q (_id %s), which is not in the registry (a suffixed duplicate?)", env, w.WorkflowID, w.ID)
				continue
			}
			if diffs := managedDiff(d, w); len(diffs) > 0 {
				if bad++; bad <= 5 {
					tb.Errorf("%s %s differs from the definition:\n  %s", env, w.WorkflowID, strings.Join(diffs, "\n  "))
				}
			}
		}
		if bad > 5 {
			tb.Errorf("%s: %d workflows differ in all", env, bad)
		}
	}
}

// managedDiff lists the managed fields (docs/novu-api.md §6) on which w differs from
// d. It is written from the field list, not from the engine's compare, so
// that a mistake there cannot hide one here.
func managedDiff(d registry.Workflow, w novutest.Workflow) []string {
	var out []string
	eq := func(field string, want, got any) {
		if !jsonEqual(want, got) {
			out = append(out, fmt.Sprintf("%s: got %s, want %s", field, jsonText(got), jsonText(want)))
		}
	}
	eq("name", d.Name, w.Name)
	eq("description", d.Description, w.Description)
	wantTags := append(slices.Clone(d.Tags), WorkflowTag(testOwner, d.WorkflowID))
	sort.Strings(wantTags)
	gotTags := slices.Clone(w.Tags)
	sort.Strings(gotTags)
	eq("tags", wantTags, gotTags)
	eq("active", d.Active, w.Active)
	eq("severity", string(d.Severity), w.Severity)
	eq("validatePayload", d.ValidatePayload, w.ValidatePayload)
	eq("isTranslationEnabled", d.IsTranslationEnabled, w.IsTranslationEnabled)
	eq("payloadSchema", d.PayloadSchema, w.PayloadSchema)
	eq("preferences.default", d.Preferences.Workflow, w.Preferences.Default)
	eq("preferences.user", d.Preferences.User, w.Preferences.User)
	if len(d.Steps) != len(w.Steps) {
		return append(out, fmt.Sprintf("steps: got %d, want %d", len(w.Steps), len(d.Steps)))
	}
	for i, s := range d.Steps {
		g := w.Steps[i]
		p := fmt.Sprintf("steps[%d]", i)
		eq(p+".stepId", s.StepID, g.StepID)
		eq(p+".name", s.Name, g.Name)
		eq(p+".type", string(s.Type), g.Type)
		for k, v := range s.ControlValues {
			if !subset(normal(v), normal(g.ControlValues[k])) {
				out = append(out, fmt.Sprintf("%s.controlValues.%s: got %s, want %s", p, k, jsonText(g.ControlValues[k]), jsonText(v)))
			}
		}
	}
	return out
}

// subset reports whether got holds want: objects on the keys want sets
// (Novu may fill defaults beside them), arrays element by element, other
// values equal after JSON normalisation (so 2 and 2.0 are equal).
func subset(want, got any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !subset(v, g[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !subset(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}

// normal is v after a JSON round trip: maps of any, float64 numbers.
func normal(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("normal: %v", err))
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		panic(fmt.Sprintf("normal: %v", err))
	}
	return out
}

func jsonEqual(a, b any) bool { return reflect.DeepEqual(normal(a), normal(b)) }

func jsonText(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

// roundStats is what one apply (plan and run, a fresh engine, as a re-run
// of cmd/apply) cost, from the engine's Novu clients.
type roundStats struct {
	requests, retries int64
}

// applyRound plans and runs defs once with a fresh engine.
func applyRound(tb testing.TB, cfg Config, defs []registry.Workflow) (*Report, roundStats) {
	tb.Helper()
	e := mustEngine(tb, cfg)
	var r *Report
	p, err := e.Plan(context.Background(), defs)
	if err != nil {
		// Planning needs every list to succeed; under faults a list can
		// exhaust its retries, which a CI re-run repeats like any failure.
		r = &Report{Failures: []Failure{{WorkflowID: "(plan)", Operation: "read", Message: err.Error()}}}
	} else if r, err = e.Run(context.Background(), p); err != nil {
		tb.Fatalf("run: %v", err)
	}
	var s roundStats
	for _, c := range e.clients {
		st := c.Stats()
		s.requests += st.Requests
		s.retries += st.Retries
	}
	return r, s
}

// convergeRounds re-runs apply until a run succeeds, at most maxRounds
// times, as a CI job retried on exit 1 would. Every failure a round
// reports must name its workflow and say what happened.
func convergeRounds(tb testing.TB, cfg Config, defs []registry.Workflow, maxRounds int) (rounds int, total roundStats) {
	tb.Helper()
	for rounds = 1; ; rounds++ {
		if rounds > maxRounds {
			tb.Fatalf("no successful run in %d rounds", maxRounds)
		}
		r, s := applyRound(tb, cfg, defs)
		total.requests += s.requests
		total.retries += s.retries
		for _, f := range r.Failures {
			if f.WorkflowID == "" || f.Message == "" {
				tb.Errorf("round %d: failure without workflowId or message: %+v", rounds, f)
			}
		}
		if r.OK() {
			return rounds, total
		}
		tb.Logf("round %d: %d failures (first: %s %s in %s: %s)", rounds, len(r.Failures),
			r.Failures[0].Operation, r.Failures[0].WorkflowID, r.Failures[0].Environment, r.Failures[0].Message)
	}
}

// recordTB collects Errorf calls instead of failing, to test the checks.
type recordTB struct {
	testing.TB
	errs []string
}

func (r *recordTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recordTB) Helper() {}
