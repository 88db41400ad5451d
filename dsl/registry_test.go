package dsl_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
)

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
	payout := dsl.Define[orderPayload]("payout-initiated", dsl.Settings{Name: "Payout", Active: dsl.Inactive}).Definition()

	data, err := dsl.Registry{Workflows: []dsl.Definition{payout, order}}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := dsl.ParseRegistry(data)
	if err != nil {
		t.Fatalf("ParseRegistry(Marshal()): %v\n%s", err, data)
	}
	// dsl builds no payload schema: none is written as null and read
	// back as such (schemas themselves are registry's to keep).
	order.PayloadSchema, payout.PayloadSchema = json.RawMessage("null"), json.RawMessage("null")
	want := dsl.Registry{
		Notice:    dsl.RegistryNotice,
		Workflows: []dsl.Definition{order, payout}, // sorted by id
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
