package novutest

import (
	"crypto/sha256"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Novu's rate-limit categories (docs/novu-api.md §11).
const (
	categoryConfiguration = "configuration"
	categoryTrigger       = "trigger"
	categoryGlobal        = "global"
)

const maxBody = 10 << 20

type route struct {
	pattern  string
	op       string
	category string
	handle   func(*call) reply
}

// opUnmatched is the operation of requests no route matches. Nest's router
// answers them 404 before any guard runs, so no key, rate limit or body
// check applies to them.
const opUnmatched = "unknown"

// readOnly tells the operations that never change state; their requests
// are the Reads of Counts.
func readOnly(op string) bool {
	switch op {
	case "environments", "list", "get", "step", "diff":
		return true
	}
	return false
}

func (s *Server) routes() []route {
	return []route{
		{"GET /v1/environments", "environments", categoryGlobal, (*call).listEnvironments},
		{"POST /v2/workflows", "create", categoryConfiguration, (*call).createWorkflow},
		{"GET /v2/workflows", "list", categoryConfiguration, (*call).listWorkflows},
		{"GET /v2/workflows/{workflowId}", "get", categoryConfiguration, (*call).getWorkflow},
		{"PUT /v2/workflows/{workflowId}", "update", categoryConfiguration, (*call).updateWorkflow},
		{"PATCH /v2/workflows/{workflowId}", "patch", categoryConfiguration, (*call).patchWorkflow},
		{"DELETE /v2/workflows/{workflowId}", "delete", categoryConfiguration, (*call).deleteWorkflow},
		{"PUT /v2/workflows/{workflowId}/sync", "sync", categoryConfiguration, (*call).syncWorkflow},
		{"GET /v2/workflows/{workflowId}/steps/{stepId}", "step", categoryConfiguration, (*call).getStep},
		{"POST /v1/events/trigger", "trigger", categoryTrigger, (*call).trigger},
		{"POST /v2/environments/{targetEnvironmentId}/diff", "diff", categoryGlobal, (*call).diffEnvironments},
		{"POST /v2/environments/{targetEnvironmentId}/publish", "publish", categoryGlobal, (*call).publishEnvironment},
	}
}

func (s *Server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { s.run(rt, w, r) })
	}
	mux.HandleFunc("/__emulator/", s.admin)
	// Nest answers unknown routes and methods with 404 "Cannot <METHOD> <path>".
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.run(route{op: opUnmatched, category: categoryGlobal, handle: func(c *call) reply {
			return c.nestFail(http.StatusNotFound, fmt.Sprintf("Cannot %s %s", r.Method, r.URL.Path))
		}}, w, r)
	})
	return mux
}

