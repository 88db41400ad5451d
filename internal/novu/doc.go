// Package novu is the HTTP client novugen's apply engine uses to talk to Novu's
// REST API (docs: docs/novu-api.md).
//
// It owns everything about the wire: its own request and response types (never
// shared with the emulator, so a wrong json tag cannot pass on both sides), the
// {"data": …} success envelope, Novu's several error body forms, retries with
// capped exponential backoff and jitter, Retry-After and RateLimit-* headers,
// idempotency keys, and keeping the secret key out of every error and log.
//
// The one rule callers must know: a POST (create) whose outcome is unknown — the
// connection broke, the attempt timed out, or the server answered 5xx — is not
// repeated, because Novu without the idempotency flag would create a second
// workflow with a suffixed workflowId (docs/novu-api.md §5, §10). Such errors satisfy
// errors.Is(err, ErrOutcomeUnknown); GET the workflow before any new POST.
package novu
