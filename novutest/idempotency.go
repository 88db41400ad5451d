package novutest

import (
	"fmt"
	"net/http"
	"time"
)

const (
	idemMaxKey     = 255
	idemInProgress = 5 * time.Minute
	idemKeep       = 24 * time.Hour
	idemDocs       = "https://docs.novu.co/additional-resources/idempotency"
)

// idemEntry is one Idempotency-Key of the organization (keys are not per
// environment, docs/novu-api.md §10).
type idemEntry struct {
	hash    [32]byte
	started time.Time
	done    bool
	reply   reply
}

// idemBegin claims key for this request. When done is true, rep is the
// answer to send instead of running the operation: a replay, a 409 while
// the first request is in progress, a 422 for a different body, or a 400
// for a key that is too long.
func (s *Server) idemBegin(c *call, key string, hash [32]byte) (rep reply, done bool) {
	if len(key) > idemMaxKey {
		return c.nestFail(http.StatusBadRequest, fmt.Sprintf(
			"idempotencyKey %q has exceeded the maximum allowed length of %d characters", key, idemMaxKey)), true
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.idem[key]
	if e != nil && !e.done && now.Sub(e.started) > idemInProgress {
		e = nil // the first request died; its claim expired
	}
	if e != nil && e.done && now.Sub(e.started) > idemKeep {
		e = nil
	}
	link := http.Header{"Link": {idemDocs}}
	switch {
	case e == nil:
		s.idem[key] = &idemEntry{hash: hash, started: now}
		return reply{}, false
	case !e.done:
		// Novu checks "in progress" before comparing bodies
		// (idempotency.interceptor.ts), so a different body sent while the
		// first request runs is a 409 too.
		rep = c.nestFail(http.StatusConflict,
			fmt.Sprintf("Request with key %q is currently being processed. Please retry after 1 second", key))
		rep.header = link.Clone()
		rep.header.Set("Retry-After", "1")
		return rep, true
	case e.hash != hash:
		// Novu sends no "errors" here, but every 422 in the document is a
		// ValidationErrorDto, which requires it; an empty map keeps SDKs
		// parsing.
		rep = c.fail(http.StatusUnprocessableEntity,
			fmt.Sprintf("Request with key %q is being reused for a different body", key),
			map[string]any{"error": http.StatusText(http.StatusUnprocessableEntity), "errors": map[string]any{}})
		rep.header = link
		return rep, true
	}
	rep = e.reply
	rep.wrote = false
	rep.header = rep.header.Clone()
	if rep.header == nil {
		rep.header = http.Header{}
	}
	rep.header.Set("Idempotency-Replay", "true")
	return rep, true
}

// idemFinish stores the answer for replays.
func (s *Server) idemFinish(key string, rep reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.idem[key]; e != nil {
		e.done = true
		e.reply = rep
	}
}
