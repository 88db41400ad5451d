package novu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeLimiter answers like Novu's rate limiter: one token bucket per
// category, RateLimit-* headers in Novu's format, and 429 with Retry-After
// when the bucket is empty. With novu set it runs Novu's algorithm (tokens
// are added only once the bucket is empty, in whole tokens); otherwise a
// plain token bucket, like the emulator's. It is called in process, inside a
// synctest bubble: time is virtual, so concurrent callers sleep and arrive
// exactly when the client tells them to, and every run is the same.
type fakeLimiter struct {
	novu     bool
	limit    float64 // tokens per window
	window   float64 // seconds
	capacity float64
	latency  time.Duration            // after the token is taken
	category func(path string) string // nil: "global" for every path
	// late, when set, delays the n-th request (from 1) before it reaches
	// the bucket: a request still on its way (a connection being dialled,
	// a busy server) while the bucket, full, cannot bank the refill.
	late func(n int) time.Duration

	mu                    sync.Mutex
	tokens                map[string]float64
	last                  map[string]time.Time
	arrived               int
	requests, rejected    int
	inFlight, maxInFlight int
}

func (f *fakeLimiter) fillInterval() time.Duration {
	return time.Duration(f.window / f.limit * float64(time.Second))
}

// take takes one token from category's bucket and returns what is left.
func (f *fakeLimiter) take(category string) (remaining float64, ok bool) {
	now := time.Now()
	tokens, seen := f.tokens[category]
	last := f.last[category]
	switch {
	case !seen:
		tokens, last = f.capacity, now
	case f.novu && tokens < 1:
		add := math.Floor(float64(now.Sub(last)) / float64(f.fillInterval()))
		if add >= 1 {
			tokens = min(f.capacity, tokens+add)
			last = last.Add(time.Duration(add) * f.fillInterval())
		}
	case !f.novu:
		tokens = min(f.capacity, tokens+now.Sub(last).Seconds()*f.limit/f.window)
		last = now
	}
	if tokens >= 1 {
		tokens--
		ok = true
	}
	f.tokens[category], f.last[category] = tokens, last
	return tokens, ok
}

