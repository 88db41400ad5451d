package registry_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

// sameJSON compares raw JSON by meaning, so that a re-indented payload
// schema equals the one the generator gave.
var sameJSON = cmp.Comparer(func(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if len(a) == 0 {
		a = json.RawMessage("null")
	}
	if len(b) == 0 {
		b = json.RawMessage("null")
	}
	return json.Compact(&x, a) == nil && json.Compact(&y, b) == nil && x.String() == y.String()
})

// channels is a preference set's channels: every channel on but those off.
func channels(off ...registry.Channel) map[registry.Channel]registry.ChannelPreference {
	m := map[registry.Channel]registry.ChannelPreference{}
	for _, c := range registry.Channels {
		m[c] = registry.ChannelPreference{Enabled: !slices.Contains(off, c)}
	}
	return m
}

// defaults are the preferences a declaration that sets none gets: every
// channel on, nothing read-only, no user preferences.
func defaults() registry.Preferences {
	return registry.Preferences{Workflow: &registry.PreferenceSet{
		All:      registry.AllPreference{Enabled: true},
		Channels: channels(),
	}}
}

// fixture is a registry as the generator builds it, out of order: a
// payout workflow without steps, and an order workflow whose steps carry
// HTML, a JSONLogic skip, a nested header list and user preferences. Its
// control values are in the wire form dsl gives them (float64 numbers).
func fixture() registry.File {
	order := registry.Workflow{
		WorkflowID: "order-shipped", Name: "Order shipped", Tags: []string{"orders"}, Active: true,
		Severity:      registry.SeverityMedium,
		PayloadSchema: json.RawMessage(`{"type":"object","properties":{"orderId":{"type":"string"}},"required":["orderId"]}`),
		Preferences:   defaults(),
		Steps: []registry.Step{
			{StepID: "notice", Name: "Notice", Type: registry.TypeInApp, ControlValues: map[string]any{
				"body": "Order {{payload.orderId}} <b>&</b> more",
			}},
			{StepID: "wait", Name: "Wait", Type: registry.TypeDelay, ControlValues: map[string]any{
				"amount": 2.0, "type": "regular", "unit": "hours",
			}},
			{StepID: "mail", Name: "Mail", Type: registry.TypeEmail, ControlValues: map[string]any{
				"body": "<p>{{payload.orderId}}</p>", "editorType": "html", "layoutId": nil, "subject": "Shipped",
				"skip": map[string]any{">": []any{map[string]any{"var": "payload.amount"}, 4.5}},
			}},
			{StepID: "hook", Name: "Hook", Type: registry.TypeHTTPRequest, ControlValues: map[string]any{
				"headers": []any{map[string]any{"key": "A", "value": "b"}}, "method": "POST", "url": "https://example.com",
			}},
		},
	}
	order.Preferences.User = &registry.PreferenceSet{
		All:      registry.AllPreference{Enabled: true},
		Channels: channels(registry.ChannelSMS),
	}
	payout := registry.Workflow{
		WorkflowID: "payout-initiated", Name: "Payout", Tags: []string{}, Severity: registry.SeverityNone,
		Preferences: defaults(), Steps: []registry.Step{},
	}
	return registry.File{Workflows: []registry.Workflow{payout, order}}
}

func mustMarshal(t testing.TB, f registry.File) []byte {
	t.Helper()
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// roundTrip marshals f, parses what it wrote and checks that marshalling
// that gives the same bytes; it returns the bytes and the parsed file.
func roundTrip(t *testing.T, f registry.File) ([]byte, registry.File) {
	t.Helper()
	data := mustMarshal(t, f)
	got, err := registry.Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal()): %v\n%s", err, data)
	}
	if again := mustMarshal(t, got); !bytes.Equal(data, again) {
		t.Errorf("Marshal is not stable across a round trip:\n%s\n---\n%s", data, again)
	}
	return data, got
}

