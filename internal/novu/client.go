package novu

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// maxServerWait is the longest Retry-After or RateLimit-Reset the client
// waits for. A server asking for more is treated as refusing: the call fails
// now rather than holding a CI job for an hour.
const maxServerWait = 5 * time.Minute

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

	mu         sync.Mutex
	rng        *mrand.Rand // jitter; not safe for concurrent use on its own
	pauseUntil time.Time   // RateLimit-Remaining hit 0: no attempt before this
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
	path   string // escaped path below the base URL, e.g. /v2/workflows/x
	query  url.Values
	in     any // request body, marshalled once
	out    any // where {"data": …} is decoded; nil for no body (DELETE)
	// repeatable marks a POST the server drops when it sees it again (a
	// trigger carrying its transactionId, docs/novu-api.md §12), so it is
	// retried like a PUT even when its outcome is unknown.
	repeatable bool
}

// attemptResult is what one attempt produced.
type attemptResult struct {
	status   int
	header   http.Header
	body     []byte
	tooLarge bool
	err      error // no complete answer
	timedOut bool  // err is the per-attempt timeout
	notSent  bool  // err happened before the request could reach the server
}

// do runs a call: waits for its turn under the rate limits, sends, decodes,
// and retries what can be retried.
//
// Why POST is special: Novu applies Idempotency-Key only where a feature flag
// is on (docs/novu-api.md §10), and a repeated create with the same workflowId answers
// 201 with a second, suffixed workflow (§5). So a POST is repeated only when
// the server certainly did not act on it: 429 (rate limited before the
// handler), 409 (the same key is still in progress, so the first attempt is
// the one that counts), or a connection that was never made. When the outcome
// is unknown (connection broken after sending, attempt timed out, 5xx, 408),
// the error satisfies ErrOutcomeUnknown and the caller GETs before deciding.
// PUT (update, sync), GET and DELETE converge to the same state when repeated,
// so they are retried on every retryable condition.
func (c *Client) do(ctx context.Context, k call) error {
	var body []byte
	if k.in != nil {
		var err error
		if body, err = json.Marshal(k.in); err != nil {
			return fmt.Errorf("%s %s: encoding the request body: %w", k.method, k.path, err)
		}
	}
	target := c.baseString + k.path
	if len(k.query) > 0 {
		target += "?" + k.query.Encode()
	}
	var idemKey string
	if k.method == http.MethodPost || k.method == http.MethodPatch {
		// One key per call (or per caller's operation, see
		// WithIdempotencyKey), the same on every attempt: a server with
		// idempotency on then answers a retry with the stored result.
		idemKey, _ = ctx.Value(idempotencyKeyCtx{}).(string)
		if idemKey == "" {
			idemKey = newIdempotencyKey()
		}
	}
	for attempt := 1; ; attempt++ {
		if err := c.waitTurn(ctx, k, attempt); err != nil {
			return err
		}
		res := c.attempt(ctx, k.method, target, body, idemKey)
		c.noteRateLimit(res.header)
		if idemKey != "" && res.header.Get("Idempotency-Key") == idemKey {
			c.idempotent.Store(true)
		}

		var (
			lastErr    error
			retry      bool
			status     int
			serverWait time.Duration
		)
		switch {
		case res.err != nil:
			re := &RequestError{Method: k.method, Path: k.path, Attempts: attempt, Err: res.err}
			sent := !res.notSent
			if ctx.Err() != nil {
				// The caller cancelled or its deadline passed: stop now.
				re.Err = ctx.Err()
				re.OutcomeUnknown = k.method == http.MethodPost && sent
				return re
			}
			if res.timedOut {
				re.Timeout = c.timeout
			}
			if k.method == http.MethodPost && sent && !k.repeatable {
				re.OutcomeUnknown = true
				return re
			}
			retry = res.timedOut || retryableTransport(res.err)
			lastErr = re
		case res.status >= 200 && res.status < 300:
			if res.tooLarge {
				return &DecodeError{Method: k.method, Path: k.path, Status: res.status,
					Reason: fmt.Sprintf("body larger than the %d-byte limit (Config.MaxBodyBytes)", c.maxBody)}
			}
			if k.out == nil {
				return nil
			}
			if err := decodeData(k.method, k.path, res.status, c.redact(res.body), k.out); err != nil {
				return err
			}
			return nil
		default:
			status = res.status
			ae := decodeError(k.method, k.path, res.status, c.redact(res.body))
			ae.baseURL = c.baseString
			ae.Retries = attempt - 1
			if res.status >= 300 && res.status < 400 {
				if loc := res.header.Get("Location"); loc != "" {
					ae.Message = append(ae.Message, "unexpected redirect to "+clip(loc, 200))
				}
			}
			retry = retryableStatus(res.status) && (k.repeatable || !outcomeUnknown(k.method, res.status))
			serverWait = retryAfter(res.header, res.status, c.now())
			lastErr = ae
		}
		if !retry {
			return lastErr
		}
		if attempt > c.maxRetries {
			if c.maxRetries == 0 {
				return lastErr // retries are off: nothing to explain
			}
			return gaveUp(lastErr, attempt, fmt.Sprintf("gave up after %d retries", c.maxRetries))
		}
		if serverWait > maxServerWait {
			return gaveUp(lastErr, attempt, fmt.Sprintf("the server asked to wait %s before retrying, more than %s", serverWait, maxServerWait))
		}
		wait := max(c.backoff(attempt), serverWait)
		if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
			return gaveUp(lastErr, attempt, fmt.Sprintf("gave up: the next attempt, in %s, would be after the deadline", wait.Round(time.Millisecond)))
		}
		c.mu.Lock()
		c.stats.Retries++
		c.stats.Waited += wait
		c.mu.Unlock()
		if c.onRetry != nil {
			c.onRetry(RetryInfo{Method: k.method, Path: k.path, Attempt: attempt, Status: status, Err: lastErr, Wait: wait})
		}
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w; stopped waiting to retry: %w", lastErr, err)
		}
	}
}

