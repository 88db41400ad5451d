package apply

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

func sampleDef() registry.Workflow {
	all := &registry.PreferenceSet{All: registry.AllPreference{Enabled: true}, Channels: map[registry.Channel]registry.ChannelPreference{
		registry.ChannelInApp: {Enabled: true}, registry.ChannelEmail: {Enabled: true}, registry.ChannelSMS: {Enabled: false},
		registry.ChannelChat: {Enabled: false}, registry.ChannelPush: {Enabled: false}}}
	return withTag(registry.Workflow{
		WorkflowID: "order-shipped", Name: "Order shipped", Description: "d", Tags: []string{"orders"},
		Active: true, Severity: registry.SeverityMedium, ValidatePayload: true,
		PayloadSchema: json.RawMessage(`{"type":"object","properties":{"orderId":{"type":"string"}}}`),
		Preferences:   registry.Preferences{Workflow: all},
		Steps: []registry.Step{
			{StepID: "wait", Name: "Wait", Type: registry.TypeDelay, ControlValues: map[string]any{"type": "regular", "amount": 2, "unit": "hours"}},
			{StepID: "email", Name: "Email", Type: registry.TypeEmail, ControlValues: map[string]any{
				"subject": "Order {{payload.orderId}}", "body": "<p>hi</p>", "editorType": "html",
				"skip": map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}}},
		},
	}, testTag)
}

// remoteOf is what a faithful Novu answers for def: the same content plus
// server-computed fields and defaults the definition never set.
func remoteOf(t *testing.T, def registry.Workflow) *novu.Workflow {
	t.Helper()
	w := &novu.Workflow{
		ID: "6650c0ffee0000000000a001", WorkflowID: def.WorkflowID, Slug: "x_wf_1",
		WorkflowSettings: novu.WorkflowSettings{
			Name: def.Name, Description: def.Description, Tags: append([]string{testTag}, "orders"), Active: def.Active,
			Severity: def.Severity, ValidatePayload: def.ValidatePayload, PayloadSchema: def.PayloadSchema,
		},
		Preferences: novu.WorkflowPreferences{Default: def.Preferences.Workflow},
		Origin:      novu.OriginNovuCloud, Status: "ACTIVE", UpdatedAt: "2026-01-01T00:00:00.000Z",
	}
	for i, s := range def.Steps {
		cv, _ := normal(s.ControlValues).(map[string]any)
		if s.Type == registry.TypeEmail || s.Type == registry.TypeInApp {
			cv["disableOutputSanitization"] = false // a server default of these types (openapi.json)
		}
		w.Steps = append(w.Steps, novu.Step{ID: "6650c0ffee0000000000b00" + string(rune('1'+i)), StepID: s.StepID, Name: s.Name, Type: s.Type, ControlValues: cv})
	}
	return w
}

func TestCompareIgnoresServerFieldsDefaultsAndTagOrder(t *testing.T) {
	def := sampleDef()
	got := remoteOf(t, def)
	got.Steps[0].ControlValues["amount"] = 2.0 // numbers compare numerically
	if d := compare(def, got); len(d) != 0 {
		t.Fatalf("compare of equal workflows found changes: %v", d)
	}
}

func TestCompareNilSchemaMatchesNovuDefault(t *testing.T) {
	def := sampleDef()
	def.PayloadSchema = nil
	got := remoteOf(t, def)
	got.PayloadSchema = json.RawMessage(`{"type":"object","properties":{},"additionalProperties":true}`)
	if d := compare(def, got); len(d) != 0 {
		t.Fatalf("changes: %v", d)
	}
}

// TestComparePayloadSchemaNone: a definition without a schema matches what
// Novu stores for one written without: its open schema (a create) or null
// (an update). The open schema stands for "none" only there: a definition
// that sends it differs from null, and "none" differs from any other schema.
func TestComparePayloadSchemaNone(t *testing.T) {
	open := json.RawMessage(`{"type":"object","properties":{},"additionalProperties":true}`)
	real := json.RawMessage(`{"type":"object","properties":{"orderId":{"type":"string"}}}`)
	for _, tc := range []struct {
		name      string
		want, got json.RawMessage
		change    bool
	}{
		{"none, stored null", nil, json.RawMessage("null"), false},
		{"none, stored absent", nil, nil, false},
		{"none, stored the open schema", nil, open, false},
		{"none, stored a schema", nil, real, true},
		{"none, stored an empty object", nil, json.RawMessage(`{}`), true},
		{"the open schema, stored null", open, json.RawMessage("null"), true},
		{"a schema, stored the open schema", real, open, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := sampleDef()
			def.PayloadSchema = tc.want
			got := remoteOf(t, def)
			got.PayloadSchema = tc.got
			changes := compare(def, got)
			if tc.change != (len(changes) == 1 && changes[0].Path == "payloadSchema") || !tc.change && len(changes) > 0 {
				t.Errorf("changes %v, want a payloadSchema change: %v", changes, tc.change)
			}
		})
	}
}

