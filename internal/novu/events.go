package novu

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// MaxBulkEvents is how many events one POST /v1/events/trigger/bulk may
// carry; Novu answers 400 "events must contain no more than 100 elements"
// beyond it (docs/novu-api.md §12).
const MaxBulkEvents = 100

// TriggerRequest is TriggerEventRequestDto. Payload is already JSON: the
// caller encodes (and checks) it once, and every attempt sends those bytes.
type TriggerRequest struct {
	Name    string          `json:"name"`
	To      any             `json:"to"`
	Payload json.RawMessage `json:"payload,omitempty"`
	EventOptions
}

// BroadcastRequest is TriggerEventToAllRequestDto: every subscriber of the
// environment receives the event.
type BroadcastRequest struct {
	Name    string          `json:"name"`
	Payload json.RawMessage `json:"payload"`
	EventOptions
}

// EventOptions are the fields a trigger and a broadcast share.
type EventOptions struct {
	Overrides     map[string]any `json:"overrides,omitempty"`
	TransactionID string         `json:"transactionId,omitempty"`
	Actor         any            `json:"actor,omitempty"`
	Tenant        any            `json:"tenant,omitempty"`
	Context       map[string]any `json:"context,omitempty"`
}

// TriggerResult is TriggerEventResponseDto.
type TriggerResult struct {
	Acknowledged  bool     `json:"acknowledged"`
	Status        string   `json:"status"`
	Error         []string `json:"error,omitempty"`
	TransactionID string   `json:"transactionId,omitempty"`
}

// The event calls are repeatable POSTs: each event carries a
// transactionId, and Novu's worker drops an event whose transactionId
// already has jobs in the environment (docs/novu-api.md §12), so a retry
// after a lost answer cannot notify twice. Callers must set TransactionID.

// Trigger sends one event (POST /v1/events/trigger).
func (c *Client) Trigger(ctx context.Context, req TriggerRequest) (TriggerResult, error) {
	var out TriggerResult
	err := c.do(ctx, call{method: http.MethodPost, path: "/v1/events/trigger", in: req, out: &out, repeatable: true})
	return out, err
}

// TriggerBulk sends at most MaxBulkEvents events in one request
// (POST /v1/events/trigger/bulk); the results are in the order of events.
func (c *Client) TriggerBulk(ctx context.Context, events []TriggerRequest) ([]TriggerResult, error) {
	var out []TriggerResult
	in := struct {
		Events []TriggerRequest `json:"events"`
	}{events}
	err := c.do(ctx, call{method: http.MethodPost, path: "/v1/events/trigger/bulk", in: in, out: &out, repeatable: true})
	return out, err
}

// Broadcast sends one event to every subscriber of the environment
// (POST /v1/events/trigger/broadcast).
func (c *Client) Broadcast(ctx context.Context, req BroadcastRequest) (TriggerResult, error) {
	var out TriggerResult
	err := c.do(ctx, call{method: http.MethodPost, path: "/v1/events/trigger/broadcast", in: req, out: &out, repeatable: true})
	return out, err
}

// CancelTrigger cancels the pending steps (delays, digests) of the events
// sent with transactionID (DELETE /v1/events/trigger/{transactionId}). It
// reports whether Novu found anything to cancel.
func (c *Client) CancelTrigger(ctx context.Context, transactionID string) (bool, error) {
	var out bool
	err := c.do(ctx, call{method: http.MethodDelete, path: "/v1/events/trigger/" + url.PathEscape(transactionID), out: &out})
	return out, err
}
