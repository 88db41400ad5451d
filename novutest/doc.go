// Package novutest runs an in-memory Novu API for tests, in the spirit of
// net/http/httptest and miniredis.
//
// A Server speaks the subset of Novu's REST API that novugen relies on
// (../shared/novu/API.md): environments, workflows v2 (create, list, get,
// update, patch, delete, sync, step data), the event trigger, and the v2
// environment diff. It reproduces the traps of the real service on purpose:
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
// Everything random (identifiers, suffixes, faults, jitter) comes from one
// math/rand/v2 source seeded by Options.Seed, so a run is repeatable; pass
// Options.Now as well to make timestamps and ObjectIds repeatable.
//
// The emulator shares no types with any client: its request decoding and
// response types are its own, so a wrong json tag on either side shows up
// as a failing test instead of two matching mistakes.
package novutest
