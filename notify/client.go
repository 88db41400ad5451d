package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/novugen/novugen/internal/novu"
)

// Config configures a Client. Only Key is required.
type Config struct {
	// BaseURL is Novu's API: DefaultBaseURL (the US region, the default),
	// EUBaseURL (the EU region), or a self-hosted server. Plain http:// is
	// accepted on a loopback host only, where an emulator runs.
	BaseURL string
	// Key is the environment's secret key. It is never printed: errors
	// and the Client's fmt forms leave it out.
	Key string
	// RequestTimeout bounds one attempt (default 30s); MaxRetries bounds
	// the retries of one request (default 10; negative: none).
	RequestTimeout time.Duration
	MaxRetries     int
	// Concurrency is how many bulk requests SendAll keeps in flight
	// (default 4).
	Concurrency int
	// TriggerRate is the trigger requests per second of your Novu plan
	// (free 60, pro 240, team 600, enterprise 6000; docs/novu-api.md §11).
	// When set, the client takes a request's cost (1, or 100 for a bulk or
	// broadcast request) from a bucket like Novu's (5 seconds of tokens
	// plus 10%) before sending, so SendAll runs at the plan's rate instead
	// of meeting 429s. Zero: no pacing of its own; a 429 is waited out as
	// its Retry-After says.
	TriggerRate int
}

// Novu's hosted regions, for Config.BaseURL: the US one is the default.
const (
	DefaultBaseURL = novu.DefaultBaseURL
	EUBaseURL      = novu.EUBaseURL
)

// DefaultConcurrency is Config.Concurrency's default.
const DefaultConcurrency = 4

// Client sends events to one Novu environment, the one of its key. It is
// safe for concurrent use; its requests share the rate-limit state.
type Client struct {
	nc          *novu.Client
	concurrency int
	bucket      *rate.Limiter // nil without Config.TriggerRate
}

// New checks cfg (the rules cmd/apply applies to NOVU_API_URL and
// NOVU_SECRET_KEY) and returns a Client. Errors never include the key.
func New(cfg Config) (*Client, error) {
	nc, err := novu.New(novu.Config{
		BaseURL:        cfg.BaseURL,
		Key:            novu.Secret(cfg.Key),
		RequestTimeout: cfg.RequestTimeout,
		MaxRetries:     cfg.MaxRetries,
	})
	if err != nil {
		return nil, errors.New("notify: " + strings.TrimPrefix(err.Error(), "novu: "))
	}
	n := cfg.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	c := &Client{nc: nc, concurrency: n}
	if cfg.TriggerRate < 0 {
		return nil, fmt.Errorf("notify: Config.TriggerRate %d: want 0 (no pacing) or your plan's trigger requests per second", cfg.TriggerRate)
	}
	if cfg.TriggerRate > 0 {
		// 1% under the plan's rate: Novu's bucket refills from when each
		// request arrives, a few milliseconds after the client counted it,
		// and a request that arrives a token short is a 429 and a
		// whole-second Retry-After.
		// The bucket holds at least one bulk request's cost: below 19 a
		// second (a rate set under the plan's) it would refuse every bulk
		// and broadcast request outright.
		c.bucket = rate.NewLimiter(rate.Limit(float64(cfg.TriggerRate)*paceMargin), max(bucketSize(cfg.TriggerRate), costBulk))
	}
	return c, nil
}

// paceMargin is the share of the plan's rate the client uses.
const paceMargin = 0.99

// Costs of the trigger requests in Novu's trigger bucket (docs/novu-api.md §11).
const (
	costSingle = 1
	costBulk   = 100
)

// bucketSize is Novu's bucket for perSecond: the tokens of a 5-second
// window plus a 10% burst allowance, rounded down (docs/novu-api.md §11).
func bucketSize(perSecond int) int {
	return perSecond * 5 * 11 / 10
}

// take waits until the bucket holds cost tokens, when the client paces.
func (c *Client) take(ctx context.Context, cost int) error {
	if c.bucket == nil {
		return nil
	}
	if err := c.bucket.WaitN(ctx, cost); err != nil {
		return fmt.Errorf("notify: waiting for the trigger rate: %w", err)
	}
	return nil
}

// FromEnv is New with the key from NOVU_SECRET_KEY and the base URL from
// NOVU_API_URL (unset: Novu's US region), read and checked as cmd/apply
// reads them.
func FromEnv() (*Client, error) {
	env, err := novu.ReadEnv(os.Getenv)
	if env.Key == "" {
		return nil, fmt.Errorf("notify: %w", novu.NoKeyError("the environment's secret key"))
	}
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return New(Config{BaseURL: env.BaseURL, Key: env.Key.Reveal()})
}

// BaseURL is the URL the client sends to.
func (c *Client) BaseURL() string { return c.nc.BaseURL() }

// Cancel cancels what is still pending (delays, digests) of the events
// sent with transactionID. It reports whether Novu found anything to
// cancel.
func (c *Client) Cancel(ctx context.Context, transactionID string) (bool, error) {
	if transactionID == "" {
		return false, errors.New("notify: Cancel: empty transactionId")
	}
	return c.nc.CancelTrigger(ctx, transactionID)
}
