package novutest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func payoutWorkflow(t *testing.T, srv *novutest.Server) {
	t.Helper()
	b := createBody("payout", "Payout")
	b["payloadSchema"] = map[string]any{"type": "object", "required": []string{"amount"},
		"properties": map[string]any{"amount": map[string]any{"type": "number"}}}
	createWorkflow(t, srv, b)
}

func TestBulkTriggerAnswersEachEventInOrder(t *testing.T) {
	srv := start(t)
	payoutWorkflow(t, srv)
	r := do(t, srv, "Development", "POST", "/v1/events/trigger/bulk", map[string]any{"events": []any{
		map[string]any{"name": "payout", "to": "a", "payload": map[string]any{"amount": 1}, "transactionId": "t1"},
		map[string]any{"name": "nope", "to": "b", "payload": map[string]any{}},
		map[string]any{"name": "payout", "to": "c", "payload": map[string]any{"amount": "x"}},
		map[string]any{"name": "payout", "to": []any{"d", map[string]any{"subscriberId": "e"}}, "payload": map[string]any{"amount": 2}},
	}})
	expect(t, r, 201)
	var body struct {
		Data []struct {
			Status        string   `json:"status"`
			Error         []string `json:"error"`
			TransactionID string   `json:"transactionId"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.raw, &body); err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, d := range body.Data {
		got = append(got, d.Status+":"+strings.Join(d.Error, ","))
	}
	want := []string{"processed:", "error:workflow_not_found", "error:Payload validation failed: amount: got string, want number", "processed:"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("results %q, want %q", got, want)
	}
	if body.Data[0].TransactionID != "t1" || body.Data[3].TransactionID == "" {
		t.Errorf("transaction ids %+v", body.Data)
	}
	evs := srv.Events("Development")
	if len(evs) != 2 || evs[0].TransactionID != "t1" || fmt.Sprint(evs[1].To) != "[d map[subscriberId:e]]" {
		t.Errorf("recorded %+v, want the two processed events", evs)
	}
	if n := srv.Counts().Op("bulk").Requests; n != 1 {
		t.Errorf("bulk requests counted %d, want 1", n)
	}
}

func TestBulkTriggerRefusesMoreThan100Events(t *testing.T) {
	srv := start(t)
	payoutWorkflow(t, srv)
	events := make([]any, 101)
	for i := range events {
		events[i] = map[string]any{"name": "payout", "to": "a", "payload": map[string]any{"amount": i}}
	}
	r := do(t, srv, "Development", "POST", "/v1/events/trigger/bulk", map[string]any{"events": events})
	expect(t, r, 422)
	if !strings.Contains(string(r.raw), "events must contain no more than 100 elements") {
		t.Errorf("body %s", r.raw)
	}
	if len(srv.Events("Development")) != 0 {
		t.Error("a refused bulk request recorded events")
	}
}

func TestBulkTriggerCostsOneHundredTriggerTokens(t *testing.T) {
	srv := startWith(t, novutest.Options{RateLimitTier: novutest.TierFree, Now: frozen})
	payoutWorkflow(t, srv)
	bulk := map[string]any{"events": []any{map[string]any{"name": "payout", "to": "a", "payload": map[string]any{"amount": 1}}}}
	// The free trigger bucket holds 330 tokens: three bulk requests pass,
	// the fourth waits for 70 tokens, 2 seconds at 60 a second.
	for range 3 {
		expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger/bulk", bulk), 201)
	}
	r := do(t, srv, "Development", "POST", "/v1/events/trigger/bulk", bulk)
	expect(t, r, 429)
	if ra := r.header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After %q, want 2", ra)
	}
	if p := r.header.Get("RateLimit-Policy"); !strings.Contains(p, `category="trigger";cost="bulk"`) {
		t.Errorf("policy %q", p)
	}
	// A single trigger still fits in the 30 tokens left.
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger", map[string]any{"name": "payout", "to": "a", "payload": map[string]any{"amount": 1}}), 201)
}

func TestRepeatedTransactionIDIsDeliveredOnce(t *testing.T) {
	srv := start(t)
	payoutWorkflow(t, srv)
	ev := map[string]any{"name": "payout", "to": "a", "payload": map[string]any{"amount": 1}, "transactionId": "same"}
	for range 2 {
		r := do(t, srv, "Development", "POST", "/v1/events/trigger", ev)
		expect(t, r, 201)
		if r.data(t)["status"] != "processed" || r.data(t)["transactionId"] != "same" {
			t.Errorf("answer %s", r.raw)
		}
	}
	if n := len(srv.Events("Development")); n != 1 {
		t.Errorf("%d events recorded for one transactionId, want 1", n)
	}
}

func TestBroadcastAndCancel(t *testing.T) {
	srv := startLoose(t)
	payoutWorkflow(t, srv)
	r := do(t, srv, "Development", "POST", "/v1/events/trigger/broadcast",
		map[string]any{"name": "payout", "payload": map[string]any{"amount": 3}, "transactionId": "b1"})
	expect(t, r, 200)
	evs := srv.Events("Development")
	if len(evs) != 1 || !evs[0].Broadcast || evs[0].To != nil || evs[0].TransactionID != "b1" {
		t.Errorf("broadcast recorded %+v", evs)
	}
	expect(t, do(t, srv, "Development", "POST", "/v1/events/trigger/broadcast", map[string]any{"name": "payout"}), 422)

	c := do(t, srv, "Development", "DELETE", "/v1/events/trigger/b1", nil)
	expect(t, c, 200)
	if string(c.raw) != `{"data":true}` {
		t.Errorf("first cancel %s, want true", c.raw)
	}
	if !srv.Events("Development")[0].Cancelled {
		t.Error("the event is not marked cancelled")
	}
	c = do(t, srv, "Development", "DELETE", "/v1/events/trigger/b1", nil)
	if string(c.raw) != `{"data":false}` {
		t.Errorf("second cancel %s, want false", c.raw)
	}
}
