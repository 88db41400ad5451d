// Command novu-emulator serves the novutest Novu emulator on loopback, for
// demos and for clients in other languages (the @novu/api interop test).
//
// Usage:
//
//	novu-emulator [flags]
//
// The first line of standard output is the base URL; each environment
// follows on its own line as "name _id secret-key". The emulator stops
// cleanly on SIGINT or SIGTERM, exiting 0: requests still waiting out
// -latency are dropped at once, as by a server going away. Inspection endpoints, answering loopback
// clients only: GET /__emulator/state and GET /__emulator/counts.
//
// Flags:
//
//	-addr host:port        listen address, loopback only (default 127.0.0.1:0, a free port)
//	-environments a,b,c    environment names in creation order, the first the
//	                       development one (default Development,Staging,Production)
//	-keys name=key,...     secret keys by environment name, in any case, e.g.
//	                       -keys development=k1,production=k3; an environment left
//	                       out keeps dev-secret-key (Development) or its lower-case
//	                       name plus -secret-key. Keys must be non-empty, without
//	                       spaces, and differ between environments.
//	-seed n                seed of ids, suffixes, faults, jitter and errorIds
//	-tier name             rate limits of a Novu tier: free, pro, team, business,
//	                       enterprise or unlimited; one token bucket per environment
//	                       and category (trigger, configuration, global), e.g. free:
//	                       60/20/30 requests per second, buckets of 330/110/165
//	-workflow-rate-category c  bucket of the /v2/workflows requests: configuration
//	                       (default, current Novu) or global (older Novu), or trigger
//	-rate rps              token rate per environment and category, overriding the
//	                       tier's; without -tier, 0 (default) disables rate limiting
//	-burst n               bucket size, overriding the tier's (default the tier's,
//	                       or max(1, rate))
//	-latency d             added to every request, e.g. 20ms
//	-jitter d              uniform random extra latency up to d
//	-p500, -p502, -p503 p  probability of answering that status before processing
//	-retry-after-503 s     Retry-After seconds of a -p503 answer (default 1)
//	-cut p                 probability of dropping the connection after a write was applied
//	-burst429 N,M[,S]      after every N requests, answer the next M with 429 and
//	                       Retry-After: S seconds (default 1)
//	-cross-env-reads       honour ?environmentId= and the diff or publish of other
//	                       environments (older Novu); off by default, like current Novu
//	-duplicate-create suffix|legacy-suffix|conflict  answer to a create with an
//	                       existing workflowId: 201 with -<4 of [0-9a-z]> (current
//	                       Novu; 400 after two taken suffixes), 201 with -<7 to 14 of
//	                       [A-Za-z0-9_-]> (older Novu), or 409
//	-max-steps n           steps per workflow (default 20)
//	-no-idempotency        ignore Idempotency-Key headers
//	-version               print the module version and VCS revision it was built from, and exit
//
// Faults are seeded per request: the n-th identical request (same key,
// method, URL, and body for POST) meets the same fault and jitter in every
// run with the same -seed, however clients interleave; see package novutest.
package main

import "github.com/novugen/novugen/internal/cli"

func main() {
	// SIGINT and SIGTERM end the context: run stops the server cleanly and
	// returns 0.
	cli.Main(run)
}
