package validate

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

func TestValidDefinitionsHaveNoFindings(t *testing.T) {
	defs := []registry.Workflow{orderShipped(), commentDigest(), payout()}
	if got := Registry(defs); got != nil {
		t.Errorf("Registry(valid definitions) = %d findings, want none:\n%s", len(got), lines(got))
	}
}

// Registry must also accept a definition read back from registry.json,
// where every number is a float64 and every object a map[string]any.
func TestValidDefinitionsSurviveJSONRoundTrip(t *testing.T) {
	data, err := json.Marshal(registry.File{Workflows: []registry.Workflow{orderShipped(), commentDigest(), payout()}})
	if err != nil {
		t.Fatal(err)
	}
	var reg registry.File
	if err := json.Unmarshal(data, &reg); err != nil {
		t.Fatal(err)
	}
	if got := Registry(reg.Workflows); got != nil {
		t.Errorf("Registry(round-tripped definitions):\n%s", lines(got))
	}
}

func lines(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Error() + "\n")
	}
	return b.String()
}

// step returns the step of d with stepID, for rows that edit it.
func step(d *registry.Workflow, stepID string) *registry.Step {
	for i := range d.Steps {
		if d.Steps[i].StepID == stepID {
			return &d.Steps[i]
		}
	}
	panic("test bug: no step " + stepID)
}

// wf, st and ctl build expected findings of the order-shipped workflow.
func wf(msg string) Finding { return Finding{WorkflowID: "order-shipped", Message: msg} }

func st(stepID, msg string) Finding {
	return Finding{WorkflowID: "order-shipped", StepID: stepID, Message: msg}
}

func ctl(stepID, control, msg string) Finding {
	return Finding{WorkflowID: "order-shipped", StepID: stepID, Control: control, Message: msg}
}

type row struct {
	name string
	edit func(d *registry.Workflow)
	want []Finding
}