func TestFileRoundTrip(t *testing.T) {
	reg := fixture()
	_, got := roundTrip(t, reg)
	want := registry.File{
		Notice:    registry.Notice,
		Workflows: []registry.Workflow{reg.Workflows[1], reg.Workflows[0]}, // sorted by id
	}
	if diff := cmp.Diff(want, got, sameJSON); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestMarshalIsDeterministic(t *testing.T) {
	reg := fixture()
	a := mustMarshal(t, reg)
	reg.Workflows[0], reg.Workflows[1] = reg.Workflows[1], reg.Workflows[0]
	b := mustMarshal(t, reg)
	if !bytes.Equal(a, b) {
		t.Errorf("output depends on workflow order:\n%s\n---\n%s", a, b)
	}
	if reg.Workflows[0].WorkflowID != "order-shipped" {
		t.Error("Marshal reordered the caller's slice")
	}
}

func TestMarshalFormat(t *testing.T) {
	d := registry.Workflow{
		WorkflowID: "a", Name: "A", Tags: []string{}, Active: true, Severity: registry.SeverityNone,
		Preferences: defaults(),
		Steps: []registry.Step{{StepID: "m", Name: "M", Type: registry.TypeEmail, ControlValues: map[string]any{
			"editorType": "html", "subject": "<b>&</b>",
			"skip": map[string]any{"<": []any{map[string]any{"var": "payload.n"}, 3.0}},
		}}},
	}
	d.PayloadSchema = json.RawMessage(`{"type":"object","properties":{}}`)
	data := mustMarshal(t, registry.File{Workflows: []registry.Workflow{d}})
	want := `{
  "//": "Code generated by novugen. DO NOT EDIT.",
  "workflows": [
    {
      "workflowId": "a",
      "name": "A",
      "description": "",
      "tags": [],
      "active": true,
      "severity": "none",
      "validatePayload": false,
      "isTranslationEnabled": false,
      "payloadSchema": {
        "type": "object",
        "properties": {}
      },
      "preferences": {
        "workflow": {
          "all": {
            "enabled": true,
            "readOnly": false
          },
          "channels": {
            "chat": {
              "enabled": true
            },
            "email": {
              "enabled": true
            },
            "in_app": {
              "enabled": true
            },
            "push": {
              "enabled": true
            },
            "sms": {
              "enabled": true
            }
          }
        },
        "user": null
      },
      "steps": [
        {
          "stepId": "m",
          "name": "M",
          "type": "email",
          "controlValues": {
            "editorType": "html",
            "skip": {
              "<": [
                {
                  "var": "payload.n"
                },
                3
              ]
            },
            "subject": "<b>&</b>"
          }
        }
      ]
    }
  ]
}
`
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
}

func TestMarshalEmpty(t *testing.T) {
	data := mustMarshal(t, registry.File{})
	want := "{\n  \"//\": \"Code generated by novugen. DO NOT EDIT.\",\n  \"workflows\": []\n}\n"
	if string(data) != want {
		t.Errorf("got %q, want %q", data, want)
	}
}

func TestMarshalNamesTheBadWorkflow(t *testing.T) {
	good := registry.Workflow{WorkflowID: "good", Active: true, Preferences: defaults()}
	bad := registry.Workflow{WorkflowID: "bad", Active: true, Preferences: defaults()}
	bad.PayloadSchema = json.RawMessage(`{"type":`)
	_, err := registry.File{Workflows: []registry.Workflow{good, bad}}.Marshal()
	if err == nil || !strings.HasPrefix(err.Error(), `registry: workflow "bad": `) {
		t.Errorf("error = %v, want one naming workflow \"bad\"", err)
	}
}

func TestParseIsStrict(t *testing.T) {
	valid := mustMarshal(t, fixture())
	edit := func(old, new string) string {
		t.Helper()
		s := string(valid)
		if !strings.Contains(s, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	tests := []struct {
		name, data, wantErr string
	}{
		{"unknown top-level field", edit(`"workflows":`, `"workflow": [], "workflows":`),
			`registry: json: unknown field "workflow"`},
		{"unknown workflow field", edit(`"validatePayload": false,`, `"validatePayload": false, "validatePaylod": true,`),
			`registry: workflows[0] ("order-shipped"): json: unknown field "validatePaylod"`},
		{"unknown step field", edit(`"stepId": "wait",`, `"stepId": "wait", "controls": {},`),
			`registry: workflows[0] ("order-shipped"): json: unknown field "controls"`},
		{"unknown preference field", edit(`"readOnly": false`, `"readOnly": false, "locked": true`),
			`registry: workflows[0] ("order-shipped"): json: unknown field "locked"`},
		{"wrong type", edit(`"active": false`, `"active": "no"`),
			`registry: workflows[1] ("payout-initiated"): json: cannot unmarshal string into Go struct field Workflow.active of type bool`},
		{"trailing object", string(valid) + "{}", `registry: unexpected data after the JSON value at byte `},
		{"trailing garbage", string(valid) + "x", `registry: unexpected data after the JSON value at byte `},
		{"empty", "", `registry: no JSON value`},
		{"not an object", `[]`, `registry: json: cannot unmarshal array into Go value of type struct`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := registry.Parse([]byte(tt.data))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q", tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want prefix %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseAcceptsTrailingWhitespace(t *testing.T) {
	valid := mustMarshal(t, fixture())
	if _, err := registry.Parse(append(valid, "\n\t \n"...)); err != nil {
		t.Errorf("trailing whitespace rejected: %v", err)
	}
}

func TestOwnerRoundTrips(t *testing.T) {
	data, got := roundTrip(t, registry.File{Owner: "example.com/shop/workflows"})
	if !strings.Contains(string(data), `"owner": "example.com/shop/workflows",`) {
		t.Errorf("owner missing from %s", data)
	}
	if got.Owner != "example.com/shop/workflows" {
		t.Errorf("Parse: owner %q", got.Owner)
	}
}

func TestEnvironmentVariablesRoundTrip(t *testing.T) {
	data, got := roundTrip(t, registry.File{EnvironmentVariables: []string{"SUPPORT_EMAIL", "BASE_URL", "SUPPORT_EMAIL"}})
	want := "\"environmentVariables\": [\n    \"BASE_URL\",\n    \"SUPPORT_EMAIL\"\n  ],"
	if !strings.Contains(string(data), want) {
		t.Errorf("Marshal: want sorted, once each:\n%s\nin\n%s", want, data)
	}
	if !slices.Equal(got.EnvironmentVariables, []string{"BASE_URL", "SUPPORT_EMAIL"}) {
		t.Errorf("Parse: %q", got.EnvironmentVariables)
	}
	// None declared: the key is left out, so registries without any stay
	// byte for byte what they were.
	if data := mustMarshal(t, registry.File{}); strings.Contains(string(data), "environmentVariables") {
		t.Errorf("Marshal of none: %s", data)
	}
	if _, err := registry.Parse([]byte(`{"environmentVariables": "BASE_URL", "workflows": []}`)); err == nil ||
		!strings.Contains(err.Error(), "environmentVariables") {
		t.Errorf("a string for the list: err %v", err)
	}
}

func BenchmarkRoundTrip(b *testing.B) {
	reg := fixture()
	var n int
	for b.Loop() {
		data, err := reg.Marshal()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := registry.Parse(data); err != nil {
			b.Fatal(err)
		}
		n = len(data)
	}
	b.ReportMetric(float64(n), "bytes/registry")
}