func (f *fakeLimiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cat := "global"
	if f.category != nil {
		cat = f.category(r.URL.Path)
	}
	f.mu.Lock()
	f.arrived++
	n := f.arrived
	f.mu.Unlock()
	if f.late != nil {
		time.Sleep(f.late(n))
	}
	f.mu.Lock()
	f.requests++
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	remaining, ok := f.take(cat)
	if !ok {
		f.rejected++
	}
	f.mu.Unlock()
	time.Sleep(f.latency)
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
	h := w.Header()
	h.Set("RateLimit-Limit", fmt.Sprint(f.limit))
	h.Set("RateLimit-Remaining", fmt.Sprint(math.Floor(remaining)))
	h.Set("RateLimit-Reset", "1")
	h.Set("RateLimit-Policy", fmt.Sprintf(`%g;w=%g;burst=%g;comment="token bucket";category="%s";cost="single";serviceLevel="free"`,
		f.limit, f.window, f.capacity, cat))
	if !ok {
		h.Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"statusCode": 429, "message": "API rate limit exceeded"}`)
		return
	}
	switch {
	case r.URL.Path == "/v2/workflows":
		io.WriteString(w, `{"data": {"workflows": [], "totalCount": 0}}`)
	case strings.HasPrefix(r.URL.Path, "/v2/workflows/"):
		io.WriteString(w, workflowJSON)
	default:
		io.WriteString(w, `{"data": []}`)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// client returns a client that calls f in process, on the bubble's clock,
// and the log of the waits it asked for.
func (f *fakeLimiter) client(t *testing.T) (*Client, func() []time.Duration) {
	f.tokens, f.last = map[string]float64{}, map[string]time.Time{}
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, r)
		return rec.Result(), nil
	})}
	c, err := New(Config{BaseURL: "http://127.0.0.1", Key: testKey, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return sleepCtx(ctx, d)
	}
	return c, func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(waits)
	}
}

func (f *fakeLimiter) counts() (requests, rejected, maxInFlight int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests, f.rejected, f.maxInFlight
}

// A run of calls spends the bucket's burst at once, then sends one request
// per refill interval, and never meets a 429: against Novu's algorithm and
// against a plain token bucket.
func TestPacingSpendsTheBurstThenFlowsAtTheRefillRate(t *testing.T) {
	for _, novu := range []bool{true, false} {
		t.Run(fmt.Sprintf("novu=%v", novu), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// 2 tokens a second (10 per 5 s window), 5 in the bucket.
				f := &fakeLimiter{novu: novu, limit: 10, window: 5, capacity: 5}
				c, waits := f.client(t)
				start := time.Now()
				listEnvironments(t, c, 20)
				// The first four go at once (the fifth token is the
				// model's reserve); each of the other sixteen waits one
				// interval: 8 s, against a floor of (20-5)/2 = 7.5 s.
				want := make([]time.Duration, 16)
				for i := range want {
					want[i] = 500 * time.Millisecond
				}
				if diff := cmp.Diff(want, waits()); diff != "" {
					t.Errorf("waits (-want +got):\n%s", diff)
				}
				if took := time.Since(start); took != 8*time.Second {
					t.Errorf("took %s of the bubble's time, want 8s", took)
				}
				if _, rejected, _ := f.counts(); rejected != 0 {
					t.Errorf("%d requests answered 429; want none", rejected)
				}
				if st := c.Stats(); st.Paced != 16 || st.Retries != 0 || st.RateLimitPauses != 0 {
					t.Errorf("stats %+v; want 16 paced, no retry, no pause", st)
				}
			})
		})
	}
}

// However many callers share a client, a bucket is never overdrawn: the
// first request of a route it has not seen goes alone, and the rest follow
// the model. Without pacing, sixteen callers would overrun a bucket of ten
// at once.
func TestConcurrentCallersMeetNo429(t *testing.T) {
	for _, novu := range []bool{true, false} {
		t.Run(fmt.Sprintf("novu=%v", novu), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := &fakeLimiter{novu: novu, limit: 25, window: 5, capacity: 10, latency: 30 * time.Millisecond}
				c, _ := f.client(t)
				start := time.Now()
				fromCallers(t, 16, 10, func() error {
					if _, err := c.GetWorkflow(context.Background(), "wf", ""); err != nil {
						return fmt.Errorf("GetWorkflow: %w", err)
					}
					return nil
				})
				requests, rejected, _ := f.counts()
				if rejected != 0 || requests != 160 {
					t.Errorf("%d requests, %d answered 429; want 160 and none", requests, rejected)
				}
				// The burst, then 5 a second: the floor is (160-10)/5 = 30 s.
				if took := time.Since(start); took > 31*time.Second {
					t.Errorf("took %s of the bubble's time; want the floor of 30s and at most a second more", took)
				}
			})
		})
	}
}

// Requests sent but not yet counted by the server (still on their way)
// may find it full, its refill lost: the model refills no higher than its
// capacity less what is in flight, and a caller waiting for a token looks
// again when it wakes rather than going at a time promised earlier.
func TestALateBurstDoesNotOverdrawTheBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// After the first answer, nothing reaches the bucket for 30 ms:
		// it fills up and loses 5 of the 6 tokens that time would add.
		open := time.Now().Add(30 * time.Millisecond)
		f := &fakeLimiter{limit: 200, window: 1, capacity: 10, latency: time.Millisecond, late: func(n int) time.Duration {
			if n == 1 {
				return 0
			}
			return max(0, time.Until(open))
		}}
		c, _ := f.client(t)
		fromCallers(t, 30, 1, func() error { _, err := c.Environments(context.Background()); return err })
		if requests, rejected, _ := f.counts(); requests != 30 || rejected != 0 {
			t.Errorf("%d requests, %d answered 429; want 30 and none", requests, rejected)
		}
	})
}

// A route of a group nothing has answered for yet is sent one request at a
// time: its bucket is unknown, and may hold a single token.
func TestUnknownGroupIsProbedByOneRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeLimiter{limit: 1, window: 1, capacity: 1, latency: 30 * time.Millisecond}
		c, _ := f.client(t)
		fromCallers(t, 8, 1, func() error { _, err := c.Environments(context.Background()); return err })
		if requests, rejected, most := f.counts(); requests != 8 || rejected != 0 || most != 1 {
			t.Errorf("%d requests, %d answered 429, at most %d in flight; want 8, none, 1", requests, rejected, most)
		}
	})
}

// Buckets of different categories are paced apart: an empty configuration
// bucket does not hold back a request of the global one. Routes of one
// path prefix start in the bucket the first of them answered from.
func TestBucketsArePacedApart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeLimiter{limit: 1, window: 1, capacity: 3, category: func(path string) string {
			if strings.HasPrefix(path, "/v2/workflows") {
				return "configuration"
			}
			return "global"
		}}
		c, waits := f.client(t)
		ctx := context.Background()
		for range 4 { // the lists drain configuration
			if _, err := c.ListWorkflows(ctx, ListOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(waits()); n != 2 {
			t.Fatalf("waits %v after four lists from a bucket of three; want 2 (the reserve, then the refill)", waits())
		}
		if _, err := c.Environments(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(waits()); n != 2 {
			t.Errorf("the global bucket's first request waited: %v", waits())
		}
		// A GET is in the list's group: it waits for configuration's
		// refill rather than probing a bucket the group already knows.
		if _, err := c.GetWorkflow(ctx, "wf", ""); err != nil {
			t.Fatal(err)
		}
		if n := len(waits()); n != 3 {
			t.Errorf("waits %v; want the GET to wait for the configuration bucket", waits())
		}
		if _, rejected, _ := f.counts(); rejected != 0 {
			t.Errorf("%d answered 429", rejected)
		}
	})
}

// RateLimit-Reset means different things to different servers (the
// emulator: until the bucket is full; Novu: until the next token), so a
// paced route ignores it: Remaining 0 waits one refill interval, not Reset.
func TestRemainingZeroWaitsForOneTokenNotForReset(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("RateLimit-Limit", "30")
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", "6")
		w.Header().Set("RateLimit-Policy", `30;w=1;burst=165;comment="token bucket";category="global";cost="single"`)
		io.WriteString(w, `{"data": []}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	listEnvironments(t, c, 2)
	// One token at 30 a second (a bucket seen holding one token has no
	// room for a reserve).
	clk.checkWaits(t, time.Second/30)
	if st := c.Stats(); st.RateLimitPauses != 0 || st.Paced != 1 {
		t.Errorf("stats %+v; want one paced wait and no pause until Reset", st)
	}
}

