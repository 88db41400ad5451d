package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/novu"
)

// Event is one notification ready to send: its payload encoded and checked
// against the workflow's schema, its transactionId fixed. Make one with
// NewEvent; send it with Client.Send, or many with Client.SendAll.
type Event struct {
	req novu.TriggerRequest
	err error // why it cannot be sent; nothing is sent for it
}

// WorkflowID is the workflow the event triggers.
func (e Event) WorkflowID() string { return e.req.Name }

// TransactionID is the event's transactionId, given or generated.
func (e Event) TransactionID() string { return e.req.TransactionID }

// Err is why the event cannot be sent (a payload that fails its schema, a
// bad recipient), or nil.
func (e Event) Err() error { return e.err }

// Option sets an optional part of an event.
type Option func(*options)

type options struct {
	transactionID string
	actor         any
	tenant        any
	overrides     map[string]any
	context       map[string]any
	err           error
}

// event is o as the request fields a trigger and a broadcast share.
func (o options) event() novu.EventOptions {
	return novu.EventOptions{Overrides: o.overrides, TransactionID: o.transactionID, Actor: o.actor, Tenant: o.tenant, Context: o.context}
}

// TransactionID sets the event's transactionId, which must be unique in
// the environment: Novu delivers a transactionId once. Without it one is
// generated.
func TransactionID(id string) Option {
	return func(o *options) {
		if id == "" {
			o.err = fmt.Errorf("empty TransactionID")
		}
		o.transactionID = id
	}
}

// Actor is who the event is from, for {{actor.*}} in the templates: a
// SubscriberID or a NewSubscriber (not a topic or list).
func Actor(r Recipient) Option {
	return func(o *options) {
		if err := r.check(); err != nil {
			o.err = fmt.Errorf("actor: %w", err)
			return
		}
		if _, list := r.wire.([]any); list {
			o.err = fmt.Errorf("actor: a list; want one subscriber")
			return
		}
		if _, isTopic := r.wire.(topic); isTopic {
			o.err = fmt.Errorf("actor: a topic; want one subscriber")
			return
		}
		o.actor = r.wire
	}
}

// Tenant is TenantPayloadDto: the tenant the event belongs to.
type Tenant struct {
	Identifier string         `json:"identifier"`
	Name       string         `json:"name,omitempty"`
	Data       map[string]any `json:"data,omitempty"`
}

// TenantID sends the event for the tenant with this identifier.
func TenantID(id string) Option {
	return func(o *options) { o.tenant = id }
}

// WithTenant sends the event for t, which Novu creates or updates.
func WithTenant(t Tenant) Option {
	return func(o *options) { o.tenant = &t }
}

// Overrides sets per-channel and per-step overrides, as Novu's
// "overrides" (e.g. {"email": {"bcc": [...]}}).
func Overrides(v map[string]any) Option {
	return func(o *options) { o.overrides = v }
}

// Context sets the event's context, as Novu's "context".
func Context(v map[string]any) Option {
	return func(o *options) { o.context = v }
}

// NewEvent makes an event of workflow wf to recipients to with payload. It
// checks the payload against the workflow's schema now; Event.Err tells
// why it cannot be sent.
func NewEvent[P any](wf dsl.Workflow[P], to Recipient, payload P, opts ...Option) Event {
	o, raw, err := prepare(wf, payload, opts)
	ev := Event{req: novu.TriggerRequest{Name: wf.ID(), To: to, Payload: raw, EventOptions: o.event()}}
	if err == nil {
		if e := to.check(); e != nil {
			err = fmt.Errorf("to: %w", e)
		}
	}
	if err != nil {
		ev.err = fmt.Errorf("notify: workflow %q: %w", wf.ID(), err)
	}
	return ev
}

