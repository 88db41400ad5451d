package novutest

import (
	"net/http"
	"net/url"
)

// maxBulkEvents is the bulk endpoint's limit (BulkTriggerEventDto's
// ArrayMaxSize, docs/novu-api.md §12).
const maxBulkEvents = 100

// triggerBulk records up to 100 events (POST /v1/events/trigger/bulk). Each
// event is handled as a single trigger would be; one that fails is an
// "error" result in its place, and the others still go through.
func (c *call) triggerBulk(m map[string]any) reply {
	raw, ok := m["events"].([]any)
	if !ok {
		return c.fieldFailed("events", "events must be an array", m["events"])
	}
	if len(raw) > maxBulkEvents {
		// Refused by the DTO's ArrayMaxSize. The 2024 source answers 400
		// with the messages as a list (bulk-trigger.e2e.ts); the document's
		// version answers every DTO failure as a ValidationErrorDto 422,
		// which the emulator follows like its other field checks.
		return c.fieldFailed("events", "events must contain no more than 100 elements", nil)
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]triggerOut, len(raw))
	for i, e := range raw {
		em, ok := e.(map[string]any)
		if !ok {
			out[i] = triggerOut{Acknowledged: true, Status: "error", Error: []string{"event must be an object"}}
			continue
		}
		res, rep := c.fire(em, false)
		if rep != nil {
			res = triggerOut{Acknowledged: true, Status: "error", Error: messages(*rep)}
		}
		out[i] = res
	}
	return c.written(http.StatusCreated, out)
}

// broadcast records one event for every subscriber of the environment
// (POST /v1/events/trigger/broadcast). The emulator keeps no subscribers:
// the event is recorded once, with Broadcast set and no recipients.
func (c *call) broadcast(m map[string]any) reply {
	if _, ok := m["payload"].(map[string]any); !ok {
		return c.fieldFailed("payload", "payload must be an object", m["payload"])
	}
	delete(m, "to")
	return c.fireOne(m, true, http.StatusOK)
}

// cancelTrigger cancels the events of a transactionId
// (DELETE /v1/events/trigger/{transactionId}): true when one of them was
// still pending, false when there was nothing to cancel, as Novu's
// cancel-delayed use case answers.
func (c *call) cancelTrigger() reply {
	txID, err := url.PathUnescape(c.r.PathValue("transactionId"))
	if err != nil {
		txID = c.r.PathValue("transactionId")
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	for i := range c.env.events {
		ev := &c.env.events[i]
		if ev.TransactionID == txID && ev.Status == "processed" && !ev.Cancelled {
			ev.Cancelled = true
			found = true
		}
	}
	rep := c.data(http.StatusOK, found)
	rep.wrote = found
	return rep
}
