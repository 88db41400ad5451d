package validate

import (
	"encoding/json"
	"testing"

	"github.com/novugen/novugen/registry"
)

func TestPayloadSchemaShapes(t *testing.T) {
	sms := func(schema, tmpl string) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.PayloadSchema = json.RawMessage(schema)
			d.Steps = []registry.Step{{StepID: "sms", Name: "SMS", Type: registry.TypeSMS, ControlValues: map[string]any{"body": tmpl}}}
		}
	}
	runRows(t, []row{
		{"allOf merges properties", sms(`{"allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {"type": "integer"}}}, true]}`,
			"{{ payload.a }}{{ payload.b }}{{ payload.b.x }}{{ payload.c }}"), []Finding{
			ctl("sms", "body", `{{payload.b.x}} reads "x" of payload.b, which is a number`),
			ctl("sms", "body", `{{payload.c}} names no field of the payload; its fields are a and b`),
		}},
		{"an open alternative accepts anything", sms(`{"properties": {"x": {"oneOf": [{"type": "string"}, {}]}}}`,
			"{{ payload.x.y.z }}"), nil},
		{"a $ref is refused, and not followed", sms(`{"properties": {"x": {"$ref": "#/definitions/X"}}}`, "{{ payload.x.y }}"), []Finding{
			wf(`payloadSchema has "$ref" at /properties/x/$ref; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
		}},
		{"nullable object", sms(`{"properties": {"x": {"type": ["object", "null"], "properties": {"y": {"type": "boolean"}}}}}`,
			"{{ payload.x.y }}{{ payload.x.z }}{{ payload.x.y.w }}"), []Finding{
			ctl("sms", "body", `{{payload.x.y.w}} reads "w" of payload.x.y, which is a boolean`),
			ctl("sms", "body", `{{payload.x.z}} names no field of payload.x; its only field is y`),
		}},
		{"map values and dynamic keys", sms(`{"properties": {"m": {"type": "object", "additionalProperties": {"properties": {"v": {"type": "string"}}}}, "k": {"type": "string"}, "l": {"type": "array", "items": {"properties": {"v": {"type": "string"}}}}}}`,
			"{{ payload.m.any.v }}{{ payload.m[payload.k].w }}{{ payload.l[payload.k].v }}{{ payload.l.last.w }}{{ payload.l.size }}{{ payload.k[0] }}"), []Finding{
			ctl("sms", "body", `{{payload.l.last.w}} names no field of payload.l.last; its only field is v`),
			ctl("sms", "body", `{{payload.m[payload.k].w}} (payload.m[*].w) names no field of payload.m[*]; its only field is v`),
		}},
	})
}
