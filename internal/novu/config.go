package novu

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Novu's hosted API: DefaultBaseURL, the US region, is the default;
// self-hosted Novu serves the same paths on its own host.
const (
	DefaultBaseURL = "https://api.novu.co"
	EUBaseURL      = "https://eu.api.novu.co"
)

// Defaults for the zero values of Config.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxBackoff     = 30 * time.Second
	DefaultMaxBodyBytes   = 8 << 20
	DefaultMaxRetries     = 10
)

// Config configures a Client. Only Key is required.
type Config struct {
	// BaseURL is https://host[:port][/path]. Plain http:// is accepted only for
	// a loopback host (127.0.0.0/8, ::1, localhost), where an emulator runs:
	// anywhere else it would send the secret key in clear text.
	BaseURL string
	// Key is the environment's secret key, sent as "Authorization: ApiKey <key>"
	// to BaseURL's host and nowhere else.
	Key Secret
	// HTTPClient is used for the requests when set. It is copied, not changed:
	// the copy gets a redirect policy that drops the key off-host, and a
	// transport that skips TLS verification is refused.
	HTTPClient *http.Client
	// Limiter, when set, is waited on before every attempt; share one between
	// clients that use the same key. With it or not, the client paces itself
	// from Novu's RateLimit-* headers: per bucket (category), it spends the
	// burst and then sends at the refill rate (see pace.go).
	Limiter *rate.Limiter
	// RequestTimeout bounds one attempt, from sending the request to reading
	// the last byte of the body, so that a server that never answers or
	// trickles bytes cannot hold a worker. The overall deadline is the ctx's.
	RequestTimeout time.Duration
	// MaxBackoff caps the exponential backoff between retries (base 1s, ×1.5
	// per attempt as Novu's SDKs do, full jitter). A Retry-After from the
	// server is honoured even when longer.
	MaxBackoff time.Duration
	// MaxRetries bounds the retries of one call (default 10; negative: none).
	MaxRetries int
	// MaxBodyBytes bounds a response body; a larger success body is an error.
	MaxBodyBytes int64
	// OnRetry, when set, is called before each wait for a retry.
	OnRetry func(RetryInfo)
}

// RetryInfo describes one retry, for Config.OnRetry.
type RetryInfo struct {
	Method  string
	Path    string
	Attempt int           // the attempt that failed, from 1
	Status  int           // HTTP status of the failed attempt, 0 when there was no answer
	Err     error         // why it failed
	Wait    time.Duration // how long the client waits before the next attempt
}

// New checks cfg and returns a Client. Errors name the setting at fault and
// never include the key.
func New(cfg Config) (*Client, error) {
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	key := strings.TrimSpace(cfg.Key.Reveal())
	// Novu's SDKs accept the key with or without the scheme word; so do we.
	key = strings.TrimPrefix(key, "ApiKey ")
	if key == "" {
		return nil, errors.New("novu: no secret key: set Config.Key to the environment's secret key")
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] == 0x7f {
			return nil, errors.New("novu: the secret key contains spaces or control characters; copy it again from the Novu dashboard (API Keys)")
		}
	}
	hc, err := httpClient(cfg.HTTPClient, base)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:       base,
		baseString: strings.TrimSuffix(base.String(), "/"),
		key:        new(Secret(key)),
		hc:         hc,
		limiter:    cfg.Limiter,
		timeout:    orDefault(cfg.RequestTimeout, DefaultRequestTimeout),
		maxBackoff: orDefault(cfg.MaxBackoff, DefaultMaxBackoff),
		maxRetries: cfg.MaxRetries,
		maxBody:    cfg.MaxBodyBytes,
		onRetry:    cfg.OnRetry,
		sleep:      sleepCtx,
		now:        time.Now,
		rng:        mrand.New(mrand.NewPCG(seed(), seed())),
	}
	// Through c, so that tests replacing c.now and c.sleep pace on their clock.
	c.pace = newPacer(func() time.Time { return c.now() }, func(ctx context.Context, d time.Duration) error { return c.sleep(ctx, d) })
	if c.maxRetries == 0 {
		c.maxRetries = DefaultMaxRetries
	} else if c.maxRetries < 0 {
		c.maxRetries = 0
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func seed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return binary.LittleEndian.Uint64(b[:])
}

