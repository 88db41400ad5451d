package apply

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

// DefaultConcurrency is the number of workflows written at once when
// Config.Concurrency is 0. Novu's rate limit, not the worker count, bounds
// a run; eight workers keep a 30 ms round trip from idling the bucket.
const DefaultConcurrency = 8

// readFanout bounds the workflows planned at once. Reads change nothing, so
// Config.Concurrency, which bounds writes, does not bound them: each client
// paces its requests to its own rate-limit buckets (one per environment and
// category), which is what bounds a plan. This only caps the connections
// opened to a server that sends no rate limit.
const readFanout = 64

// Config configures an Engine.
type Config struct {
	// BaseURL is Novu's API (default novu.DefaultBaseURL).
	BaseURL string
	// Key is the secret key of the source environment (Development): every
	// write goes there, and syncs are sent with it.
	Key novu.Secret
	// TargetKeys optionally maps a target environment's name
	// (case-insensitive) to its own secret key. It is used to read that
	// environment, never to write: without it the plan falls back to
	// ?environmentId=, which current Novu refuses (docs/novu-api.md §4.3).
	TargetKeys map[string]novu.Secret
	// Targets names the environments to sync to, in order. nil means the
	// default: Staging then Production, each only if the organization has
	// it. An empty, non-nil slice means no targets.
	Targets []string
	// Only restricts the run to these workflowIds of the registry (and
	// the layouts they use).
	Only []string
	// Layouts are the registry's layouts (registry.File.Layouts), planned
	// and written in the source before the workflows.
	Layouts []registry.Layout
	// Owner identifies the registry (registry.File.Owner); it is required.
	// Workflows created in a run are tagged WorkflowTag(Owner, workflowId),
	// and only those (and their suffixed duplicates) can be pruned.
	Owner string
	// EnvironmentVariables names the environment variables the registry
	// declares (registry.File.EnvironmentVariables): the only ones its
	// templates may read as {{env.NAME}}. Plan checks that each has a
	// value in every environment the run writes to, as far as the keys
	// can read, and fails before any write when one has none.
	EnvironmentVariables []string
	// Prune deletes the source workflows this registry created whose
	// workflowId left the registry, and their suffixed duplicates. Without
	// it they are only listed in the plan.
	Prune bool
	// Concurrency bounds the workflows written at once (default 8). Plan
	// reads more at once (up to 64 workflows), paced by Novu's buckets.
	Concurrency int
	// RateLimit is the client-side request rate per key, in requests per
	// second (0: none; Novu's RateLimit-* headers and 429s are still
	// honoured). Burst is its bucket size (default 1).
	RateLimit float64
	Burst     int
	// HTTPClient, RequestTimeout, MaxBackoff and MaxRetries tune the Novu
	// clients (see novu.Config); tests shorten the backoff here.
	HTTPClient     *http.Client
	RequestTimeout time.Duration
	MaxBackoff     time.Duration
	MaxRetries     int
	// CreateSettle is how long a create whose answer was lost is looked
	// for (GET, with growing pauses) before it is sent again, when the
	// server has not shown that it honours Idempotency-Key (default 15 s;
	// see Engine.landed).
	CreateSettle time.Duration
	// WriteGrace bounds how long a write already sent may take to finish
	// after the run's context ends (default 1 minute): an interrupted run
	// lets writes in flight complete rather than leave their outcome
	// unknown, and starts nothing new.
	WriteGrace time.Duration
	// Progress, when set, is called after each workflow finishes a phase.
	// Calls are serialized.
	Progress func(Progress)
}

// Progress reports how far a phase has come.
type Progress struct {
	Phase      string // "plan" or "apply"
	Done       int
	Total      int
	WorkflowID string // the workflow that just finished
}

// DefaultTargets are the environments synced to when Config.Targets is nil,
// in this order, each only if the organization has it. Novu lists
// environments in creation order, and new organizations get Production
// before anyone makes Staging, so the order cannot come from Novu: it is
// fixed here.
var DefaultTargets = []string{"Staging", "Production"}

// Engine runs plans against one Novu organization. Make one with New.
type Engine struct {
	cfg     Config
	tag     string // OwnerTag(cfg.Owner)
	source  *novu.Client
	targets map[string]*novu.Client // upper-cased name → read-only client
	clients []*novu.Client          // every client, for request counts

	progressMu sync.Mutex
}

