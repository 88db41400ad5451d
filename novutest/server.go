package novutest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Server is a running emulator. Its methods are safe for concurrent use.
type Server struct {
	opts     Options
	org      string
	user     string
	envs     []*envState
	listener net.Listener
	http     *http.Server
	handler  http.Handler
	closeMu  sync.Once
	// stopping is the base context of every request on the listener; it is
	// cancelled when Shutdown or Close starts, so requests waiting out
	// Options.Latency give up at once instead of holding the stop.
	stopping context.Context
	stop     context.CancelFunc

	randMu sync.Mutex
	rand   *rand.Rand

	// inFlight counts API requests between arrival and answer, latency
	// included.
	inFlight atomic.Int64

	mu      sync.Mutex // guards everything below and envState contents
	envVars []*EnvVar  // the organization's environment variables, in creation order
	faults  Faults
	served  int // authenticated requests, for Burst429
	counter uint32
	counts  Counts
	idem    map[string]*idemEntry
	// occurrences numbers requests of one identity, for draws.
	occurrences map[[32]byte]uint64

	// testHook, when set, runs after idempotency reservation and before the
	// operation; tests use it to hold a request in flight.
	testHook func(r *http.Request)
}

type envState struct {
	Environment
	typ      string
	parentID string
	// workflows by _id
	workflows map[string]*Workflow
	layouts   map[string]*Layout // by _id; nil until the first
	events    []Event
	webhooks  []Webhook
	buckets   map[string]*bucket // by category; nil when rate limiting is off
}

// NewServer starts an emulator on 127.0.0.1 with a random port. It panics
// when it cannot listen or opts are invalid (see Options.Keys,
// RateLimitTier, WorkflowRateCategory, RateLimit and Burst), as
// httptest.NewServer panics on misuse.
func NewServer(opts Options) *Server {
	s := newServer(opts)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("novutest: listen on 127.0.0.1: %v", err))
	}
	s.serve(l)
	return s
}

// Serve starts an emulator on l; cmd/novu-emulator uses it to listen on an
// address of its choice. Close stops it and closes l. Like NewServer, it
// panics when opts are invalid.
func Serve(l net.Listener, opts Options) *Server {
	s := newServer(opts)
	s.serve(l)
	return s
}

func (s *Server) serve(l net.Listener) {
	s.listener = l
	s.stopping, s.stop = context.WithCancel(context.Background())
	s.http = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return s.stopping }}
	go func() { _ = s.http.Serve(l) }()
}

func newServer(opts Options) *Server {
	opts, keys, err := settle(opts)
	if err != nil {
		panic("novutest: " + err.Error())
	}
	seed := uint64(opts.Seed)
	s := &Server{
		opts:   opts,
		rand:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		faults: opts.Faults,
		counts: Counts{},
		idem:   map[string]*idemEntry{},

		occurrences: map[[32]byte]uint64{},
	}
	s.org = s.newObjectID()
	s.user = s.newObjectID()
	var devID string
	for i, name := range opts.Environments {
		e := &envState{workflows: map[string]*Workflow{}, buckets: newBuckets(opts)}
		e.ID = s.newObjectID()
		e.Name = name
		e.Identifier = s.randomString(12, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
		e.SecretKey = keys[i]
		e.typ = "prod"
		if i == 0 {
			e.typ = "dev"
			devID = e.ID
		} else {
			e.parentID = devID
		}
		s.envs = append(s.envs, e)
	}
	var h http.Handler = s.mux()
	if opts.Wrap != nil {
		h = opts.Wrap(h)
	}
	s.handler = h
	return s
}

// URL returns the base URL, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() }

// Close stops the server and drops open connections.
func (s *Server) Close() {
	s.closeMu.Do(func() {
		if s.http != nil {
			s.stop()
			_ = s.http.Close()
		}
	})
}

// Shutdown stops the server gracefully: it stops accepting connections and
// waits for requests in flight, except that a request still waiting out
// Options.Latency or Jitter is dropped at once, as a server going away
// drops it, so that a long latency does not hold the stop.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.http == nil {
		return nil
	}
	s.stop()
	err := s.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		s.Close()
	}
	return err
}

// InFlight is the number of API requests the server holds: received, not
// yet answered or dropped, including those waiting out Options.Latency.
func (s *Server) InFlight() int { return int(s.inFlight.Load()) }

// Handler returns the emulator's handler (wrapped by Options.Wrap), for use
// in-process without a listener. A CutAfterWrite fault, and a request
// whose context ends while it waits out Options.Latency, panic with
// http.ErrAbortHandler, which net/http turns into a dropped connection.
func (s *Server) Handler() http.Handler { return s.handler }

// Environments returns the environments in creation order.
func (s *Server) Environments() []Environment {
	out := make([]Environment, len(s.envs))
	for i, e := range s.envs {
		out[i] = e.Environment
	}
	return out
}