func TestCompareReportsEachManagedField(t *testing.T) {
	def := sampleDef()
	tests := []struct {
		name string
		edit func(*novu.Workflow)
		want []Change
	}{
		{"name", func(w *novu.Workflow) { w.Name = "Old" }, []Change{{Path: "name", Old: "Old", New: "Order shipped"}}},
		{"tag lost", func(w *novu.Workflow) { w.Tags = []string{"orders"} },
			[]Change{{Path: "tags", Old: []any{"orders"}, New: []any{testTag, "orders"}}}},
		{"active", func(w *novu.Workflow) { w.Active = false }, []Change{{Path: "active", Old: false, New: true}}},
		{"schema", func(w *novu.Workflow) { w.PayloadSchema = json.RawMessage(`{"type":"object"}`) },
			[]Change{{Path: "payloadSchema", Old: map[string]any{"type": "object"}, New: normalize(def.PayloadSchema)}}},
		{"user preferences", func(w *novu.Workflow) { w.Preferences.User = def.Preferences.Workflow },
			[]Change{{Path: "preferences.user", Old: normalize(def.Preferences.Workflow), New: nil}}},
		{"control", func(w *novu.Workflow) { w.Steps[1].ControlValues["subject"] = "Order" },
			[]Change{{Path: "steps[email].controlValues.subject", Old: "Order", New: "Order {{payload.orderId}}"}}},
		{"control missing", func(w *novu.Workflow) { delete(w.Steps[0].ControlValues, "unit") },
			[]Change{{Path: "steps[wait].controlValues.unit", Old: nil, New: "hours"}}},
		{"skip operand", func(w *novu.Workflow) {
			w.Steps[1].ControlValues["skip"] = map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "free"}}
		}, []Change{{Path: "steps[email].controlValues.skip", Old: map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "free"}},
			New: map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}}}},
		{"step name", func(w *novu.Workflow) { w.Steps[0].Name = "Pause" }, []Change{{Path: "steps[wait].name", Old: "Pause", New: "Wait"}}},
		{"order", func(w *novu.Workflow) { w.Steps[0], w.Steps[1] = w.Steps[1], w.Steps[0] },
			[]Change{{Path: "steps", Old: []any{"email", "wait"}, New: []any{"wait", "email"}}}},
		{"step removed", func(w *novu.Workflow) { w.Steps = w.Steps[1:] },
			[]Change{{Path: "steps", Old: []any{"email"}, New: []any{"wait", "email"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := remoteOf(t, def)
			tt.edit(got)
			if diff := cmp.Diff(tt.want, compare(def, got)); diff != "" {
				t.Errorf("compare (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWithTagAddsTagOnceWithoutTouchingTheRegistry(t *testing.T) {
	def := registry.Workflow{Tags: []string{"a"}}
	got := withTag(withTag(def, testTag), testTag)
	if diff := cmp.Diff([]string{"a", testTag}, got.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if len(def.Tags) != 1 {
		t.Errorf("withTag changed the caller's tags: %v", def.Tags)
	}
}

func TestChangeStringShowsChangedLinesOfText(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Change
		want string
	}{
		{"short values on one line, HTML kept", Change{Path: "steps[email].controlValues.subject", Old: "<b>Hi</b>", New: "Hello"},
			`steps[email].controlValues.subject: "<b>Hi</b>" → "Hello"`},
		{"absent", Change{Path: "description", Old: nil, New: "x"}, `description: (none) → "x"`},
		{"a body: only the lines that differ", Change{Path: "steps[email].controlValues.body",
			Old: "<p>Hi</p>\n<p>Your order is on its way.</p>\n<p>Thanks</p>",
			New: "<p>Hi</p>\n<p>Your order has shipped.</p>\n<p>It arrives Monday.</p>\n<p>Thanks</p>"},
			"steps[email].controlValues.body:\n  - <p>Your order is on its way.</p>\n  + <p>Your order has shipped.</p>\n  + <p>It arrives Monday.</p>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.c.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A control the definition stopped setting is still stored in Novu, and the
// PUT (full controlValues) would remove it: a plan that calls the workflow
// unchanged would leave, say, an old skip rule in production for good.
func TestCompareSeesAControlTheDefinitionStoppedSetting(t *testing.T) {
	def := sampleDef()
	for _, tt := range []struct {
		name string
		edit func(got map[string]any)
		want []Change
	}{
		{"skip removed", func(cv map[string]any) {
			cv["skip"] = map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}
		}, nil}, // the baseline: def sets the same skip
		{"stale key", func(cv map[string]any) { cv["layoutId"] = "old-layout" },
			[]Change{{Path: "steps[email].controlValues.layoutId", Old: "old-layout", New: nil}}},
		{"stale nested key", func(cv map[string]any) {
			cv["skip"] = map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}, "!=": []any{1, 2}}
		}, []Change{{Path: "steps[email].controlValues.skip",
			Old: map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}, "!=": []any{1.0, 2.0}},
			New: map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}}}},
		{"a documented server default is not a change", func(cv map[string]any) { cv["disableOutputSanitization"] = false }, nil},
		{"a default value that differs is a change", func(cv map[string]any) { cv["disableOutputSanitization"] = true },
			[]Change{{Path: "steps[email].controlValues.disableOutputSanitization", Old: true, New: nil}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := remoteOf(t, def)
			tt.edit(got.Steps[1].ControlValues)
			if diff := cmp.Diff(tt.want, compare(def, got)); diff != "" {
				t.Errorf("compare (-want +got):\n%s", diff)
			}
		})
	}
}