// gaveUp records on the last error why retrying stopped and how many attempts
// were made.
func gaveUp(err error, attempts int, why string) error {
	switch e := err.(type) {
	case *APIError:
		e.Retries = attempts - 1
		e.gaveUp = why
	case *RequestError:
		e.Attempts = attempts
		e.gaveUp = why
	}
	return err
}

// waitTurn waits for the shared limiter and for a rate-limit pause announced
// by the server, without passing the ctx deadline.
func (c *Client) waitTurn(ctx context.Context, k call, attempt int) error {
	fail := func(err error) error {
		return &RequestError{Method: k.method, Path: k.path, Attempts: attempt - 1, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return fail(fmt.Errorf("waiting for the rate limiter: %w", err))
		}
	}
	c.mu.Lock()
	pause := c.pauseUntil.Sub(c.now())
	c.mu.Unlock()
	if pause <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && c.now().Add(pause).After(dl) {
		return fail(fmt.Errorf("rate limit exhausted (RateLimit-Remaining: 0) and its reset, in %s, is after the deadline: %w", pause.Round(time.Millisecond), context.DeadlineExceeded))
	}
	c.mu.Lock()
	c.stats.Waited += pause
	c.stats.RateLimitPauses++
	c.mu.Unlock()
	if err := c.sleep(ctx, pause); err != nil {
		return fail(err)
	}
	return nil
}

