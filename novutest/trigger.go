package novutest

import "net/http"

type triggerOut struct {
	Acknowledged  bool   `json:"acknowledged"`
	Status        string `json:"status"`
	TransactionID string `json:"transactionId,omitempty"`
}

// trigger records an event (POST /v1/events/trigger, docs/novu-api.md §12).
func (c *call) trigger() reply {
	m, bad := c.decodeObject()
	if bad != nil {
		return *bad
	}
	errs := fieldErrors{}
	name, ok := m["name"].(string)
	if !ok || name == "" {
		errs.add("name", "name should not be empty", m["name"])
	}
	to, ok := m["to"]
	if !ok || to == nil {
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
		return c.validationFailed(errs)
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	w := c.env.byWorkflowID(name)
	if w == nil {
		return c.fail(http.StatusUnprocessableEntity, "workflow_not_found",
			// "errors" keeps the body a ValidationErrorDto, as the document
			// declares every 422 to be.
			map[string]any{"workflowId": name, "error": "Unprocessable Entity", "errors": map[string]any{}})
	}
	if txID == "" {
		txID = s.randomString(24, "0123456789abcdef")
	}
	ev := Event{WorkflowID: name, TransactionID: txID, To: to, Payload: payload, Time: s.timestamp()}
	if !w.Active {
		ev.Status = "trigger_not_active"
		c.env.events = append(c.env.events, ev)
		// The event is recorded even so.
		return c.written(http.StatusCreated, triggerOut{Acknowledged: true, Status: ev.Status, TransactionID: txID})
	}
	if w.ValidatePayload && w.PayloadSchema != nil {
		fillDefaults(w.PayloadSchema, payload)
		if rep, failed := c.validatePayload(w.PayloadSchema, payload); failed {
			return rep
		}
	}
	ev.Status = "processed"
	ev.Payload = cloneMap(payload)
	c.env.events = append(c.env.events, ev)
	w.LastTriggeredAt = &ev.Time
	return c.written(http.StatusCreated, triggerOut{Acknowledged: true, Status: ev.Status, TransactionID: txID})
}
