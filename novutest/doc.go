// Package novutest runs an in-memory Novu API for tests, in the spirit of
// net/http/httptest and miniredis.
//
// A Server speaks the subset of Novu's REST API that novugen relies on
// (docs/novu-api.md): environments, workflows v2 (create, list, get,
// update, patch, delete, sync, step data), layouts v2 (create, list, get,
// update, delete, usage; carried by a workflow's sync), the event trigger
// (single, bulk, broadcast, cancel; every accepted event is kept, see
// Server.Events), and the v2
// environment diff and publish. It reproduces the traps of the real
// service on purpose, as Novu's source has them:
//
//   - the {"data": …} envelope and Novu's error bodies;
//   - a create forces origin novu-cloud, takes active ?? true, keeps
//     validatePayload and severity as sent, and only without a
//     payloadSchema (or with null) stores the open schema with
//     validatePayload ?? true, while an update stores null as sent and
//     keeps the stored schema when the key is absent;
//   - a create with a taken workflowId answers 201 with a second workflow
//     named workflowId-<4 of [0-9a-z]> (DuplicateCreate: LegacySuffix for
//     older servers' 7 to 14 characters, Conflict for a 409);
//   - PUT replaces the whole workflow and matches steps by _id only: a step
//     without _id, or with one the workflow does not hold, is a new step;
//   - sync upserts the copy by workflowId and moves the source too: its
//     updatedAt and lastPublishedAt change on every sync, as does the
//     copy's updatedAt, unchanged or not;
//   - every workflow write records the webhook Novu would send
//     (Server.Webhooks; workflow.created, .updated, .deleted, .published),
//     so a test can show what a needless write costs the user;
//   - idempotency keys;
//   - rate limits as Novu's tiers set them (Options.RateLimitTier): one
//     token bucket per environment and category, the workflow routes in
//     Options.WorkflowRateCategory, RateLimit-* headers over a 5-second
//     window and 429 "API rate limit exceeded" with Retry-After;
//   - seeded faults (5xx, 429 bursts, connections cut after a write).
//
// Use it as an httptest.Server:
//
//	srv := novutest.NewServer(novutest.Options{Seed: 1})
//	t.Cleanup(srv.Close)
//	client := myclient.New(srv.URL(), srv.Key("Development"))
//	...
//	w, ok := srv.Workflow("Staging", "order-shipped")
//
// # Determinism
//
// Options.Seed fixes everything random, in two ways.
//
// Per-request choices (latency jitter, the P500/P502/P503 faults, the
// connection cut after a write, a 500's errorId) are not drawn from a
// shared source, whose order concurrent requests would shuffle. Each is a
// hash of the seed, the request's identity (environment, method, URL, and
// the body for POST) and its occurrence number: the first GET of
// /v2/workflows/a in Development, its first retry, and so on. A client that
// works on many workflows concurrently, but on each one from a single
// goroutine, therefore meets exactly the same faults in every run.
//
// Identifiers (environment, workflow and step _ids, duplicate-create and
// stepId suffixes, transaction ids) come from one math/rand/v2 source in the order the
// server creates them: repeatable for a sequential client, while concurrent
// creates may swap ids between runs. ObjectIds also embed the time; pass
// Options.Now to fix it. Faults.Burst429 counts requests in arrival order,
// like a real burst.
//
// The emulator shares no types with any client: its request decoding and
// response types are its own, so a wrong json tag on either side shows up
// as a failing test instead of two matching mistakes.
package novutest