func runRows(t *testing.T, rows []row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			d := orderShipped()
			r.edit(&d)
			got := Definition(d)
			if diff := cmp.Diff(r.want, got); diff != "" {
				t.Errorf("Definition() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefinitionRejectsBadWorkflowFields(t *testing.T) {
	runRows(t, []row{
		{"workflowId with a space", func(d *registry.Workflow) { d.WorkflowID = "order shipped" }, []Finding{{
			WorkflowID: "order shipped",
			Message:    `invalid workflowId: id "order shipped" has " " at byte 5; ids are letters and digits, with single "-", "_" or "." between them`,
		}}},
		{"workflowId that is an ObjectId", func(d *registry.Workflow) { d.WorkflowID = "65f1c0ffee0ddba11dead000" }, []Finding{{
			WorkflowID: "65f1c0ffee0ddba11dead000",
			Message:    `invalid workflowId: id "65f1c0ffee0ddba11dead000" is 24 hexadecimal characters, which Novu reads as a database _id; change or add a character`,
		}}},
		{"empty name", func(d *registry.Workflow) { d.Name = " " }, []Finding{
			wf("name is empty; Novu requires a workflow name"),
		}},
		{"misspelt severity", func(d *registry.Workflow) { d.Severity = "hgh" }, []Finding{
			wf(`severity "hgh" is not one of none, low, medium or high; did you mean "high"?`),
		}},
		{"missing severity", func(d *registry.Workflow) { d.Severity = "" }, []Finding{
			wf(`severity "" is not one of none, low, medium or high`),
		}},
		{"no steps", func(d *registry.Workflow) { d.Steps = nil }, []Finding{
			wf("workflow has no steps; declare at least one"),
		}},
		{"21 steps", func(d *registry.Workflow) {
			d.Steps = nil
			for i := range 21 {
				d.Steps = append(d.Steps, registry.Step{StepID: fmt.Sprintf("s%d", i), Name: "S", Type: registry.TypeSMS})
			}
		}, []Finding{wf("workflow has 21 steps; Novu allows at most 20")}},
		{"unknown and missing channels", func(d *registry.Workflow) {
			d.Preferences.User.Channels["fax"] = registry.ChannelPreference{}
			d.Preferences.User.Channels["emial"] = registry.ChannelPreference{}
			delete(d.Preferences.User.Channels, registry.ChannelEmail)
			delete(d.Preferences.Workflow.Channels, registry.ChannelPush)
		}, []Finding{
			wf(`preferences.user.channels has unknown channel "emial"; channels are in_app, email, sms, chat and push; did you mean "email"?`),
			wf(`preferences.user.channels has unknown channel "fax"; channels are in_app, email, sms, chat and push`),
			wf(`preferences.user.channels lacks "email"; Novu requires all of in_app, email, sms, chat and push`),
			wf(`preferences.workflow.channels lacks "push"; Novu requires all of in_app, email, sms, chat and push`),
		}},
		{"payload schema that is not JSON", func(d *registry.Workflow) { d.PayloadSchema = json.RawMessage(`{"type":`) }, []Finding{
			wf("payloadSchema is not valid JSON: unexpected end of JSON input"),
		}},
		{"payload schema that is not an object", func(d *registry.Workflow) { d.PayloadSchema = json.RawMessage(`[]`) }, []Finding{
			wf("payloadSchema must be a JSON Schema object, not a list"),
		}},
		{"payload schema of a string", func(d *registry.Workflow) { d.PayloadSchema = json.RawMessage(`{"type": "string"}`) }, []Finding{
			wf(`payloadSchema must describe an object (type "object"), not type string`),
		}},
		{"payload schema with references", func(d *registry.Workflow) {
			var schema map[string]any
			if err := json.Unmarshal(d.PayloadSchema, &schema); err != nil {
				panic(err)
			}
			schema["$schema"] = "http://json-schema.org/draft-07/schema#"
			schema["$defs"] = map[string]any{"Order": map[string]any{"type": "object"}}
			props := schema["properties"].(map[string]any)
			props["definitions"] = map[string]any{"type": "string"} // a field name, not a keyword
			props["shipTo"] = map[string]any{"$ref": "#/$defs/Order"}
			d.PayloadSchema, _ = json.Marshal(schema)
		}, []Finding{
			wf(`payloadSchema has "$defs" at /$defs; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
			wf(`payloadSchema has "$ref" at /properties/shipTo/$ref; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
			wf(`payloadSchema has "$schema" at /$schema; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
		}},
	})
}

func TestDefinitionRejectsBadSteps(t *testing.T) {
	runRows(t, []row{
		{"stepId with _st_", func(d *registry.Workflow) {
			step(d, "wait").StepID = "wait_st_1"
		}, []Finding{
			st("wait_st_1", `invalid stepId: id "wait_st_1" contains "_st_", which Novu reads as a slug carrying an _id; avoid "_wf_", "_st_" and "_env_"`),
		}},
		{"empty stepId", func(d *registry.Workflow) { step(d, "wait").StepID = "" }, []Finding{
			wf(`steps[1] has no stepId; ids are letters and digits, with single "-", "_" or "." between them`),
		}},
		{"duplicate stepId", func(d *registry.Workflow) { step(d, "sms").StepID = "notice" }, []Finding{
			st("notice", `stepId "notice" is used by steps[0] and steps[3]; stepIds must be unique in a workflow`),
		}},
		{"empty step name", func(d *registry.Workflow) { step(d, "sms").Name = "" }, []Finding{
			st("sms", "step name is empty; Novu requires one"),
		}},
		{"misspelt step type", func(d *registry.Workflow) { step(d, "email").Type = "emial" }, []Finding{
			st("email", `unknown step type "emial"; did you mean "email"?`),
		}},
		{"unknown step type", func(d *registry.Workflow) { step(d, "sms").Type = "fax" }, []Finding{
			st("sms", `unknown step type "fax"; types are chat, custom, delay, digest, email, http_request, in_app, push, sms and throttle`),
		}},
	})
}

func TestRegistryReportsDuplicateWorkflowIDsInOrder(t *testing.T) {
	a, b, c := orderShipped(), commentDigest(), orderShipped()
	c.Name = "Order shipped again"
	step(&c, "sms").ControlValues["body"] = "{{ payload.nope }}"
	b.Name = ""
	got := Registry([]registry.Workflow{a, b, c})
	want := []Finding{
		{WorkflowID: "comment-digest", Message: "name is empty; Novu requires a workflow name"},
		{WorkflowID: "order-shipped", Message: `workflowId "order-shipped" is used by workflows[0] ("Order shipped") and workflows[2] ("Order shipped again"); workflowIds must be unique`},
		{WorkflowID: "order-shipped", StepID: "sms", Control: "body", Message: `{{payload.nope}} names no field of the payload; its fields are customer, giftNote, items, metadata, orderId, placedAt, tier and total`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Registry() (-want +got):\n%s", diff)
	}
}

func TestFindingsAreOrderedByStepThenControlAndDeduplicated(t *testing.T) {
	d := orderShipped()
	step(&d, "sms").ControlValues["body"] = "{{ payload.x }} {{ payload.x }}"
	step(&d, "notice").ControlValues["subject"] = "{{ b.x }}"
	step(&d, "notice").ControlValues["body"] = "{{ a.x }}"
	d.Name = ""
	var got []string
	for _, f := range Definition(d) {
		got = append(got, f.Error())
	}
	want := []string{
		`workflow "order-shipped": name is empty; Novu requires a workflow name`,
		`workflow "order-shipped", step "notice", control "body": {{a.x}} reads "a", which Novu does not provide; variables start with context, env, payload, steps, subscriber, t or workflow`,
		`workflow "order-shipped", step "notice", control "subject": {{b.x}} reads "b", which Novu does not provide; variables start with context, env, payload, steps, subscriber, t or workflow`,
		`workflow "order-shipped", step "sms", control "body": {{payload.x}} names no field of the payload; its fields are customer, giftNote, items, metadata, orderId, placedAt, tier and total`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Definition() (-want +got):\n%s", diff)
	}
}

func TestFindingError(t *testing.T) {
	f := Finding{WorkflowID: "order-shipped", StepID: "email", Control: "subject", Message: `{{payload.ordrId}} names no field of the payload; did you mean "orderId"?`}
	want := `workflow "order-shipped", step "email", control "subject": {{payload.ordrId}} names no field of the payload; did you mean "orderId"?`
	if got := f.Error(); got != want {
		t.Errorf("Error() = %s\nwant      %s", got, want)
	}
}

func BenchmarkRegistry(b *testing.B) {
	var defs []registry.Workflow
	for i := range 100 {
		for _, d := range []registry.Workflow{orderShipped(), commentDigest(), payout()} {
			d.WorkflowID = fmt.Sprintf("%s-%d", d.WorkflowID, i)
			defs = append(defs, d)
		}
	}
	for b.Loop() {
		if fs := Registry(defs); fs != nil {
			b.Fatal(lines(fs))
		}
	}
	b.ReportMetric(float64(len(defs)), "workflows/op")
}
