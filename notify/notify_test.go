package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/notify"
	"github.com/novugen/novugen/notify/notifytest"
	"github.com/novugen/novugen/novutest"
)

type invoice struct {
	Number string  `json:"number" jsonschema:"minLength=1"`
	Amount float64 `json:"amount" jsonschema:"minimum=0"`
	Email  string  `json:"email" jsonschema:"format=email"`
	Lines  []line  `json:"lines"`
}

type line struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty" jsonschema:"minimum=1"`
}

func declare(id string, active dsl.Activation) dsl.Workflow[invoice] {
	return dsl.Define[invoice](id, dsl.Settings{Name: id, Active: active, ValidatePayload: true, Severity: dsl.SeverityLow},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Invoice {{ payload.number }}"}))
}

var (
	invoicePaid  = declare("invoice-paid", dsl.Active)
	invoiceDraft = declare("invoice-draft", dsl.Inactive)
)

func good(n int) invoice {
	return invoice{Number: fmt.Sprint("INV-", n), Amount: 10, Email: "a@example.com", Lines: []line{{SKU: "s", Qty: 1}}}
}

// setup is a conformance-checked emulator holding the test workflows, and a
// client on it.
func setup(t *testing.T, opts novutest.Options) (*novutest.Server, *notify.Client) {
	t.Helper()
	srv := testenv.Emulator(t, opts)
	notifytest.Create(t, srv, "Development", invoicePaid, invoiceDraft)
	c, err := notify.New(notify.Config{BaseURL: srv.URL(), Key: srv.Key("Development")})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestTriggerSendsTheTypedPayloadAndReturnsTheTransactionID(t *testing.T) {
	srv, c := setup(t, novutest.Options{})
	res, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("user-1"), good(1),
		notify.Actor(notify.SubscriberID("admin")), notify.TenantID("acme"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != notify.StatusProcessed || len(res.TransactionID) != 32 || res.WorkflowID != "invoice-paid" {
		t.Errorf("result %+v", res)
	}
	sent := notifytest.Sent(t, srv, "Development", invoicePaid)
	if len(sent) != 1 {
		t.Fatalf("sent %+v, want one event", sent)
	}
	ev := sent[0]
	if ev.TransactionID != res.TransactionID || fmt.Sprint(ev.SubscriberIDs) != "[user-1]" ||
		ev.Payload.Number != "INV-1" || ev.Payload.Lines[0].Qty != 1 || ev.Actor != "admin" || ev.Tenant != "acme" {
		t.Errorf("recorded %+v", ev)
	}

	res2, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("user-1"), good(2), notify.TransactionID("mine-1"))
	if err != nil || res2.TransactionID != "mine-1" {
		t.Errorf("given transactionId: %+v, %v", res2, err)
	}
}

func TestBadPayloadNamesTheFieldsAndSendsNothing(t *testing.T) {
	srv, c := setup(t, novutest.Options{})
	srv.ResetCounts()
	bad := invoice{Number: "", Amount: -1, Email: "not-an-email", Lines: []line{{SKU: "s", Qty: 0}}}
	_, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("u"), bad)
	var pe *notify.PayloadError
	if !errors.As(err, &pe) {
		t.Fatalf("err %v, want a *PayloadError", err)
	}
	for _, field := range []string{"payload.number", "payload.amount", "payload.email", "payload.lines.0.qty"} {
		if !strings.Contains(err.Error(), field+": ") {
			t.Errorf("error %q does not name %s", err, field)
		}
	}
	if !strings.Contains(err.Error(), `workflow "invoice-paid"`) {
		t.Errorf("error %q does not name the workflow", err)
	}
	// A nil slice encodes as null, which the schema's array refuses.
	_, err = notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("u"), invoice{Number: "1", Email: "a@b.co"})
	if err == nil || !strings.Contains(err.Error(), "payload.lines: ") {
		t.Errorf("nil lines: %v", err)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests for bad payloads, want none", n)
	}
}

func TestAnswerOtherThanProcessedIsAStatusError(t *testing.T) {
	_, c := setup(t, novutest.Options{})
	_, err := notify.Trigger(context.Background(), c, invoiceDraft, notify.SubscriberID("u"), good(1))
	var se *notify.StatusError
	if !errors.As(err, &se) || se.Status != "trigger_not_active" || se.WorkflowID != "invoice-draft" {
		t.Fatalf("err %v, want a StatusError trigger_not_active", err)
	}
}

