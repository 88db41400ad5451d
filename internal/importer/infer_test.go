package importer_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/importer"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

// TestInferredPayload: without a payload schema, the payload type comes
// from what the templates, skip conditions and keys read.
func TestInferredPayload(t *testing.T) {
	w := workflow("inferred", nil)
	w.ValidatePayload = false
	w.Steps = []novu.Step{
		{StepID: "a", Name: "A", Type: registry.TypeInApp, ControlValues: map[string]any{
			"subject": "{{ payload.user.name | upcase }} and {{ subscriber.firstName }}",
			"body":    "{% for line in payload.lines %}{{ line.sku }}: {{ line.price.amount }}{% endfor %} of {{ payload.lines.size }}",
			"skip":    map[string]any{"and": []any{map[string]any{"var": "payload.flag"}, map[string]any{"==": []any{map[string]any{"var": "steps.x.y"}, 1.0}}}},
		}},
		{StepID: "b", Name: "B", Type: registry.TypeThrottle, ControlValues: map[string]any{"type": "dynamic", "dynamicKey": "payload.window"}},
	}
	files, errs := importer.Import([]novu.Workflow{w}, "workflows", map[string]bool{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := "type InferredPayload struct {\n" +
		"\tLines  []InferredLine `json:\"lines,omitempty\"`\n" +
		"\tFlag   string         `json:\"flag,omitempty\"`\n" +
		"\tUser   InferredUser   `json:\"user,omitempty\"`\n" +
		"\tWindow string         `json:\"window,omitempty\"`\n" +
		"}\n" +
		"type InferredLine struct {\n" +
		"\tSKU   string            `json:\"sku,omitempty\"`\n" +
		"\tPrice InferredLinePrice `json:\"price,omitempty\"`\n" +
		"}\n" +
		"type InferredLinePrice struct {\n" +
		"\tAmount string `json:\"amount,omitempty\"`\n" +
		"}\n" +
		"type InferredUser struct {\n" +
		"\tName string `json:\"name,omitempty\"`\n" +
		"}"
	if got := typeDecls(string(files[0].Source)); got != want {
		t.Errorf("types (-want +got):\n%s", cmp.Diff(want, got))
	}
	if len(files[0].Notes) != 1 || !strings.Contains(files[0].Notes[0], "InferredPayload is inferred from the templates") ||
		strings.Contains(files[0].Notes[0], "validatePayload is on") {
		t.Errorf("notes %q", files[0].Notes)
	}
}

// TestInferenceRefusesWhatItCannotType: a computed key, or a path read
// both as a list and as an object, is an error naming workflow, step and
// control.
func TestInferenceRefusesWhatItCannotType(t *testing.T) {
	for body, want := range map[string]string{
		"{{ payload.prices[currency] }}":                                           `workflow "w", step "s", control "body": payload.prices[currency] reads a payload key computed`,
		"{% for x in payload.items %}{{ x }}{% endfor %}{{ payload.items.count }}": `workflow "w", payload field items: the templates read it both as a list and as an object (count)`,
	} {
		w := workflow("w", nil)
		w.Steps[0].ControlValues = map[string]any{"body": body}
		_, errs := importer.Import([]novu.Workflow{w}, "workflows", map[string]bool{})
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), want) {
			t.Errorf("%s: errors %v, want one starting %q", body, errs, want)
		}
	}
}

// TestInferredPayloadSendsNoSchema: a workflow Novu holds without a schema
// (none, or the open one Novu stores on create) is declared with
// dsl.NoSchema, so that apply keeps it without one; a workflow with a
// schema is not. The validatePayload note of the schema it used to send is
// gone with it.
func TestInferredPayloadSendsNoSchema(t *testing.T) {
	noSchema := regexp.MustCompile(`\n\tPayloadSchema: +dsl\.NoSchema,\n`)
	for _, tc := range []struct {
		name   string
		schema string
		want   bool
	}{
		{"absent", "", true},
		{"null", "null", true},
		{"novu's open default", `{"type":"object","properties":{},"additionalProperties":true}`, true},
		{"a schema", `{"type":"object","properties":{"a":{"type":"string"}}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := workflow("w", json.RawMessage(tc.schema))
			w.ValidatePayload = true
			w.Steps[0].ControlValues = map[string]any{"body": "{{ payload.a }}"}
			files, errs := importer.Import([]novu.Workflow{w}, "workflows", map[string]bool{})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			src := string(files[0].Source)
			if got := noSchema.MatchString(src); got != tc.want {
				t.Errorf("PayloadSchema: dsl.NoSchema in the settings: %v, want %v; source:\n%s", got, tc.want, src)
			}
			for _, n := range files[0].Notes {
				if strings.Contains(n, "validatePayload") {
					t.Errorf("note %q", n)
				}
			}
			if tc.want && (len(files[0].Notes) != 1 || !strings.Contains(files[0].Notes[0], "declared with dsl.NoSchema, so apply sends none")) {
				t.Errorf("notes %q", files[0].Notes)
			}
		})
	}
}