// run is the pipeline every API request takes: latency, faults, routing,
// auth, rate limit, body checks, idempotency, the operation, and the
// cut-after-write fault. Each step answers exactly as Novu's corresponding
// layer would.
func (s *Server) run(rt route, w http.ResponseWriter, r *http.Request) {
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	c := &call{s: s, r: r, env: s.envByKey(apiKey(r))}
	key := CountKey{Op: rt.op}
	if c.env != nil {
		key.Env = c.env.Name
	}
	// The body is read first because a POST's identity, which the seeded
	// choices below depend on, includes it; problems with it are answered
	// later, where Nest would.
	var bodyErr error
	if r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodDelete {
		c.body, bodyErr = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	}
	d := s.beginDraws(requestIdentity(key.Env, r, c.body))
	if err := s.delay(r, d); err != nil {
		// The client went away, or the server is stopping: drop the
		// connection rather than let net/http answer an empty 200.
		panic(http.ErrAbortHandler)
	}
	s.bump(key, func(n *Count) {
		n.Requests++
		if readOnly(rt.op) {
			n.Reads++
		}
	})
	send := func(rep reply) {
		s.bump(key, func(n *Count) { n.Status[rep.status]++ })
		write(w, rep)
	}

	if st, f := s.serverFault(d); st != 0 {
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
		send(rep)
		return
	}
	if rt.op == opUnmatched {
		send(rt.handle(c))
		return
	}
	if c.env == nil {
		send(c.nestFail(http.StatusUnauthorized, "Unauthorized"))
		return
	}
	limited, header := s.limit(c.env, rt.category)
	for k, v := range header {
		w.Header()[k] = v
	}
	if limited != "" {
		w.Header().Set("Retry-After", limited)
		send(c.fail(http.StatusTooManyRequests, "API rate limit exceeded", nil))
		return
	}
	if ra, burst := s.burst(); burst {
		w.Header().Set("Retry-After", strconv.Itoa(ra))
		send(c.fail(http.StatusTooManyRequests, "API rate limit exceeded", nil))
		return
	}
	switch {
	case bodyErr != nil:
		send(c.nestFail(http.StatusBadRequest, "request body could not be read"))
		return
	case len(c.body) > maxBody:
		send(c.nestFail(http.StatusRequestEntityTooLarge, "request entity too large"))
		return
	case len(c.body) > 0 || (bodyMethod(r.Method) && r.Header.Get("Content-Type") != ""):
		// A declared media type is checked even without a body, as a
		// body parser that rejects the type does before reading.
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			send(c.nestFail(http.StatusUnsupportedMediaType, "Unsupported Media Type"))
			return
		}
	}

	idemKey := r.Header.Get("Idempotency-Key")
	useIdem := idemKey != "" && !s.opts.DisableIdempotency &&
		(r.Method == http.MethodPost || r.Method == http.MethodPatch)
	if useIdem {
		w.Header().Set("Idempotency-Key", idemKey)
		if rep, done := s.idemBegin(c, idemKey, sha256.Sum256(c.body)); done {
			send(rep)
			return
		}
	}
	if s.testHook != nil {
		s.testHook(r)
	}
	rep := rt.handle(c)
	if useIdem {
		s.idemFinish(idemKey, rep)
	}
	if rep.wrote {
		s.bump(key, func(n *Count) { n.Writes++ })
		if s.cutFault(d) {
			s.bump(key, func(n *Count) { n.Cut++ })
			// Dropping the connection after the write is what a client sees
			// when a proxy or the network fails on the way back.
			panic(http.ErrAbortHandler)
		}
	}
	send(rep)
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

func write(w http.ResponseWriter, rep reply) {
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	if rep.body != nil && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(rep.status)
	if rep.body != nil {
		_, _ = w.Write(rep.body)
	}
}

// apiKey returns the key of "Authorization: ApiKey <key>", or "".
func apiKey(r *http.Request) string {
	scheme, key, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || scheme != "ApiKey" {
		return ""
	}
	return strings.TrimSpace(key)
}

// bodyMethod tells the methods whose requests carry a body in Novu's API.
func bodyMethod(m string) bool {
	return m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch
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

// limit takes a token from the environment's bucket for category. It
// returns the Retry-After value when the bucket is empty, and the
// RateLimit-* headers to send either way.
func (s *Server) limit(e *envState, category string) (retryAfter string, h http.Header) {
	lim := e.limiters[category]
	if lim == nil {
		return "", nil
	}
	now := s.opts.Now()
	allowed := lim.AllowN(now, 1)
	tokens := max(0, lim.TokensAt(now))
	r := float64(lim.Limit())
	burst := lim.Burst()
	h = http.Header{}
	h.Set("RateLimit-Limit", strconv.Itoa(int(math.Ceil(r))))
	h.Set("RateLimit-Remaining", strconv.Itoa(int(math.Floor(tokens))))
	h.Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil((float64(burst)-tokens)/r))))
	h.Set("RateLimit-Policy", fmt.Sprintf(`%d;w=1;burst=%d;comment="token bucket";category="%s";cost="single"`,
		int(math.Ceil(r)), burst, category))
	if allowed {
		return "", h
	}
	return strconv.Itoa(max(1, int(math.Ceil((1-tokens)/r)))), h
}
