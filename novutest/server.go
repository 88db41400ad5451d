package novutest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// DuplicateCreate selects how POST /v2/workflows answers a workflowId that
// already exists in the environment.
type DuplicateCreate int

const (
	// Suffix answers 201 with a second workflow whose workflowId is the
	// requested one plus "-" and six lowercase alphanumerics (Novu's code).
	Suffix DuplicateCreate = iota
	// Conflict answers 409, as some expect but no Novu version read does.
	Conflict
)

// Options configure a Server. The zero value is a faithful, fault-free Novu
// with Development, Staging and Production.
type Options struct {
	// Environments names the environments in creation order; default
	// Development, Staging, Production. The first is the development
	// environment, the parent of the others. Names must be non-empty and
	// distinct.
	Environments []string
	// Keys maps an environment name (exactly as in Environments) to its
	// secret key; an environment left out gets DefaultKey(name). Every key
	// must be non-empty, without surrounding spaces, and different from
	// every other environment's key; NewServer and Serve panic otherwise,
	// since an empty key would let a request without Authorization in and
	// a shared one would make two environments one.
	Keys map[string]string
	// Seed makes the run repeatable: identifiers, duplicate-create
	// suffixes, faults, jitter and errorIds all derive from it (see the
	// package documentation for what stays fixed under concurrency).
	Seed int64
	// Latency is added to every request, plus a uniform random share of
	// Jitter.
	Latency, Jitter time.Duration
	// RateLimit is the token rate per second of each environment's buckets
	// (one per Novu category: configuration, trigger, global); 0 is off.
	RateLimit float64
	// Burst is the bucket size; default max(1, RateLimit).
	Burst int
	// Faults are injected from the start; see SetFaults.
	Faults Faults
	// AllowCrossEnvironmentReads makes GET /v2/workflows/{id}?environmentId=
	// and the environment diff read other environments, as older Novu did.
	// By default they answer 403 like current Novu.
	AllowCrossEnvironmentReads bool
	// DuplicateCreate selects Suffix (default) or Conflict.
	DuplicateCreate DuplicateCreate
	// MaxSteps is the step limit per workflow; default 20.
	MaxSteps int
	// DisableIdempotency ignores Idempotency-Key headers, like servers
	// without the feature flag.
	DisableIdempotency bool
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Wrap, if set, wraps the handler, e.g. with a conformance checker.
	Wrap func(http.Handler) http.Handler
}

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
	events    []Event
	limiters  map[string]*rate.Limiter
}

