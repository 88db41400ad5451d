package validate

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

// deepSchema is the order's payload schema with one more property, "deep",
// holding a property nested n objects deep:
// {"type":"object","properties":{"a":{"type":"object","properties":{"a":…{"type":"string"}}}}}.
func deepSchema(n int) json.RawMessage {
	deep := strings.Repeat(`{"type":"object","properties":{"a":`, n) + `{"type":"string"}` + strings.Repeat(`}}`, n)
	return json.RawMessage(strings.Replace(orderSchema, `"properties": {`, `"properties": {"deep": `+deep+`,`, 1))
}

// deepValue is a control value of n nested objects: {"a":{"a":…"x"}}.
func deepValue(n int) any {
	var v any = "{{ payload.orderId }}"
	for range n {
		v = map[string]any{"a": v}
	}
	return v
}

func TestDefinitionBoundsNesting(t *testing.T) {
	runRows(t, []row{
		// Under properties.deep, 30 nested properties put the innermost
		// schema at level 63.
		{"payload schema at the bound", func(d *registry.Workflow) { d.PayloadSchema = deepSchema(30) }, nil},
		{"payload schema past the bound", func(d *registry.Workflow) { d.PayloadSchema = deepSchema(31) },
			[]Finding{wf("payloadSchema is nested more than 64 levels deep, at /properties/deep" + strings.Repeat("/properties/a", 31) +
				"; Novu keeps it in a MongoDB document, which may nest at most 100 levels, and no payload needs this many: flatten the payload type")}},
		// The input: 3,000 levels (114 KB) cost 200 MB before.
		{"payload schema 3,000 deep", func(d *registry.Workflow) { d.PayloadSchema = deepSchema(3000) },
			[]Finding{wf("payloadSchema is nested more than 64 levels deep, at /properties/deep" + strings.Repeat("/properties/a", 31) +
				"; Novu keeps it in a MongoDB document, which may nest at most 100 levels, and no payload needs this many: flatten the payload type")}},
		{"control value at the bound", func(d *registry.Workflow) { step(d, "notice").ControlValues["data"] = deepValue(64) }, nil},
		// Past the bound the control is left out of every other check: its
		// template ({{ payload.nope }}) is not reported.
		{"control value past the bound", func(d *registry.Workflow) {
			v := deepValue(3000)
			step(d, "notice").ControlValues["data"] = map[string]any{"x": "{{ payload.nope }}", "a": v}
		}, []Finding{ctl("notice", "data", "nested more than 64 levels deep, at data"+strings.Repeat(".a", 64)+
			"; Novu keeps control values in a MongoDB document, which may nest at most 100 levels")}},
		{"array nesting counts too", func(d *registry.Workflow) {
			var v any = "x"
			for range 65 {
				v = []any{v}
			}
			step(d, "notice").ControlValues["data"] = v
		}, []Finding{ctl("notice", "data", "nested more than 64 levels deep, at data"+strings.Repeat("[0]", 64)+
			"; Novu keeps control values in a MongoDB document, which may nest at most 100 levels")}},
		{"long keys are cut in the path", func(d *registry.Workflow) {
			long := strings.Repeat("k", 100)
			var v any = "x"
			for range 65 {
				v = map[string]any{long: v}
			}
			step(d, "notice").ControlValues["data"] = v
		}, []Finding{ctl("notice", "data", "nested more than 64 levels deep, at data"+strings.Repeat("."+strings.Repeat("k", 32)+"…", 64)+
			"; Novu keeps control values in a MongoDB document, which may nest at most 100 levels")}},
	})
}

