package novu

import (
	"bytes"
	"context"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// maxErrorBody bounds what is read of an error answer; the rest is dropped.
const maxErrorBody = 1 << 20

// Client calls Novu's REST API with one secret key. It is safe for concurrent
// use; the calls share the rate-limit state and Stats.
type Client struct {
	base       *url.URL
	baseString string  // without a trailing slash, named in 401 errors
	key        *Secret // a pointer, so that printing a Client shows an address, not the key
	hc         *http.Client
	limiter    *rate.Limiter
	timeout    time.Duration
	maxBackoff time.Duration
	maxRetries int
	maxBody    int64
	onRetry    func(RetryInfo)

	// Replaced by tests, so that retries take no real time.
	sleep func(context.Context, time.Duration) error
	now   func() time.Time

	// idempotent is set once the server echoed an Idempotency-Key: the
	// organization has Novu's idempotency flag on (docs/novu-api.md §10), so a POST
	// repeated with the same key cannot create a second workflow.
	idempotent atomic.Bool

	// pace models Novu's rate-limit buckets from the RateLimit-* headers
	// (pace.go); pauseUntil is the fallback for answers it cannot model.
	pace *pacer

	mu         sync.Mutex
	rng        *mrand.Rand // jitter; not safe for concurrent use on its own
	pauseUntil time.Time   // RateLimit-Remaining hit 0 on an unpaced route: no attempt before this
	stats      Stats
}

// HonoursIdempotency reports whether the server has echoed an
// Idempotency-Key header on any answer this client received. Until it has,
// a repeated POST with the same key may be processed twice.
func (c *Client) HonoursIdempotency() bool { return c.idempotent.Load() }

// BaseURL is the URL the client sends to, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseString }

// call is one API call, which may take several attempts.
type call struct {
	method string
	route  string // the endpoint, e.g. "GET /v2/workflows/{workflowId}": what is paced together
	path   string // escaped path below the base URL, e.g. /v2/workflows/x
	query  url.Values
	in     any // request body, marshalled once
	out    any // where {"data": …} is decoded; nil for no body (DELETE)
	// repeatable marks a POST the server drops when it sees it again (a
	// trigger carrying its transactionId, docs/novu-api.md §12), so it is
	// retried like a PUT even when its outcome is unknown.
	repeatable bool
}

// do runs a call: waits for its turn under the rate limits, sends, decodes,
// and retries what can be retried.
//
// Why POST is special: Novu applies Idempotency-Key only where a feature flag
// is on (docs/novu-api.md §10), and a repeated create with the same workflowId answers
// 201 with a second, suffixed workflow (§5). So a POST is repeated only when
// the server certainly did not act on it: 429 (rate limited before the
// handler), 409 with Retry-After (the same key is still in progress, so the
// first attempt is the one that counts), or a connection that was never made. When the outcome
// is unknown (connection broken after sending, attempt timed out, 5xx, 408),
// the error satisfies ErrOutcomeUnknown and the caller GETs before deciding.
// PUT (update, sync), GET and DELETE converge to the same state when repeated,
// so they are retried on every retryable condition.
func (c *Client) do(ctx context.Context, k call) error {
	req, err := c.prepare(ctx, k)
	if err != nil {
		return err
	}
	if k.route == "" {
		k.route = k.method + " " + k.path
	}
	for attempt := 1; ; attempt++ {
		turn, err := c.waitTurn(ctx, k, attempt)
		if err != nil {
			return err
		}
		res := c.attempt(ctx, k.method, req.target, req.body, req.idemKey)
		if !c.pace.release(turn, res.header, res.status) {
			c.noteRateLimit(res.header)
		}
		if req.idemKey != "" && res.header.Get("Idempotency-Key") == req.idemKey {
			c.idempotent.Store(true)
		}
		v := c.classify(ctx, k, attempt, res)
		if v.done || !v.retry {
			return v.err
		}
		wait, err := c.retryWait(ctx, v, attempt)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.stats.Retries++
		c.stats.Waited += wait
		c.mu.Unlock()
		if c.onRetry != nil {
			c.onRetry(RetryInfo{Method: k.method, Path: k.path, Attempt: attempt, Status: v.status, Err: v.err, Wait: wait})
		}
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w; stopped waiting to retry: %w", v.err, err)
		}
	}
}

// waitTurn waits for the shared limiter, for a rate-limit pause announced
// by the server, and for a token in the route's bucket, without passing the
// ctx deadline. The ticket goes back to c.pace.release after the attempt.
func (c *Client) waitTurn(ctx context.Context, k call, attempt int) (ticket, error) {
	fail := func(err error) error {
		return &RequestError{Method: k.method, Path: k.path, Attempts: attempt - 1, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return ticket{}, fail(err)
	}
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return ticket{}, fail(fmt.Errorf("waiting for the rate limiter: %w", err))
		}
	}
	c.mu.Lock()
	pause := c.pauseUntil.Sub(c.now())
	c.mu.Unlock()
	if pause > 0 {
		if dl, ok := ctx.Deadline(); ok && c.now().Add(pause).After(dl) {
			return ticket{}, fail(fmt.Errorf("rate limit exhausted (RateLimit-Remaining: 0) and its reset, in %s, is after the deadline: %w", pause.Round(time.Millisecond), context.DeadlineExceeded))
		}
		c.mu.Lock()
		c.stats.Waited += pause
		c.stats.RateLimitPauses++
		c.mu.Unlock()
		if err := c.sleep(ctx, pause); err != nil {
			return ticket{}, fail(err)
		}
	}
	t, waited, err := c.pace.acquire(ctx, k.route)
	if err != nil {
		return ticket{}, fail(err)
	}
	if waited > 0 {
		c.mu.Lock()
		c.stats.Waited += waited
		c.stats.Paced++
		c.mu.Unlock()
	}
	return t, nil
}

// noteRateLimit pauses every call of this client when the server says the
// bucket is empty, until it refills, instead of spending requests on 429s.
// It is the fallback for answers the pacer cannot model (no window in
// RateLimit-Policy): RateLimit-Reset is all there is to go by.
func (c *Client) noteRateLimit(h http.Header) {
	if h == nil || strings.TrimSpace(h.Get("RateLimit-Remaining")) != "0" {
		return
	}
	d, ok := seconds(h.Get("RateLimit-Reset"))
	if !ok || d <= 0 {
		return
	}
	until := c.now().Add(min(d, maxServerWait))
	c.mu.Lock()
	if until.After(c.pauseUntil) {
		c.pauseUntil = until
	}
	c.mu.Unlock()
}

// redact replaces the key in a body before any of it reaches an error: a
// misbehaving server or proxy may echo request headers.
func (c *Client) redact(body []byte) []byte {
	k := c.key.Reveal()
	if k == "" || !bytes.Contains(body, []byte(k)) {
		return body
	}
	return bytes.ReplaceAll(body, []byte(k), []byte(redacted))
}
