// Package notify sends Novu notifications with the payload type that
// declared the workflow, so that a wrong payload, a renamed field or a
// deleted workflow fails go build in the service that sends it:
//
//	c, err := notify.FromEnv() // NOVU_SECRET_KEY, NOVU_API_URL
//	res, err := notify.Trigger(ctx, c, workflows.OrderShipped, notify.SubscriberID("user-1"),
//		workflows.OrderShippedPayload{OrderID: "A-1", ...})
//
// Before anything leaves, the payload is encoded as encoding/json does and
// checked against the workflow's payload schema, the one novugen generates
// from the type (draft-07 with formats, as Novu's validator reads it): a bad
// value is an error naming the field, and no request is made (a workflow
// declared with dsl.NoSchema has none: its payload is checked for an
// object only, as Novu checks it). Novu's
// answers other than "processed" (trigger_not_active,
// no_workflow_steps_defined, invalid_recipients, ...) are *StatusError.
//
// Every event carries a transactionId, generated when the caller gives
// none and returned in Result. The client retries 429, 5xx and connection
// errors with the same transactionId and Idempotency-Key, pacing itself
// from Novu's RateLimit-* headers: Novu delivers an event whose
// transactionId it has seen once (docs/novu-api.md §12), so a retry after
// a lost answer does not notify twice. Config.TriggerRate, your plan's
// trigger requests per second, makes the client wait for its tokens in a
// bucket like Novu's (a bulk request costs 100) instead of meeting 429s.
//
// Send many events with Client.SendAll: chunks of 100 (the bulk
// endpoint's limit), sent concurrently, results in input order. Tests
// assert what was sent through package notify/notifytest and the novutest
// emulator.
package notify