// A 429 from a bucket the model thought full means someone else draws from
// it: the model empties, so the callers wait for the refill instead of
// drawing more 429s.
func TestA429EmptiesTheModel(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("RateLimit-Limit", "1")
		w.Header().Set("RateLimit-Policy", `1;w=2;burst=100;category="global"`) // half a token a second
		if n.add(r) == 2 {
			w.Header().Set("RateLimit-Remaining", "0")
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("RateLimit-Remaining", "90")
		io.WriteString(w, `{"data": []}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	listEnvironments(t, c, 2)
	// The retry waits Retry-After, then its turn in the emptied bucket:
	// one token and the reserve, less the half token the second brought.
	clk.checkWaits(t, time.Second, 3*time.Second)
}

// A turn that would come after the caller's deadline fails at once,
// sending nothing.
func TestPacedTurnAfterTheDeadlineFailsAtOnce(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		w.Header().Set("RateLimit-Limit", "1")
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Policy", `1;w=3600;category="global"`) // one an hour
		io.WriteString(w, `{"data": []}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	listEnvironments(t, c, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.Environments(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "rate-limit bucket (global) has no token") {
		t.Errorf("err = %v; want a deadline error naming the bucket", err)
	}
	if got := n.get("GET /v1/environments"); got != 1 || len(clk.Waits()) != 0 {
		t.Errorf("%d requests, waits %v; want 1 and none", got, clk.Waits())
	}
}

func TestGroup(t *testing.T) {
	for route, want := range map[string]string{
		"GET /v1/environments":                "/v1/environments",
		"GET /v2/workflows":                   "/v2/workflows",
		"PUT /v2/workflows/{workflowId}/sync": "/v2/workflows",
		"GET /":                               "/",
	} {
		if got := group(route); got != want {
			t.Errorf("group(%q) = %q, want %q", route, got, want)
		}
	}
}
