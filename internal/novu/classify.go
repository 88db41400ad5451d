package novu

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// verdict is what one attempt's result means for the call.
type verdict struct {
	err        error         // the call's error if it ends here (nil on success)
	done       bool          // the call ends here, whatever retry says
	retry      bool          // another attempt may succeed
	status     int           // the HTTP status, 0 without an answer
	serverWait time.Duration // what the server asked to wait before the next attempt
}

// classify turns one attempt's result into a verdict: success (decoded into
// k.out), an error to return, or an error worth another attempt. A POST
// whose outcome is unknown is never retried here (see do).
func (c *Client) classify(ctx context.Context, k call, attempt int, res attemptResult) verdict {
	switch {
	case res.err != nil:
		re := &RequestError{Method: k.method, Path: k.path, Attempts: attempt, Err: res.err}
		sent := !res.notSent
		if ctx.Err() != nil {
			// The caller cancelled or its deadline passed: stop now.
			re.Err = ctx.Err()
			re.OutcomeUnknown = k.method == http.MethodPost && sent
			return verdict{err: re, done: true}
		}
		if res.timedOut {
			re.Timeout = c.timeout
		}
		if k.method == http.MethodPost && sent && !k.repeatable {
			re.OutcomeUnknown = true
			return verdict{err: re, done: true}
		}
		return verdict{err: re, retry: res.timedOut || retryableTransport(res.err)}
	case res.status >= 200 && res.status < 300:
		if res.tooLarge {
			return verdict{done: true, err: &DecodeError{Method: k.method, Path: k.path, Status: res.status,
				Reason: fmt.Sprintf("body larger than the %d-byte limit (Config.MaxBodyBytes)", c.maxBody)}}
		}
		if k.out == nil {
			return verdict{done: true}
		}
		return verdict{done: true, err: decodeData(k.method, k.path, res.status, c.redact(res.body), k.out)}
	default:
		ae := decodeError(k.method, k.path, res.status, c.redact(res.body))
		ae.baseURL = c.baseString
		ae.Retries = attempt - 1
		if res.status >= 300 && res.status < 400 {
			if loc := res.header.Get("Location"); loc != "" {
				ae.Message = append(ae.Message, "unexpected redirect to "+clip(loc, 200))
			}
		}
		return verdict{
			err:        ae,
			status:     res.status,
			retry:      retryableStatus(res.status, res.header) && (k.repeatable || !outcomeUnknown(k.method, res.status)),
			serverWait: retryAfter(res.header, res.status, c.now()),
		}
	}
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

// retryableStatus lists the answers Novu's SDKs retry (docs/novu-api.md §11),
// but for one: a 409 is retried only when it says when to come back
// (Retry-After), which is how Novu answers a request whose idempotency key
// is still in progress (§10). Every other 409 Novu sends is a conflict that
// repeating cannot resolve (a layout identifier or an environment variable
// key taken, the default layout deleted, §4.8, §8.3): retrying it only spends
// the rate limit and the run's time before the same error.
func retryableStatus(status int, h http.Header) bool {
	switch status {
	case http.StatusConflict:
		return h.Get("Retry-After") != ""
	case http.StatusRequestTimeout, http.StatusTooManyRequests:
		return true
	}
	return status >= 500 && status <= 599
}