// TestReferencingKeysAreFoundDeepDown: the linear walk still names a
// keyword at its full path.
func TestReferencingKeysAreFoundDeepDown(t *testing.T) {
	schema := strings.Repeat(`{"type":"object","properties":{"a~b/c":`, 20) + `{"$ref":"#/x"}` + strings.Repeat(`}}`, 20)
	var v any
	if err := json.Unmarshal([]byte(schema), &v); err != nil {
		t.Fatal(err)
	}
	want := []string{`"$ref" at ` + strings.Repeat("/properties/a~0b~1c", 20) + "/$ref"}
	if diff := cmp.Diff(want, referencingKeys(v)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// BenchmarkDeepPayloadSchema checks a payload schema nested n properties
// deep (the 3,000 levels among them): memory must grow linearly
// with n (before: 200 MB at 3,000, 500 MB at 4,990).
func BenchmarkDeepPayloadSchema(b *testing.B) {
	for _, n := range []int{30, 1000, 2000, 3000, 4990} {
		b.Run(fmt.Sprintf("levels=%d", n), func(b *testing.B) {
			d := orderShipped()
			d.PayloadSchema = deepSchema(n)
			b.ReportAllocs()
			b.ReportMetric(float64(len(d.PayloadSchema)), "schema-bytes")
			for b.Loop() {
				Definition(d)
			}
		})
	}
}

func TestDefinitionRejectsInvalidUTF8(t *testing.T) {
	const tail = "; encoding/json would send U+FFFD in its place"
	runRows(t, []row{
		{"name", func(d *registry.Workflow) { d.Name = "Order\xff\xfe shipped" },
			[]Finding{wf(`name "Order\xff\xfe shipped" has the invalid UTF-8 byte 0xff at byte 5` + tail)}},
		{"description", func(d *registry.Workflow) { d.Description = "caf\xc3" },
			[]Finding{wf(`description "caf\xc3" has the invalid UTF-8 byte 0xc3 at byte 3` + tail)}},
		{"tag", func(d *registry.Workflow) { d.Tags = []string{"ok", "\xffx"} },
			[]Finding{wf(`tags[1] "\xffx" has the invalid UTF-8 byte 0xff at byte 0` + tail)}},
		{"step name", func(d *registry.Workflow) { step(d, "wait").Name = "W\xe2\x82" },
			[]Finding{st("wait", `step name "W\xe2\x82" has the invalid UTF-8 byte 0xe2 at byte 1`+tail)}},
		{"control value", func(d *registry.Workflow) { step(d, "sms").ControlValues["body"] = "Hi \xff{{ payload.orderId }}" },
			[]Finding{ctl("sms", "body", `"Hi \xff{{ payload.orderId }}" has the invalid UTF-8 byte 0xff at byte 3`+tail)}},
		{"nested control value", func(d *registry.Workflow) {
			step(d, "notice").ControlValues["data"] = map[string]any{"list": []any{"ok", "b\xfe"}}
		}, []Finding{ctl("notice", "data.list[1]", `"b\xfe" has the invalid UTF-8 byte 0xfe at byte 1`+tail)}},
		{"control key", func(d *registry.Workflow) {
			step(d, "notice").ControlValues["data"] = map[string]any{"k\xff": "v"}
		}, []Finding{ctl("notice", "data.k\xff", `the key "k\xff" has the invalid UTF-8 byte 0xff at byte 1`+tail)}},
		{"long value is cut around the byte", func(d *registry.Workflow) {
			step(d, "sms").ControlValues["body"] = strings.Repeat("a", 100) + "\xff" + strings.Repeat("b", 100)
		}, []Finding{ctl("sms", "body", `…"`+strings.Repeat("a", 30)+`\xff`+strings.Repeat("b", 29)+`"… has the invalid UTF-8 byte 0xff at byte 100`+tail)}},
		{"payload schema", func(d *registry.Workflow) {
			d.PayloadSchema = json.RawMessage(strings.Replace(orderSchema, `"minLength": 1`, "\"description\": \"\xff\"", 1))
		}, []Finding{wf(`payloadSchema has the invalid UTF-8 byte 0xff at byte 70` + tail)}},
	})
}

// BenchmarkDeepControlValue checks a control value nested n objects deep:
// refused at level 65, its cost must grow linearly with n (the UTF-8 and
// template walks, which write paths as they go, see only what is bounded).
func BenchmarkDeepControlValue(b *testing.B) {
	for _, n := range []int{1000, 3000, 9000} {
		b.Run(fmt.Sprintf("levels=%d", n), func(b *testing.B) {
			d := orderShipped()
			step(&d, "notice").ControlValues["data"] = deepValue(n)
			b.ReportAllocs()
			for b.Loop() {
				Definition(d)
			}
		})
	}
}
