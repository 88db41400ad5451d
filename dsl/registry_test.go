package dsl_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
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

// TestDefinitionsSurviveTheRegistry: what the builders produce (control
// values in wire form, float64 numbers, JSONLogic, nested headers, user
// preferences) is read back from a registry file unchanged, so the engine
// compares a generated registry with the declarations it came from. The
// file format itself is package registry's, tested there.
func TestDefinitionsSurviveTheRegistry(t *testing.T) {
	order := dsl.Define[orderPayload]("order-shipped", dsl.Settings{
		Name: "Order shipped", Tags: []string{"orders"}, Active: dsl.Active, Severity: dsl.SeverityMedium,
		Preferences: dsl.Preferences{User: &dsl.ChannelPreferences{SMS: dsl.Off}},
	},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Order {{payload.orderId}} <b>&</b> more"}),
		dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 2, Unit: dsl.Hours}),
		dsl.Email("mail", "Mail", dsl.EmailControls{
			Subject: "Shipped", Body: "<p>{{payload.orderId}}</p>", Layout: dsl.NoLayout,
			Skip: dsl.Gt(dsl.Var("payload.amount"), 4.5),
		}),
		dsl.HTTPRequest("hook", "Hook", dsl.HTTPRequestControls{
			Method: dsl.MethodPost, URL: "https://example.com", Headers: []dsl.Header{{Key: "A", Value: "b"}},
		}),
	).Definition()
	order.PayloadSchema = json.RawMessage(`{"type":"object","properties":{"orderId":{"type":"string"}},"required":["orderId"]}`)
	payout := dsl.Define[orderPayload]("payout-initiated", dsl.Settings{Name: "Payout", Active: dsl.Inactive}).Definition()

	data, err := dsl.Registry{Workflows: []dsl.Definition{payout, order}}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := dsl.ParseRegistry(data)
	if err != nil {
		t.Fatalf("ParseRegistry(Marshal()): %v\n%s", err, data)
	}
	want := dsl.Registry{
		Notice:    dsl.RegistryNotice,
		Workflows: []dsl.Definition{order, payout}, // sorted by id
	}
	if diff := cmp.Diff(want, got, sameJSON); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