// attempt sends one request and reads the whole body, all under the
// per-attempt timeout.
func (c *Client) attempt(ctx context.Context, method, target string, body []byte, idemKey string) attemptResult {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, target, rd)
	if err != nil {
		return attemptResult{err: err, notSent: true}
	}
	if method == http.MethodPost {
		// net/http replays a request on a broken keep-alive connection when
		// it thinks the request is idempotent, and it thinks so when an
		// Idempotency-Key header is set and the body can be rewound. Novu
		// may not honour the key, so without GetBody the transport cannot
		// repeat a create behind our back.
		req.GetBody = nil
	}
	req.Header.Set("Authorization", "ApiKey "+c.key.Reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "novugen")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}

	c.mu.Lock()
	c.stats.Requests++
	c.stats.BytesSent += int64(len(body))
	c.mu.Unlock()

	resp, err := c.hc.Do(req)
	if err != nil {
		c.countError()
		return attemptResult{err: cause(err), timedOut: timedOut(actx, ctx), notSent: notSent(err)}
	}
	defer resp.Body.Close()
	limit := c.maxBody
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Only messages and an excerpt are kept from an error body.
		limit = min(limit, maxErrorBody)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	c.mu.Lock()
	c.stats.BytesReceived += int64(len(data))
	c.mu.Unlock()
	if err != nil {
		c.countError()
		// The answer broke off: for a write, the server may have acted.
		return attemptResult{header: resp.Header, err: fmt.Errorf("reading the %d response: %w", resp.StatusCode, cause(err)), timedOut: timedOut(actx, ctx)}
	}
	c.mu.Lock()
	if c.stats.ByStatus == nil {
		c.stats.ByStatus = make(map[int]int64)
	}
	c.stats.ByStatus[resp.StatusCode]++
	c.mu.Unlock()
	res := attemptResult{status: resp.StatusCode, header: resp.Header, body: data}
	if int64(len(data)) > limit {
		res.tooLarge = true
		res.body = data[:limit]
	}
	return res
}

func (c *Client) countError() {
	c.mu.Lock()
	c.stats.TransportErrors++
	c.mu.Unlock()
}

// timedOut tells the per-attempt timeout apart from the caller's own
// deadline or cancellation.
func timedOut(actx, ctx context.Context) bool {
	return errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
}

// cause drops net/http's *url.Error wrapper, whose text repeats the method
// and the full URL, which the client's own errors already name.
func cause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// notSent reports errors that happen before the request can reach a server:
// the connection was never made, so even a POST may be sent again.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// retryableTransport reports whether a failure without an answer may go away
// by itself. Certificate problems and malformed requests do not.
func retryableTransport(err error) bool {
	var (
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		rhe tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &cv), errors.As(err, &ua), errors.As(err, &hn), errors.As(err, &ci), errors.As(err, &rhe):
		return false
	}
	return true
}

// retryableStatus lists the answers Novu's SDKs retry (docs/novu-api.md §11).
func retryableStatus(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooManyRequests:
		return true
	}
	return status >= 500 && status <= 599
}

// retryAfter reads how long the server asked us to wait: Retry-After in
// seconds or as an HTTP date, else on a 429 RateLimit-Reset (seconds).
func retryAfter(h http.Header, status int, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if d, ok := seconds(v); ok {
			return d
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	if status == http.StatusTooManyRequests {
		if d, ok := seconds(h.Get("RateLimit-Reset")); ok {
			return d
		}
	}
	return 0
}

// seconds parses a non-negative number of seconds, as Novu sends them.
func seconds(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if f > float64(24*time.Hour/time.Second) {
		f = float64(24 * time.Hour / time.Second) // huge values must not overflow
	}
	return time.Duration(f * float64(time.Second)), true
}

// noteRateLimit pauses every call of this client when Novu says the bucket
// is empty, until it refills, instead of spending requests on 429s.
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

// backoff is capped exponential backoff with full jitter: a random wait in
// [0, min(MaxBackoff, 1s × 1.5^(attempt-1))]. Jitter spreads the retries of
// concurrent workers that failed together.
func (c *Client) backoff(attempt int) time.Duration {
	base := min(time.Second, c.maxBackoff)
	ceil := float64(base) * math.Pow(1.5, float64(attempt-1))
	if ceil > float64(c.maxBackoff) {
		ceil = float64(c.maxBackoff)
	}
	c.mu.Lock()
	d := time.Duration(c.rng.Int64N(int64(ceil) + 1))
	c.mu.Unlock()
	return d
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

type idempotencyKeyCtx struct{}

// WithIdempotencyKey makes the POSTs and PATCHes sent with ctx carry key
// instead of a key of their own. A caller that sends a create again, after a
// GET showed the first did not land, reuses the key: a server still
// processing the first then answers 409 "in progress" and later replays it,
// instead of making a second, suffixed workflow. Use NewIdempotencyKey.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

// NewIdempotencyKey returns a random key for WithIdempotencyKey.
func NewIdempotencyKey() string { return newIdempotencyKey() }

func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return hex.EncodeToString(b[:])
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
