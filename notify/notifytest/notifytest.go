// Package notifytest asserts, in a service's tests, what the service sent
// through package notify to a novutest emulator, typed by the workflow's
// payload:
//
//	srv := novutest.NewServer(novutest.Options{})
//	notifytest.Create(t, srv, "Development", workflows.OrderShipped)
//	// ... run the code under test with a notify.Client on srv.URL() and srv.Key("Development") ...
//	for _, ev := range notifytest.Sent(t, srv, "Development", workflows.OrderShipped) {
//		// ev.Payload is a workflows.OrderShippedPayload
//	}
package notifytest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/entry"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
)

// Create creates the declared workflows in environment env of srv, as
// cmd/apply would (payload schema included, so the emulator validates
// payloads as Novu does when the declaration sets ValidatePayload). A
// declaration that cannot become a registry entry fails the test.
func Create(tb testing.TB, srv *novutest.Server, env string, decls ...dsl.Declaration) {
	tb.Helper()
	c, err := novu.New(novu.Config{BaseURL: srv.URL(), Key: novu.Secret(srv.Key(env))})
	if err != nil {
		tb.Fatalf("notifytest: %v", err)
	}
	for _, d := range decls {
		r := entry.Of(d)
		if err := r.Err(); err != nil {
			tb.Fatalf("notifytest: %v", err)
		}
		if _, err := c.CreateWorkflow(context.Background(), novu.NewCreateRequest(r.Definition)); err != nil {
			tb.Fatalf("notifytest: creating %q: %v", r.Definition.WorkflowID, err)
		}
	}
}

// Event is one event of a workflow the emulator accepted, its payload
// decoded into the workflow's payload type.
type Event[P any] struct {
	TransactionID string
	// To is the recipients as Novu received them: a subscriber id, a
	// subscriber object, a topic, or a list of those; nil for a broadcast.
	To any
	// SubscriberIDs is every subscriber id To names (directly or in a
	// subscriber object), in order; topics are not expanded.
	SubscriberIDs []string
	Payload       P
	Status        string // "processed", or "trigger_not_active"
	Broadcast     bool
	Cancelled     bool
	Actor, Tenant any // as sent
}

// Sent returns the events of workflow wf that the emulator recorded in
// environment env, oldest first. A payload that does not decode into P
// fails the test: the sender and the declaration disagree.
func Sent[P any](tb testing.TB, srv *novutest.Server, env string, wf dsl.Workflow[P]) []Event[P] {
	tb.Helper()
	var out []Event[P]
	for _, ev := range srv.Events(env) {
		if ev.WorkflowID != wf.ID() {
			continue
		}
		raw, err := json.Marshal(ev.Payload)
		if err != nil {
			tb.Fatalf("notifytest: event %s of %q: %v", ev.TransactionID, wf.ID(), err)
		}
		var p P
		if err := json.Unmarshal(raw, &p); err != nil {
			tb.Fatalf("notifytest: event %s of %q: the payload %s does not decode into %T: %v", ev.TransactionID, wf.ID(), raw, p, err)
		}
		out = append(out, Event[P]{TransactionID: ev.TransactionID, To: ev.To, SubscriberIDs: subscriberIDs(ev.To),
			Payload: p, Status: ev.Status, Broadcast: ev.Broadcast, Cancelled: ev.Cancelled, Actor: ev.Actor, Tenant: ev.Tenant})
	}
	return out
}

func subscriberIDs(to any) []string {
	switch v := to.(type) {
	case string:
		return []string{v}
	case map[string]any:
		if id, ok := v["subscriberId"].(string); ok {
			return []string{id}
		}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, subscriberIDs(x)...)
		}
		return out
	}
	return nil
}
