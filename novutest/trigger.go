package novutest

import (
	"encoding/json"
	"net/http"
)

type triggerOut struct {
	Acknowledged  bool     `json:"acknowledged"`
	Status        string   `json:"status"`
	Error         []string `json:"error,omitempty"`
	TransactionID string   `json:"transactionId,omitempty"`
}

// trigger records an event (POST /v1/events/trigger, docs/novu-api.md §12).
func (c *call) trigger(m map[string]any) reply {
	return c.fireOne(m, false, http.StatusCreated)
}

// fireOne answers an event sent on its own: fire's refusal, or its result
// with status.
func (c *call) fireOne(m map[string]any, broadcast bool, status int) reply {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	out, rep := c.fire(m, broadcast)
	if rep != nil {
		return *rep
	}
	return c.written(status, out)
}

// fire checks one event and records it. The caller holds s.mu. A refusal
// is the whole answer Novu gives a single trigger; the bulk endpoint turns
// it into an "error" result of that event (process-bulk-trigger.usecase.ts).
// For a broadcast, m carries no "to" and every subscriber is the recipient.
func (c *call) fire(m map[string]any, broadcast bool) (triggerOut, *reply) {
	errs := fieldErrors{}
	name, ok := m["name"].(string)
	if !ok || name == "" {
		errs.add("name", "name should not be empty", m["name"])
	}
	to, ok := m["to"]
	if !broadcast && (!ok || to == nil) {
		errs.add("to", "to should not be null or undefined", nil)
	}
	payload := map[string]any{}
	if p, ok := m["payload"]; ok && p != nil {
		pm, isObj := p.(map[string]any)
		if !isObj {
			errs.add("payload", "payload must be an object", p)
		}
		payload = pm
	}
	txID, _ := m["transactionId"].(string)
	if len(errs) > 0 {
		rep := c.validationFailed(errs)
		return triggerOut{}, &rep
	}
	s := c.s
	w := c.env.byWorkflowID(name)
	if w == nil {
		rep := c.fail(http.StatusUnprocessableEntity, "workflow_not_found",
			// "errors" keeps the body a ValidationErrorDto, as the document
			// declares every 422 to be.
			map[string]any{"workflowId": name, "error": "Unprocessable Entity", "errors": map[string]any{}})
		return triggerOut{}, &rep
	}
	if txID == "" {
		txID = s.randomString(24, "0123456789abcdef")
	}
	ev := Event{WorkflowID: name, TransactionID: txID, To: to, Payload: payload, Time: s.timestamp(),
		Actor: m["actor"], Tenant: m["tenant"], Broadcast: broadcast}
	if !w.Active {
		ev.Status = "trigger_not_active"
		c.env.events = append(c.env.events, ev)
		// The event is recorded even so.
		return triggerOut{Acknowledged: true, Status: ev.Status, TransactionID: txID}, nil
	}
	if w.ValidatePayload && w.PayloadSchema != nil {
		fillDefaults(w.PayloadSchema, payload)
		if rep, failed := c.validatePayload(w.PayloadSchema, payload); failed {
			return triggerOut{}, &rep
		}
	}
	ev.Status = "processed"
	if c.env.processed(txID) {
		// Novu answers a repeated transactionId as usual, and its worker
		// then drops the event (trigger-event.usecase.ts,
		// validateTransactionIdProperty; docs/novu-api.md §12): one delivery.
		return triggerOut{Acknowledged: true, Status: ev.Status, TransactionID: txID}, nil
	}
	ev.Payload = cloneMap(payload)
	c.env.events = append(c.env.events, ev)
	w.LastTriggeredAt = &ev.Time
	return triggerOut{Acknowledged: true, Status: ev.Status, TransactionID: txID}, nil
}

// messages is the "message" of an error answer as a list, as Novu's bulk
// trigger reports a failed event's exception.
func messages(rep reply) []string {
	var body struct {
		Message any `json:"message"`
	}
	_ = json.Unmarshal(rep.body, &body)
	switch m := body.Message.(type) {
	case string:
		return []string{m}
	case []any:
		var out []string
		for _, x := range m {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{http.StatusText(rep.status)}
}

// processed tells whether an event with transactionID was delivered in the
// environment.
func (e *envState) processed(transactionID string) bool {
	for _, ev := range e.events {
		if ev.TransactionID == transactionID && ev.Status == "processed" {
			return true
		}
	}
	return false
}
