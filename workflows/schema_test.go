package workflows_test

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/draft07"
	"github.com/novugen/novugen/workflows"
)

// samples are realistic payloads, one a workflow, as the services that
// trigger them send them (json.Marshal), with a required field each test
// takes out and one a mistake of type puts in.
var samples = map[string]struct {
	payload  any
	required string // a field Novu must refuse a trigger without
	wrong    string // a field given a value of the wrong JSON type below
}{
	"order-shipped": {payload: workflows.OrderShippedPayload{
		OrderID:        "ord_1042",
		DeliveryMethod: "courier",
		Shipment: workflows.Shipment{
			Carrier: "DHL", TrackingNumber: "JD014600006281234567",
			TrackingURL: "https://track.example/JD014600006281234567", EstimatedDelivery: "2026-07-24",
		},
		Items: []workflows.OrderItem{
			{SKU: "MUG-01", Name: "Mug", Quantity: 2, ImageURL: "https://cdn.example/mug.png"},
			{SKU: "TEE-M", Name: "T-shirt", Quantity: 1},
		},
	}, required: "orderId", wrong: "items"},
	"payout-initiated": {payload: workflows.PayoutInitiatedPayload{
		PayoutID: "po_77", Amount: 1250.5, Currency: "EUR", ArrivalDate: "2026-07-24",
		BankName: "Nordbank", AccountLast4: "4321",
	}, required: "amount", wrong: "amount"},
	"weekly-digest": {payload: workflows.WeeklyDigestPayload{
		Title: "Invoice #1042 was paid", URL: "https://app.example/invoices/1042", ProjectName: "Billing",
	}, required: "title", wrong: "url"},
}

// TestExamplePayloadsMatchTheirSchemas reads the generated registry and
// validates sample payloads against each payloadSchema the way Novu's Ajv
// does (draft-07): what the services send must pass, and a payload missing a
// required field or with a field of the wrong type must not.
func TestExamplePayloadsMatchTheirSchemas(t *testing.T) {
	reg, err := gen.Registry()
	if err != nil {
		t.Fatal(err)
	}
	generated := map[string]json.RawMessage{}
	for _, def := range reg.Workflows {
		generated[def.WorkflowID] = def.PayloadSchema
	}
	declared := map[string]bool{}
	for _, d := range gen.Declarations {
		declared[d.Definition().WorkflowID] = true
	}
	for id := range samples {
		if !declared[id] {
			t.Errorf("a sample payload for %s, which is not declared", id)
		}
	}
	for _, d := range gen.Declarations {
		id := d.Definition().WorkflowID
		t.Run(id, func(t *testing.T) {
			sample, ok := samples[id]
			if !ok {
				t.Fatalf("no sample payload for %s: add one to samples", id)
			}
			payloadSchema, ok := generated[id]
			if !ok {
				t.Fatalf("%s is declared but not in gen/registry.json: run go generate ./...", id)
			}
			schema, err := draft07.Compile(payloadSchema)
			if err != nil {
				t.Fatalf("%v\n%s", err, payloadSchema)
			}
			data, err := json.Marshal(sample.payload)
			if err != nil {
				t.Fatal(err)
			}
			var good map[string]any
			if err := json.Unmarshal(data, &good); err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(good); err != nil {
				t.Errorf("sample payload %s rejected: %v", data, err)
			}

			missing := maps.Clone(good) // only top-level keys change
			if _, ok := missing[sample.required]; !ok {
				t.Fatalf("test bug: sample has no %q", sample.required)
			}
			delete(missing, sample.required)
			if err := schema.Validate(missing); err == nil {
				t.Errorf("payload without %q accepted", sample.required)
			}

			wrong := maps.Clone(good) // only top-level keys change
			wrong[sample.wrong] = true
			if err := schema.Validate(wrong); err == nil {
				t.Errorf("payload with %q: true accepted", sample.wrong)
			}
		})
	}
}