// prepare applies the options and encodes and checks the payload.
func prepare[P any](wf dsl.Workflow[P], payload P, opts []Option) (options, json.RawMessage, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.transactionID == "" {
		o.transactionID = newTransactionID()
	}
	if o.err != nil {
		return o, nil, o.err
	}
	raw, err := checkPayload(wf, payload)
	return o, raw, err
}

// Trigger sends one event of workflow wf to recipients to, and returns
// Novu's answer with the event's transactionId. A payload that fails the
// workflow's schema is an error before any request.
func Trigger[P any](ctx context.Context, c *Client, wf dsl.Workflow[P], to Recipient, payload P, opts ...Option) (Result, error) {
	return c.Send(ctx, NewEvent(wf, to, payload, opts...))
}

// Broadcast sends one event of workflow wf to every subscriber of the
// environment. Novu charges it as a bulk request (100 trigger tokens).
func Broadcast[P any](ctx context.Context, c *Client, wf dsl.Workflow[P], payload P, opts ...Option) (Result, error) {
	o, raw, err := prepare(wf, payload, opts)
	res := Result{WorkflowID: wf.ID(), TransactionID: o.transactionID}
	if err != nil {
		return res, fmt.Errorf("notify: workflow %q: %w", wf.ID(), err)
	}
	if err := c.take(ctx, costBulk); err != nil {
		return res, err
	}
	out, err := c.nc.Broadcast(ctx, novu.BroadcastRequest{Name: wf.ID(), Payload: raw, EventOptions: o.event()})
	if err != nil {
		return res, fmt.Errorf("notify: broadcast %q (transactionId %s): %w", wf.ID(), o.transactionID, err)
	}
	return res.answer(out)
}

// Result is Novu's answer to one event.
type Result struct {
	WorkflowID    string
	TransactionID string // the event's, as sent
	Status        string // "processed" when Novu accepted it
}

// answer fills r from Novu's answer and turns a status other than
// "processed" into a *StatusError.
func (r Result) answer(out novu.TriggerResult) (Result, error) {
	r.Status = out.Status
	if out.TransactionID != "" && out.TransactionID != r.TransactionID {
		// Novu echoes the transactionId it was given; another one means the
		// event is known under that id, which Cancel needs.
		r.TransactionID = out.TransactionID
	}
	if out.Status != StatusProcessed {
		return r, &StatusError{WorkflowID: r.WorkflowID, TransactionID: r.TransactionID, Status: out.Status, Messages: out.Error}
	}
	return r, nil
}

// StatusProcessed is the status of an event Novu accepted.
const StatusProcessed = "processed"

// StatusError is an answer Novu gave without processing the event:
// trigger_not_active, no_workflow_steps_defined,
// no_workflow_active_steps_defined, no_tenant_found, invalid_recipients, or
// error (in a bulk answer: the event's own failure, e.g. workflow_not_found).
type StatusError struct {
	WorkflowID    string
	TransactionID string
	Status        string
	Messages      []string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("notify: workflow %q (transactionId %s): Novu did not process the event: %s", e.WorkflowID, e.TransactionID, e.Status)
	if len(e.Messages) > 0 {
		msg += ": " + strings.Join(e.Messages, "; ")
	}
	return msg
}

// Send sends one event.
func (c *Client) Send(ctx context.Context, ev Event) (Result, error) {
	res := Result{WorkflowID: ev.req.Name, TransactionID: ev.req.TransactionID}
	if ev.err != nil {
		return res, ev.err
	}
	if ev.req.Name == "" {
		return res, fmt.Errorf("notify: the zero Event; make events with NewEvent")
	}
	if err := c.take(ctx, costSingle); err != nil {
		return res, err
	}
	out, err := c.nc.Trigger(ctx, ev.req)
	if err != nil {
		return res, fmt.Errorf("notify: trigger %q (transactionId %s): %w", ev.req.Name, ev.req.TransactionID, err)
	}
	return res.answer(out)
}

func newTransactionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return hex.EncodeToString(b[:])
}
