package entry

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/payloadschema"
)

type orderPayload struct {
	OrderID string `json:"orderId"`
}

type brokenPayload struct {
	Items []struct {
		Done chan bool `json:"done"`
	} `json:"items"`
	Code string
}

var (
	order = dsl.Define[orderPayload]("order", dsl.Settings{Name: "Order", Active: dsl.Active, StrictPayload: true},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "{{ payload.orderId }}"}))
	broken = dsl.Define[brokenPayload]("broken", dsl.Settings{Name: "Broken"},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "{{ payload.code }}"}))
)

// TestOfFillsThePayloadSchema: the entry is the definition with the
// schema payloadschema builds, strict as declared.
func TestOfFillsThePayloadSchema(t *testing.T) {
	r := Of(order)
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	s, err := payloadschema.Generate(order.PayloadType(), payloadschema.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	want := order.Definition()
	want.PayloadSchema = s.JSON
	if diff := cmp.Diff(want, r.Definition); diff != "" {
		t.Errorf("definition (-want +got):\n%s", diff)
	}
	if r.PayloadType != "entry.orderPayload" || len(r.Positions.Steps) != 1 {
		t.Errorf("payload type %q, %d step positions", r.PayloadType, len(r.Positions.Steps))
	}
}

// TestOfWithoutSchema: a declaration with dsl.NoSchema has no schema in
// its entry; the schema of its payload type comes beside it, for checking
// the templates, and survives the trip from the probe.
func TestOfWithoutSchema(t *testing.T) {
	d := dsl.Define[orderPayload]("order", dsl.Settings{Name: "Order", Active: dsl.Active, PayloadSchema: dsl.NoSchema},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "{{ payload.orderId }}"}))
	r := Of(d)
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if r.Definition.PayloadSchema != nil {
		t.Errorf("entry payload schema %s, want none", r.Definition.PayloadSchema)
	}
	s, err := payloadschema.Generate(d.PayloadType(), payloadschema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(r.TypeSchema) != string(s.JSON) {
		t.Errorf("TypeSchema %s, want %s", r.TypeSchema, s.JSON)
	}
	if Of(order).TypeSchema != nil {
		t.Error("a declaration that sends its schema has a TypeSchema too")
	}
	data, err := Marshal([]Report{r})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Definition.PayloadSchema != nil || !json.Valid(got[0].TypeSchema) || string(compact(t, got[0].TypeSchema)) != string(compact(t, s.JSON)) {
		t.Errorf("after Marshal and Unmarshal: schema %s, TypeSchema %s", got[0].Definition.PayloadSchema, got[0].TypeSchema)
	}
}

func compact(t *testing.T, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestOfReportsWhatStopsGeneration: every schema fault with the steps to
// its field, and one line for a reader without the source.
func TestOfReportsWhatStopsGeneration(t *testing.T) {
	r := Of(broken)
	if r.Definition.PayloadSchema != nil {
		t.Errorf("payload schema %s, want none", r.Definition.PayloadSchema)
	}
	var steps [][]string
	for _, e := range r.SchemaErrors {
		steps = append(steps, e.Steps)
	}
	if diff := cmp.Diff([][]string{{"Items", "[]", "Done"}, {"Code"}}, steps); diff != "" {
		t.Errorf("schema error steps (-want +got):\n%s", diff)
	}
	err := r.Err()
	if err == nil {
		t.Fatal("Err() = nil")
	}
	for _, want := range []string{
		"Settings.Active is not set",
		"payload type entry.brokenPayload cannot become a JSON schema: brokenPayload.Items[].Done: chan bool cannot be encoded as JSON",
		"; brokenPayload.Code: has no json tag",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Err() = %q, want it to contain %q", err, want)
		}
	}
}

// TestMarshalKeepsEveryByte: what the probe sends arrives as declared,
// invalid UTF-8 included, and nil and empty lists stay apart. (The schema
// arrives compacted; the generator indents it.)
func TestMarshalKeepsEveryByte(t *testing.T) {
	const bad = "caf\xe9"
	build := func() Report {
		r := Of(order)
		r.Definition.PayloadSchema = nil
		r.Definition.WorkflowID = bad
		r.Definition.Tags = []string{}
		r.Definition.Steps[0].Name = bad
		r.Definition.Steps[0].ControlValues = map[string]any{
			"body": bad,
			bad:    []any{bad, 2.5, true, map[string]any{bad: nil}},
		}
		r.Problems = []dsl.Problem{{Step: bad, Message: "m"}}
		r.Examples = []dsl.DeclaredExample{{Name: bad, Payload: []byte(`{"orderId":"A-1"}`), Arg: 2}}
		return r
	}
	r := build()
	data, err := Marshal([]Report{r})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(build(), r); diff != "" {
		t.Errorf("Marshal changed its argument (-before +after):\n%s", diff)
	}
	got, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Report{build()}, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if got[0].Definition.Tags == nil {
		t.Error("empty tags came back nil")
	}
}

func TestUnmarshalRefusesWhatMarshalDidNotWrite(t *testing.T) {
	for _, data := range []string{
		`[{"definition": {}, "extra": 1}]`,
		`[{"definition": {"workflowId": "unquoted"}}]`,
	} {
		if _, err := Unmarshal([]byte(data)); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", data)
		}
	}
}