// New checks cfg and builds the Novu clients: one per key, each with its own
// rate limiter, since Novu keeps a bucket per environment.
func New(cfg Config) (*Engine, error) {
	if cfg.Concurrency < 0 {
		return nil, fmt.Errorf("apply: concurrency %d: want 1 or more (0 for the default %d)", cfg.Concurrency, DefaultConcurrency)
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.CreateSettle <= 0 {
		cfg.CreateSettle = 15 * time.Second
	}
	if cfg.WriteGrace <= 0 {
		cfg.WriteGrace = time.Minute
	}
	if cfg.Owner == "" {
		return nil, errors.New("apply: Config.Owner is empty; give the registry's owner (registry.File.Owner), which names the workflows this registry creates")
	}
	if cfg.Prune && len(cfg.Only) > 0 {
		return nil, errors.New("apply: Prune with Only would take every workflow outside Only for one that left the registry")
	}
	e := &Engine{cfg: cfg, tag: OwnerTag(cfg.Owner), targets: map[string]*novu.Client{}}
	var err error
	if e.source, err = e.client(cfg.Key); err != nil {
		return nil, fmt.Errorf("apply: source key: %w", err)
	}
	for name, key := range cfg.TargetKeys {
		c, err := e.client(key)
		if err != nil {
			return nil, fmt.Errorf("apply: key for %s: %w", name, err)
		}
		e.targets[strings.ToUpper(name)] = c
	}
	// The clients hold the keys now. fmt does not redact a Secret reached
	// through an unexported field, so a printed Engine (%+v) would show
	// them if e.cfg kept them.
	e.cfg.Key, e.cfg.TargetKeys = "", nil
	return e, nil
}

func (e *Engine) client(key novu.Secret) (*novu.Client, error) {
	var lim *rate.Limiter
	if e.cfg.RateLimit > 0 {
		lim = rate.NewLimiter(rate.Limit(e.cfg.RateLimit), max(1, e.cfg.Burst))
	}
	c, err := novu.New(novu.Config{
		BaseURL:        e.cfg.BaseURL,
		Key:            key,
		HTTPClient:     e.cfg.HTTPClient,
		Limiter:        lim,
		RequestTimeout: e.cfg.RequestTimeout,
		MaxBackoff:     e.cfg.MaxBackoff,
		MaxRetries:     e.cfg.MaxRetries,
	})
	if err != nil {
		return nil, err
	}
	e.clients = append(e.clients, c)
	return c, nil
}

// Requests is the number of HTTP requests the engine has sent so far, all
// keys together, retries included.
func (e *Engine) Requests() int { return e.sum(func(s novu.Stats) int64 { return s.Requests }) }

// Retries is the number of those requests that repeated one after a
// retryable failure (429, 5xx, a broken connection).
func (e *Engine) Retries() int { return e.sum(func(s novu.Stats) int64 { return s.Retries }) }

func (e *Engine) sum(f func(novu.Stats) int64) int {
	n := int64(0)
	for _, c := range e.clients {
		n += f(c.Stats())
	}
	return int(n)
}

func (e *Engine) progress(p Progress) {
	if e.cfg.Progress == nil {
		return
	}
	e.progressMu.Lock()
	defer e.progressMu.Unlock()
	e.cfg.Progress(p)
}

// failure turns an error from the client into a Failure: status and
// Novu's messages when Novu answered, the error text otherwise.
func failure(workflowID, op, env string, err error) *Failure {
	f := &Failure{WorkflowID: workflowID, Operation: op, Environment: env, Message: err.Error()}
	var apiErr *novu.APIError
	if errors.As(err, &apiErr) {
		f.Status = apiErr.Status
		if len(apiErr.Errors) > 0 {
			f.Fields = apiErr.Errors
		}
	}
	return f
}

// stepIndex finds Novu's "steps.N" (or "steps[N]") in a field name or message.
var stepIndex = regexp.MustCompile(`\bsteps(?:\.|\[)(\d+)`)

// inStep names the step of def that Novu's answer points at: Novu says
// steps.1.controlValues.subject, a reader needs the stepId.
func (f *Failure) inStep(def registry.Workflow) *Failure {
	texts := slices.Sorted(maps.Keys(f.Fields))
	texts = append(texts, f.Message)
	for _, t := range texts {
		if m := stepIndex.FindStringSubmatch(t); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(def.Steps) {
				f.Step = def.Steps[i].StepID
				return f
			}
		}
	}
	return f
}
