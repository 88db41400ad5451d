package notify

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/novugen/novugen/internal/novu"
)

// Config configures a Client. Only Key is required.
type Config struct {
	// BaseURL is Novu's API: https://api.novu.co (the default), the EU
	// region https://eu.api.novu.co, or a self-hosted server. Plain http://
	// is accepted on a loopback host only, where an emulator runs.
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
}

// DefaultConcurrency is Config.Concurrency's default.
const DefaultConcurrency = 4

// Client sends events to one Novu environment, the one of its key. It is
// safe for concurrent use; its requests share the rate-limit state.
type Client struct {
	nc          *novu.Client
	concurrency int
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
	return &Client{nc: nc, concurrency: n}, nil
}

// FromEnv is New with the key from NOVU_SECRET_KEY and the base URL from
// NOVU_API_URL (unset: Novu's US region), as cmd/apply reads them.
func FromEnv() (*Client, error) {
	key := os.Getenv("NOVU_SECRET_KEY")
	if key == "" {
		return nil, errors.New("notify: no secret key: set NOVU_SECRET_KEY to the environment's secret key")
	}
	return New(Config{BaseURL: os.Getenv("NOVU_API_URL"), Key: key})
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