const acceptedBaseURL = "want https://host[:port][/path], or http:// with a loopback host (127.0.0.1, ::1, localhost)"

// urlProblem is what parseBaseURL finds wrong with a base URL.
type urlProblem int

// The problems, in the order parseBaseURL looks for them.
const (
	urlMalformed   urlProblem = iota + 1 // url.Parse refuses it
	urlScheme                            // neither https nor http, often no URL at all
	urlNoHost                            // no host
	urlCredentials                       // user or password in the URL
	urlQuery                             // a query or a fragment
	urlPlainHTTP                         // http:// on a host that is not loopback
)

// baseURLError is a base URL parseBaseURL refuses. Its message is about
// Config.BaseURL and shows the URL redacted (url.URL.Redacted); envError
// words it for NOVU_API_URL, showing at most Origin.
type baseURLError struct {
	Problem urlProblem
	// Origin is scheme://host for the problems found after the scheme and
	// host were read (credentials, query, plain http), else empty.
	Origin string
	shown  string
}

func (e *baseURLError) Error() string {
	switch e.Problem {
	case urlMalformed:
		// url.Parse errors quote the input, which may hold credentials.
		return "novu: base URL is malformed: " + acceptedBaseURL
	case urlCredentials:
		return fmt.Sprintf("novu: base URL %q carries credentials; the secret key goes in Config.Key, not in the URL", e.shown)
	case urlNoHost:
		return fmt.Sprintf("novu: base URL %q has no host: %s", e.shown, acceptedBaseURL)
	case urlQuery:
		return fmt.Sprintf("novu: base URL %q has a query or fragment: %s", e.shown, acceptedBaseURL)
	case urlPlainHTTP:
		return fmt.Sprintf("novu: base URL %q uses plain http:// on a host that is not loopback, which would send the secret key unencrypted: use https://, or http:// only with 127.0.0.1, ::1 or localhost", e.shown)
	}
	return fmt.Sprintf("novu: base URL %q: %s", e.shown, acceptedBaseURL)
}

// parseBaseURL accepts https URLs with a host and no credentials, query
// or fragment, and http ones on loopback only, so that the key never
// travels in clear text over a network. A trailing slash of the path is
// dropped. Its errors are *baseURLError.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &baseURLError{Problem: urlMalformed}
	}
	fail := func(p urlProblem) (*url.URL, error) {
		e := &baseURLError{Problem: p, shown: u.Redacted()}
		// Scheme and host are known good only past those checks.
		if p != urlScheme && p != urlNoHost {
			e.Origin = u.Scheme + "://" + u.Host
		}
		return nil, e
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return fail(urlScheme)
	case u.Host == "" || u.Hostname() == "":
		return fail(urlNoHost)
	case u.User != nil:
		return fail(urlCredentials)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return fail(urlQuery)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return fail(urlPlainHTTP)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// httpClient copies the caller's client (or makes one) and installs the
// redirect policy. Authorization is dropped on any redirect that leaves the
// configured scheme and host: net/http's own rule keeps it for subdomains,
// which is not strict enough for a secret key.
func httpClient(user *http.Client, base *url.URL) (*http.Client, error) {
	var hc http.Client
	if user != nil {
		hc = *user
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// apply runs several workers against one host, and a plan reads up
		// to 64 workflows at once.
		t.MaxIdleConnsPerHost = 64
		hc.Transport = t
	}
	tr := hc.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	if t, ok := tr.(*http.Transport); ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify {
		return nil, errors.New("novu: Config.HTTPClient skips TLS certificate verification (InsecureSkipVerify), which would expose the secret key; use a verifying transport")
	}
	userCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if via[0].Method != http.MethodGet {
			// A 301/302 would turn the write into a GET; never follow
			// writes. The redirect comes back as an error answer.
			return http.ErrUseLastResponse
		}
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		if !strings.EqualFold(req.URL.Host, base.Host) || req.URL.Scheme != base.Scheme {
			req.Header.Del("Authorization")
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		return nil
	}
	return &hc, nil
}
