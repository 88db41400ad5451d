package novutest_test

import (
	"strings"
	"testing"
)

func TestTriggerValidatesPayloadAgainstSchema(t *testing.T) {
	srv := startLoose(t)
	b := createBody("payout", "Payout")
	b["payloadSchema"] = map[string]any{"type": "object", "required": []string{"amount"},
		"properties": map[string]any{
			"amount":   map[string]any{"type": "number"},
			"currency": map[string]any{"type": "string", "default": "EUR"},
		}}
	createWorkflow(t, srv, b)

	ok := do(t, srv, "Development", "POST", "/v1/events/trigger",
		map[string]any{"name": "payout", "to": "sub-1", "payload": map[string]any{"amount": 5}})
	expect(t, ok, 201)
	if ok.data(t)["status"] != "processed" || ok.data(t)["acknowledged"] != true {
		t.Errorf("trigger: %s", ok.raw)
	}
	evs := srv.Events("Development")
	if len(evs) != 1 || evs[0].Payload["currency"] != "EUR" {
		t.Errorf("events %+v, want one with the default currency filled", evs)
	}

	bad := do(t, srv, "Development", "POST", "/v1/events/trigger",
		map[string]any{"name": "payout", "to": "sub-1", "payload": map[string]any{"amount": "five"}})
	expect(t, bad, 400)
	if bad.body["type"] != "PAYLOAD_VALIDATION_ERROR" || !strings.HasPrefix(bad.body["message"].(string), "Payload validation failed: amount: ") {
		t.Errorf("400 body %s", bad.raw)
	}
	errs := bad.body["errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["field"] != "amount" || bad.body["schema"] == nil {
		t.Errorf("errors %v", errs)
	}
	missing := do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "payout", "to": "sub-1"})
	expect(t, missing, 400)
	if !strings.Contains(missing.body["message"].(string), "must have required property 'amount'") {
		t.Errorf("missing amount: %v", missing.body["message"])
	}
	if len(srv.Events("Development")) != 1 {
		t.Error("a rejected trigger was recorded")
	}
}

func TestTriggerUnknownAndInactive(t *testing.T) {
	srv := startLoose(t)
	r := do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "nope", "to": "s"})
	expect(t, r, 422)
	b := createBody("off", "Off")
	b["active"] = false
	createWorkflow(t, srv, b)
	r = do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "off", "to": "s", "payload": map[string]any{}})
	expect(t, r, 201)
	if r.data(t)["status"] != "trigger_not_active" {
		t.Errorf("inactive trigger: %s", r.raw)
	}
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "off"}), 422)
}
