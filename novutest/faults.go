package novutest

import (
	"net/http"
	"strconv"
	"time"
)

// Faults inject failures. Probabilities are in [0, 1]. Whether a request
// is hit is a function of Options.Seed, the request (environment, method,
// URL, and body for POST) and how many identical requests came before it,
// so the n-th retry of one request meets the same fault in every run with
// the same seed, whatever other requests run concurrently.
type Faults struct {
	// P500, P502, P503 answer that status before the request is processed.
	P500, P502, P503 float64
	// RetryAfter503 is the Retry-After, in seconds, of a P503 answer; 0
	// sends "0", so client tests stay fast.
	RetryAfter503 int
	// CutAfterWrite applies a successful write, then drops the connection
	// without an answer, so the client sees an error although state changed.
	CutAfterWrite float64
	// Burst429 answers 429 to bursts of authenticated requests.
	Burst429 Burst429
}

// Burst429 makes 429 bursts: after every Every authenticated requests, the
// next Length requests get 429 with Retry-After: RetryAfter (seconds; 0
// sends "0" so client tests stay fast). Requests are numbered in the order
// they arrive, so the pattern is fixed, but which of several concurrent
// requests falls in a burst depends on their timing, as with a real burst.
type Burst429 struct {
	Every, Length, RetryAfter int
}

// SetFaults replaces the faults in force.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.served = 0
}

// latency is the delay of one request: Options.Latency plus its seeded
// share of Options.Jitter.
func (s *Server) latency(dr draws) time.Duration {
	d := s.opts.Latency
	if s.opts.Jitter > 0 {
		d += time.Duration(dr.float("jitter") * float64(s.opts.Jitter))
	}
	return d
}

// delay waits out the request's latency. It returns early with an error
// when the request's context ends: the client went away, or the server
// began to stop (the base context set in serve).
func (s *Server) delay(r *http.Request, dr draws) error {
	d := s.latency(dr)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-r.Context().Done():
		return r.Context().Err()
	}
}

// serverFault decides the 5xx fault of a request; it returns 0 for none,
// and the faults in force.
func (s *Server) serverFault(d draws) (int, Faults) {
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	if f.P500+f.P502+f.P503 <= 0 {
		return 0, f
	}
	x := d.float("fault")
	switch {
	case x < f.P500:
		return http.StatusInternalServerError, f
	case x < f.P500+f.P502:
		return http.StatusBadGateway, f
	case x < f.P500+f.P502+f.P503:
		return http.StatusServiceUnavailable, f
	}
	return 0, f
}

// faultReply is the answer of a request hit by the 5xx fault st: Novu's
// error body, or for 502 the page of the proxy in front of it.
func (c *call) faultReply(st int, f Faults, d draws) reply {
	rep := c.fail(st, http.StatusText(st), nil)
	switch st {
	case http.StatusInternalServerError:
		rep = c.fail(st, "Internal server error, contact support and provide them with the errorId",
			map[string]any{"errorId": d.uuid("errorId")})
	case http.StatusServiceUnavailable:
		// The document allows Retry-After on 503 (docs/novu-api.md §11).
		rep.header = http.Header{"Retry-After": {strconv.Itoa(f.RetryAfter503)}}
	case http.StatusBadGateway:
		// A 502 comes from a proxy in front of Novu, not from Novu:
		// an HTML page, which a client must survive.
		rep = reply{status: st, body: []byte(badGatewayPage),
			header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}}
	}
	return rep
}

// badGatewayPage is what a load balancer answers when Novu is unreachable.
const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

func (s *Server) cutFault(d draws) bool {
	s.mu.Lock()
	p := s.faults.CutAfterWrite
	s.mu.Unlock()
	return p > 0 && d.float("cut") < p
}

// burst applies Faults.Burst429 to an authenticated request.
func (s *Server) burst() (retryAfter int, limited bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.faults.Burst429
	if b.Every <= 0 || b.Length <= 0 {
		return 0, false
	}
	pos := s.served % (b.Every + b.Length)
	s.served++
	return b.RetryAfter, pos >= b.Every
}
