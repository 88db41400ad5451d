package novutest

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"net/http"
	"strconv"
)

const maxBody = 10 << 20

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
		if rt.read {
			n.Reads++
		}
	})
	send := func(rep reply) {
		s.bump(key, func(n *Count) { n.Status[rep.status]++ })
		write(w, rep)
	}

	if st, f := s.serverFault(d); st != 0 {
		send(c.faultReply(st, f, d))
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
	// Novu's throttler, then the bursts of Faults.Burst429, which only
	// requests the throttler let through take part in.
	retryAfter, header := s.limit(c.env, rt.category, max(rt.cost, costSingle))
	maps.Copy(w.Header(), header)
	if retryAfter == "" {
		if ra, burst := s.burst(); burst {
			retryAfter = strconv.Itoa(ra)
		}
	}
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
		send(c.fail(http.StatusTooManyRequests, "API rate limit exceeded", nil))
		return
	}
	if rep, ok := c.checkBody(bodyErr); !ok {
		send(rep)
		return
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

// checkBody answers a body that could not be read, is too large, or is
// declared as anything but JSON, as Nest's body parser does; ok lets the
// request through.
func (c *call) checkBody(readErr error) (rep reply, ok bool) {
	ct := c.r.Header.Get("Content-Type")
	switch {
	case readErr != nil:
		return c.nestFail(http.StatusBadRequest, "request body could not be read"), false
	case len(c.body) > maxBody:
		return c.nestFail(http.StatusRequestEntityTooLarge, "request entity too large"), false
	case len(c.body) > 0 || (bodyMethod(c.r.Method) && ct != ""):
		// A declared media type is checked even without a body, as a
		// body parser that rejects the type does before reading.
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return c.nestFail(http.StatusUnsupportedMediaType, "Unsupported Media Type"), false
		}
	}
	return reply{}, true
}

// decodeObject parses the request body as a JSON object, answering like
// Nest's body parser when it is not one.
func (c *call) decodeObject() (map[string]any, *reply) {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return map[string]any{}, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(c.body))
	if err := dec.Decode(&v); err != nil || dec.More() {
		rep := c.nestFail(http.StatusBadRequest, "Unexpected token in JSON body")
		return nil, &rep
	}
	m, ok := v.(map[string]any)
	if !ok {
		rep := c.nestFail(http.StatusBadRequest, "request body must be a JSON object")
		return nil, &rep
	}
	return m, nil
}

// object adapts an operation whose body is a JSON object: the body is
// decoded before op runs, and one that is not an object answered as
// decodeObject does.
func object(op func(*call, map[string]any) reply) func(*call) reply {
	return func(c *call) reply {
		m, bad := c.decodeObject()
		if bad != nil {
			return *bad
		}
		return op(c, m)
	}
}

func write(w http.ResponseWriter, rep reply) {
	maps.Copy(w.Header(), rep.header)
	if rep.body != nil && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(rep.status)
	if rep.body != nil {
		_, _ = w.Write(rep.body)
	}
}

// bodyMethod tells the methods whose requests carry a body in Novu's API.
func bodyMethod(m string) bool {
	return m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch
}
