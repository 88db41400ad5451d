package novu

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxServerWait is the longest Retry-After or RateLimit-Reset the client
// waits for. A server asking for more is treated as refusing: the call fails
// now rather than holding a CI job for an hour.
const maxServerWait = 5 * time.Minute

// retryWait is how long to wait before the next attempt of a call whose
// attempt number attempt ended in v, or the error that ends the call: retries
// used up, a server asking to wait too long, or a wait past the deadline.
func (c *Client) retryWait(ctx context.Context, v verdict, attempt int) (time.Duration, error) {
	if attempt > c.maxRetries {
		if c.maxRetries == 0 {
			return 0, v.err // retries are off: nothing to explain
		}
		return 0, gaveUp(v.err, attempt, fmt.Sprintf("gave up after %d retries", c.maxRetries))
	}
	if v.serverWait > maxServerWait {
		return 0, gaveUp(v.err, attempt, fmt.Sprintf("the server asked to wait %s before retrying, more than %s", v.serverWait, maxServerWait))
	}
	wait := max(c.backoff(attempt), v.serverWait)
	if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
		return 0, gaveUp(v.err, attempt, fmt.Sprintf("gave up: the next attempt, in %s, would be after the deadline", wait.Round(time.Millisecond)))
	}
	return wait, nil
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
