package novu

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sentinel errors, tested with errors.Is.
var (
	// ErrNotFound: Novu answered 404 (unknown workflow, environment, route).
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: Novu answered 401, the secret key was refused. Never retried.
	ErrUnauthorized = errors.New("secret key refused")
	// ErrForbidden: Novu answered 403, e.g. a key scoped to another environment.
	ErrForbidden = errors.New("forbidden")
	// ErrOutcomeUnknown: a POST may or may not have taken effect (the connection
	// broke, the attempt timed out, or the server answered 5xx or 408). The
	// client did not repeat it; GET the resource before any new POST.
	ErrOutcomeUnknown = errors.New("outcome unknown")
)

// Limits that keep errors short whatever the server sends.
const (
	maxExcerpt       = 200 // characters of body quoted in an error
	maxMessages      = 10  // messages listed in Error(); the rest are counted
	maxMessageLength = 300 // characters kept per message
)

// APIError is a non-2xx answer from Novu, decoded from whichever error body
// form the server used (docs/novu-api.md §2.2). Message holds the "message" field (string
// or array form, or the messages of a 400 "errors" array without a path);
// Errors maps a field path to its messages (422 "errors" map, 400 "errors"
// array of {message, path}). Body is a short excerpt of the raw body, for bodies
// that are not Novu's JSON (an HTML page from a proxy, a bare string).
type APIError struct {
	Method  string
	Path    string // URL path, without query
	Status  int
	Message []string
	Errors  map[string][]string
	ErrorID string // Novu's errorId on 5xx, for support requests
	Body    string // excerpt of the raw body, at most 200 characters
	Retries int    // retries made before giving up with this answer

	baseURL string // named in the 401 message: which host refused the key
	gaveUp  string // why retrying stopped, when it did
}

// Error reads like Novu's own words, e.g.
// "PUT /v2/workflows/x: 422 Unprocessable Entity: steps.0.stepId: must match …".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.Status)
	if text := http.StatusText(e.Status); text != "" {
		b.WriteString(" " + text)
	}
	if e.Status == http.StatusUnauthorized {
		fmt.Fprintf(&b, ": the secret key was refused by %s (check that the key is this environment's secret key and belongs to this Novu host or region)", e.baseURL)
	}
	if d := e.detail(); d != "" {
		b.WriteString(": " + d)
	}
	if e.ErrorID != "" {
		fmt.Fprintf(&b, " (errorId %s)", e.ErrorID)
	}
	if e.Retries > 0 || e.gaveUp != "" {
		fmt.Fprintf(&b, " (%d attempts", e.Retries+1)
		if e.gaveUp != "" {
			b.WriteString("; " + e.gaveUp)
		}
		b.WriteString(")")
	}
	if outcomeUnknown(e.Method, e.Status) {
		b.WriteString("; the outcome is unknown: GET the resource before sending the POST again")
	}
	return b.String()
}

// detail is the human part: messages, then field errors, else the excerpt.
func (e *APIError) detail() string {
	var parts []string
	for _, m := range e.Message {
		parts = append(parts, clip(m, maxMessageLength))
	}
	fields := make([]string, 0, len(e.Errors))
	for f := range e.Errors {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		msgs := e.Errors[f]
		if len(msgs) == 0 {
			parts = append(parts, clip(f, maxMessageLength)+": invalid")
			continue
		}
		for _, m := range msgs {
			if f == "" {
				parts = append(parts, clip(m, maxMessageLength))
			} else {
				parts = append(parts, clip(f, 100)+": "+clip(m, maxMessageLength))
			}
		}
	}
	if len(parts) > maxMessages {
		parts = append(parts[:maxMessages], fmt.Sprintf("and %d more", len(parts)-maxMessages))
	}
	if len(parts) > 0 {
		return strings.Join(parts, "; ")
	}
	if e.Body != "" {
		return "body: " + e.Body
	}
	return ""
}

// Is makes errors.Is(err, ErrNotFound) and friends work on an *APIError.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrOutcomeUnknown:
		return outcomeUnknown(e.Method, e.Status)
	}
	return false
}

// RequestError is a request that got no complete HTTP answer: the connection
// failed or broke, the attempt timed out, or the context ended. Err is the
// cause (a net error, context.DeadlineExceeded, context.Canceled).
type RequestError struct {
	Method   string
	Path     string // URL path, without query
	Attempts int
	// Timeout is the per-attempt timeout that expired, or 0 when the request
	// did not time out.
	Timeout time.Duration
	// OutcomeUnknown is set for a POST that may have reached the server.
	OutcomeUnknown bool
	Err            error

	gaveUp string
}

func (e *RequestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	if e.Timeout > 0 {
		fmt.Fprintf(&b, "no complete response within %s (request timeout)", e.Timeout)
	} else {
		b.WriteString(e.Err.Error())
	}
	if e.Attempts > 1 || e.gaveUp != "" {
		fmt.Fprintf(&b, " (%d attempts", e.Attempts)
		if e.gaveUp != "" {
			b.WriteString("; " + e.gaveUp)
		}
		b.WriteString(")")
	}
	if e.OutcomeUnknown {
		b.WriteString("; the outcome is unknown: GET the resource before sending the POST again")
	}
	return b.String()
}

// Unwrap exposes the cause and, for an unknown outcome, ErrOutcomeUnknown.
func (e *RequestError) Unwrap() []error {
	if e.OutcomeUnknown {
		return []error{e.Err, ErrOutcomeUnknown}
	}
	return []error{e.Err}
}

// DecodeError is a 2xx answer whose body is not what the call expects: no
// {"data": …} envelope, the wrong JSON shape, or not JSON at all.
type DecodeError struct {
	Method string
	Path   string
	Status int
	Reason string // what was wrong, e.g. `no "data" envelope`
	Body   string // excerpt of the raw body
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("%s %s: %d %s: unexpected response: %s", e.Method, e.Path, e.Status, http.StatusText(e.Status), e.Reason)
	if e.Body != "" {
		s += "; body: " + e.Body
	}
	return s
}

// outcomeUnknown reports whether a status for this method leaves it unknown
// whether the server acted. Only POST matters: every other call we make is
// idempotent (PUT replaces, DELETE deletes, GET reads). A 5xx may come after
// the write was committed (a proxy timing out, a crash before the answer), and a
// 408 from a proxy may come after it forwarded the request.
func outcomeUnknown(method string, status int) bool {
	return method == http.MethodPost && (status >= 500 || status == http.StatusRequestTimeout)
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