// NewServer starts an emulator on 127.0.0.1 with a random port. It panics
// when it cannot listen or opts are invalid (see Options.Keys), as
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
	if len(opts.Environments) == 0 {
		opts.Environments = []string{"Development", "Staging", "Production"}
	}
	keys, err := secretKeys(opts.Environments, opts.Keys)
	if err != nil {
		panic("novutest: " + err.Error())
	}
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Burst <= 0 {
		opts.Burst = max(1, int(opts.RateLimit))
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
		e := &envState{workflows: map[string]*Workflow{}, limiters: map[string]*rate.Limiter{}}
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
		if opts.RateLimit > 0 {
			for _, c := range []string{categoryConfiguration, categoryTrigger, categoryGlobal} {
				e.limiters[c] = rate.NewLimiter(rate.Limit(opts.RateLimit), opts.Burst)
			}
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

// secretKeys returns the key of each environment, in order, or an error
// naming the first environment name or key that cannot work.
func secretKeys(envs []string, keys map[string]string) ([]string, error) {
	out := make([]string, len(envs))
	owner := map[string]string{} // key to environment
	for i, name := range envs {
		if name == "" {
			return nil, fmt.Errorf("environment name %d in Options.Environments is empty; want a name such as Development", i+1)
		}
		if slices.Contains(envs[:i], name) {
			return nil, fmt.Errorf("environment %q is named twice in Options.Environments; want distinct names", name)
		}
		k, ok := keys[name]
		if !ok {
			k = DefaultKey(name)
		}
		switch {
		case k == "":
			return nil, fmt.Errorf("empty secret key for environment %q in Options.Keys; want a non-empty key", name)
		case strings.TrimSpace(k) != k:
			return nil, fmt.Errorf("secret key %q of environment %q has surrounding spaces, which no Authorization header carries; want a key without them", k, name)
		case owner[k] != "":
			return nil, fmt.Errorf("environments %q and %q share the secret key %q; want one key per environment", owner[k], name, k)
		}
		owner[k] = name
		out[i] = k
	}
	for _, name := range slices.Sorted(maps.Keys(keys)) {
		if !slices.Contains(envs, name) {
			return nil, fmt.Errorf("unknown environment %q in Options.Keys; want one of %s",
				name, strings.Join(envs, ", "))
		}
	}
	return out, nil
}

// DefaultKey is the secret key of an environment that Options.Keys leaves
// out: "dev-secret-key" for Development (any case), otherwise the name in
// lower case followed by "-secret-key".
func DefaultKey(name string) string {
	n := strings.ToLower(name)
	if n == "development" {
		n = "dev"
	}
	return n + "-secret-key"
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

// Key returns the secret key of the named environment, or "" when there is
// no such environment.
func (s *Server) Key(envName string) string {
	if e := s.envByName(envName); e != nil {
		return e.SecretKey
	}
	return ""
}

func (s *Server) envByName(name string) *envState {
	for _, e := range s.envs {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func (s *Server) envByID(id string) *envState {
	for _, e := range s.envs {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// envByKey finds the environment of a secret key; the empty key, which a
// request without Authorization presents, is nobody's.
func (s *Server) envByKey(key string) *envState {
	if key == "" {
		return nil
	}
	for _, e := range s.envs {
		if e.SecretKey == key {
			return e
		}
	}
	return nil
}

// Workflows returns deep copies of the environment's workflows sorted by
// workflowId (then _id), or nil for an unknown environment.
func (s *Server) Workflows(envName string) []Workflow {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		return nil
	}
	out := make([]Workflow, 0, len(e.workflows))
	for _, w := range e.workflows {
		out = append(out, w.clone())
	}
	slices.SortFunc(out, func(a, b Workflow) int {
		return cmp.Or(cmp.Compare(a.WorkflowID, b.WorkflowID), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Workflow returns a deep copy of the workflow with that workflowId.
func (s *Server) Workflow(envName, workflowID string) (Workflow, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		return Workflow{}, false
	}
	w := e.byWorkflowID(workflowID)
	if w == nil {
		return Workflow{}, false
	}
	return w.clone(), true
}

// EditWorkflow changes a stored workflow the way a dashboard user would:
// edit sees a copy, and the result is stored with a new updatedAt and
// recomputed slug, status and issues. Steps without an _id get one.
func (s *Server) EditWorkflow(envName, workflowID string, edit func(*Workflow)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		return fmt.Errorf("novutest: no environment %q", envName)
	}
	w := e.byWorkflowID(workflowID)
	if w == nil {
		return fmt.Errorf("novutest: no workflow %q in %s", workflowID, envName)
	}
	c := w.clone()
	edit(&c)
	c.ID, c.CreatedAt = w.ID, w.CreatedAt
	c.UpdatedAt = s.timestamp()
	s.store(e, &c)
	return nil
}

// PutWorkflow stores w as is (after filling _id, timestamps, origin and the
// computed fields when empty), e.g. to seed a workflow novugen did not make.
// A workflow with the same _id is replaced.
func (s *Server) PutWorkflow(envName string, w Workflow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		panic(fmt.Sprintf("novutest: PutWorkflow: no environment %q", envName))
	}
	c := w.clone()
	if c.ID == "" {
		c.ID = s.newObjectID()
	}
	now := s.timestamp()
	c.CreatedAt = cmp.Or(c.CreatedAt, now)
	c.UpdatedAt = cmp.Or(c.UpdatedAt, now)
	c.Origin = cmp.Or(c.Origin, originCloud)
	c.Severity = cmp.Or(c.Severity, "none")
	if c.Preferences.Default.Channels == nil {
		c.Preferences.Default = defaultPreferenceSet()
	}
	s.store(e, &c)
}

// Events returns the triggers accepted in the environment, oldest first.
func (s *Server) Events(envName string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		return nil
	}
	out := make([]Event, len(e.events))
	for i, ev := range e.events {
		ev.Payload = cloneMap(ev.Payload)
		out[i] = ev
	}
	return out
}

// SetFaults replaces the faults in force.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.served = 0
}

// store fills ids and computed fields of w and saves it. Callers hold s.mu.
func (s *Server) store(e *envState, w *Workflow) {
	for i := range w.Steps {
		if w.Steps[i].ID == "" {
			w.Steps[i].ID = s.newObjectID()
		}
	}
	refresh(w)
	e.workflows[w.ID] = w
}

func (e *envState) byWorkflowID(id string) *Workflow {
	for _, w := range e.workflows {
		if w.WorkflowID == id {
			return w
		}
	}
	return nil
}

// lookup resolves a path value as Novu's ParseSlugIdPipe does.
func (e *envState) lookup(pathValue string) *Workflow {
	dbID, wfID := resolvePathID(pathValue)
	if dbID != "" {
		if w := e.workflows[dbID]; w != nil {
			return w
		}
		// A 24-hex workflowId is misread as an _id, as in Novu (docs/novu-api.md §0 trap 8).
		return nil
	}
	return e.byWorkflowID(wfID)
}

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// timestamp formats now as JavaScript's toISOString does.
func (s *Server) timestamp() string { return s.now().Format("2006-01-02T15:04:05.000Z") }

func (s *Server) randomString(n int, alphabet string) string {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rand.IntN(len(alphabet))]
	}
	return string(b)
}
