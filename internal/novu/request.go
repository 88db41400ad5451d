package novu

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
)

// request is what every attempt of a call sends: the body, encoded once,
// the full URL, and the Idempotency-Key of a POST or PATCH.
type request struct {
	body    []byte
	target  string
	idemKey string
}

// prepare encodes k once for all its attempts. A POST or PATCH gets one
// Idempotency-Key per call (or per caller's operation, see
// WithIdempotencyKey), the same on every attempt: a server with idempotency
// on then answers a retry with the stored result.
func (c *Client) prepare(ctx context.Context, k call) (request, error) {
	var r request
	if k.in != nil {
		var err error
		if r.body, err = json.Marshal(k.in); err != nil {
			return r, fmt.Errorf("%s %s: encoding the request body: %w", k.method, k.path, err)
		}
	}
	r.target = c.baseString + k.path
	if len(k.query) > 0 {
		r.target += "?" + k.query.Encode()
	}
	if k.method == http.MethodPost || k.method == http.MethodPatch {
		r.idemKey, _ = ctx.Value(idempotencyKeyCtx{}).(string)
		if r.idemKey == "" {
			r.idemKey = newIdempotencyKey()
		}
	}
	return r, nil
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