func TestNovusOwnPayloadCheckAnswers400(t *testing.T) {
	// A payload the local check cannot see (the schema on the server is
	// stricter than the type) still gets Novu's own 400.
	srv, c := setup(t, novutest.Options{})
	if err := srv.EditWorkflow("Development", "invoice-paid", func(w *novutest.Workflow) {
		w.PayloadSchema["required"] = []any{"number", "amount", "email", "lines", "currency"}
	}); err != nil {
		t.Fatal(err)
	}
	_, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("u"), good(1))
	if err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "currency") {
		t.Errorf("err %v, want Novu's 400 naming currency", err)
	}
}

func TestRetryAfterALostAnswerKeepsTransactionIDAndKey(t *testing.T) {
	var (
		mu       sync.Mutex
		attempts []string
	)
	lose := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/events/trigger" {
				next.ServeHTTP(w, r)
				return
			}
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var ev struct {
				TransactionID string `json:"transactionId"`
			}
			_ = json.Unmarshal(body, &ev)
			mu.Lock()
			attempts = append(attempts, ev.TransactionID+" "+r.Header.Get("Idempotency-Key"))
			first := len(attempts) == 1
			mu.Unlock()
			if first {
				// The server acts, and the answer is lost on the way back.
				next.ServeHTTP(httptest.NewRecorder(), r)
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	srv, c := setup(t, novutest.Options{Wrap: lose})
	res, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("u"), good(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 2 || attempts[0] != attempts[1] || !strings.HasPrefix(attempts[0], res.TransactionID+" ") {
		t.Errorf("attempts %q, want two with the same transactionId and Idempotency-Key", attempts)
	}
	if n := len(notifytest.Sent(t, srv, "Development", invoicePaid)); n != 1 {
		t.Errorf("%d events delivered, want 1", n)
	}
}

func TestBroadcastAndCancel(t *testing.T) {
	srv, c := setup(t, novutest.Options{})
	res, err := notify.Broadcast(context.Background(), c, invoicePaid, good(1))
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.Cancel(context.Background(), res.TransactionID)
	if err != nil || !ok {
		t.Fatalf("cancel: %v, %v", ok, err)
	}
	sent := notifytest.Sent(t, srv, "Development", invoicePaid)
	if len(sent) != 1 || !sent[0].Broadcast || !sent[0].Cancelled || sent[0].TransactionID != res.TransactionID {
		t.Errorf("recorded %+v", sent)
	}
	if ok, err := c.Cancel(context.Background(), res.TransactionID); err != nil || ok {
		t.Errorf("second cancel: %v, %v; want false", ok, err)
	}
	if _, err := notify.Broadcast(context.Background(), c, invoicePaid, invoice{}); err == nil {
		t.Error("a broadcast with a bad payload was sent")
	}
}

// TestNoSchemaChecksOnlyForAnObject: a workflow that sends no payload
// schema (dsl.NoSchema) is sent any payload of its type, as Novu, which
// holds no schema for it, accepts any; a payload that is no object is
// still refused before a request.
func TestNoSchemaChecksOnlyForAnObject(t *testing.T) {
	loose := dsl.Define[invoice]("invoice-loose", dsl.Settings{Name: "Loose", Active: dsl.Active, ValidatePayload: true, PayloadSchema: dsl.NoSchema},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Invoice {{ payload.number }}"}))
	srv := testenv.Emulator(t, novutest.Options{})
	notifytest.Create(t, srv, "Development", loose)
	c, err := notify.New(notify.Config{BaseURL: srv.URL(), Key: srv.Key("Development")})
	if err != nil {
		t.Fatal(err)
	}
	bad := invoice{Number: "", Amount: -1, Email: "not-an-email"}
	if _, err := notify.Trigger(context.Background(), c, loose, notify.SubscriberID("u"), bad); err != nil {
		t.Fatalf("a payload the typed schema would refuse: %v", err)
	}
	if sent := notifytest.Sent(t, srv, "Development", loose); len(sent) != 1 || sent[0].Payload.Amount != -1 {
		t.Errorf("sent %+v", sent)
	}
	ptr := dsl.Define[*invoice]("invoice-ptr", dsl.Settings{Name: "Ptr", Active: dsl.Active, PayloadSchema: dsl.NoSchema},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Invoice {{ payload.number }}"}))
	var pe *notify.PayloadError
	if _, err := notify.Trigger(context.Background(), c, ptr, notify.SubscriberID("u"), nil); !errors.As(err, &pe) {
		t.Errorf("nil payload: %v, want a *PayloadError", err)
	}
}

// TestEventOptionsReachTheTriggerBody: WithTenant, Overrides and Context
// land in the trigger request as TriggerEventRequestDto's tenant (a
// TenantPayloadDto), overrides and context, which the emulator's
// conformance check holds to Novu's OpenAPI document.
func TestEventOptionsReachTheTriggerBody(t *testing.T) {
	var mu sync.Mutex
	var bodies [][]byte
	record := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/v1/events/trigger" {
				b, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(b))
				mu.Lock()
				bodies = append(bodies, b)
				mu.Unlock()
			}
			h.ServeHTTP(w, r)
		})
	}
	srv, c := setup(t, novutest.Options{Wrap: record})
	_, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("u"), good(1),
		notify.WithTenant(notify.Tenant{Identifier: "acme", Name: "Acme", Data: map[string]any{"plan": "pro"}}),
		notify.Overrides(map[string]any{"email": map[string]any{"bcc": []any{"audit@example.com"}}}),
		notify.Context(map[string]any{"org": "org-acme", "team": map[string]any{"id": "t1", "data": map[string]any{"size": 3}}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 1 {
		t.Fatalf("%d trigger requests, want one", len(bodies))
	}
	var body struct {
		Tenant, Overrides, Context json.RawMessage
	}
	if err := json.Unmarshal(bodies[0], &body); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ field, got, want string }{
		{"tenant", compact(t, body.Tenant), `{"identifier":"acme","name":"Acme","data":{"plan":"pro"}}`},
		{"overrides", compact(t, body.Overrides), `{"email":{"bcc":["audit@example.com"]}}`},
		{"context", compact(t, body.Context), `{"org":"org-acme","team":{"data":{"size":3},"id":"t1"}}`},
	} {
		if tt.got != tt.want {
			t.Errorf("%s %s, want %s", tt.field, tt.got, tt.want)
		}
	}
	if ev := notifytest.Sent(t, srv, "Development", invoicePaid); len(ev) != 1 {
		t.Errorf("recorded %d events, want one", len(ev))
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if raw == nil {
		return "(absent)"
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return b.String()
}

type unsendable struct {
	Counts map[int]string `json:"counts"`
	Code   string
}

// TestPayloadTypeWithoutSchemaIsRefused: a payload type that cannot become
// a schema is named with each of its faults, as entry words them, and
// nothing is sent.
func TestPayloadTypeWithoutSchemaIsRefused(t *testing.T) {
	srv, c := setup(t, novutest.Options{})
	srv.ResetCounts()
	wf := dsl.Define[unsendable]("unsendable", dsl.Settings{Name: "u", Active: dsl.Active, Severity: dsl.SeverityLow},
		dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "x"}))
	_, err := notify.Trigger(context.Background(), c, wf, notify.SubscriberID("u"), unsendable{})
	want := "payload type notify_test.unsendable has no payload schema: unsendable.Counts: map key type int is not a string; a payload schema describes only string-keyed maps; unsendable.Code: has no json tag"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err %v, want it to contain %q", err, want)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestRecipients(t *testing.T) {
	srv, c := setup(t, novutest.Options{})
	to := notify.Recipients(notify.SubscriberID("a"),
		notify.NewSubscriber(notify.Subscriber{SubscriberID: "b", Email: "b@example.com"}),
		notify.Topic("team", "c"))
	if _, err := notify.Trigger(context.Background(), c, invoicePaid, to, good(1)); err != nil {
		t.Fatal(err)
	}
	ev := notifytest.Sent(t, srv, "Development", invoicePaid)[0]
	got, _ := json.Marshal(ev.To)
	want := `["a",{"email":"b@example.com","subscriberId":"b"},{"exclude":["c"],"topicKey":"team","type":"Topic"}]`
	if string(got) != want || fmt.Sprint(ev.SubscriberIDs) != "[a b]" {
		t.Errorf("to %s (%v), want %s", got, ev.SubscriberIDs, want)
	}

	many := make([]notify.Recipient, 101)
	for i := range many {
		many[i] = notify.SubscriberID(fmt.Sprint(i))
	}
	for name, r := range map[string]notify.Recipient{
		"101 recipients": notify.Recipients(many...), "zero": {}, "empty id": notify.SubscriberID(""),
		"empty list": notify.Recipients(),
	} {
		if _, err := notify.Trigger(context.Background(), c, invoicePaid, r, good(1)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := notify.Trigger(context.Background(), c, invoicePaid, notify.SubscriberID("a"), good(2),
		notify.Actor(notify.Topic("t"))); err == nil || !strings.Contains(err.Error(), "actor") {
		t.Errorf("topic as actor: %v", err)
	}
}
