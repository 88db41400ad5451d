// Package novutest runs an in-memory Novu API for tests, in the spirit of
// net/http/httptest and miniredis.
//
// A Server speaks the subset of Novu's REST API that novugen relies on
// (docs/novu-api.md): environments, workflows v2 (create, list, get,
// update, patch, delete, sync, step data), the event trigger, and the v2
// environment diff and publish. It reproduces the traps of the real service on purpose:
// the {"data": …} envelope, Novu's error bodies, full-replace PUT with step
// matching by _id, the 201-with-suffix answer to a duplicate create, sync
// rules, idempotency keys, token-bucket rate limits with RateLimit-* headers,
// and seeded faults (5xx, 429 bursts, connections cut after a write).
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
// Identifiers (environment and workflow _ids, duplicate-create suffixes,
// transaction ids) come from one math/rand/v2 source in the order the
// server creates them: repeatable for a sequential client, while concurrent
// creates may swap ids between runs. ObjectIds also embed the time; pass
// Options.Now to fix it. Faults.Burst429 counts requests in arrival order,
// like a real burst.
//
// The emulator shares no types with any client: its request decoding and
// response types are its own, so a wrong json tag on either side shows up
// as a failing test instead of two matching mistakes.
package novutest
