package novu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestRetriesRetryableStatusesThenSucceeds(t *testing.T) {
	for _, status := range []int{408, 409, 429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var n counter
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if n.add(r) <= 3 {
					if status == http.StatusConflict {
						// A 409 is retried only when it says when to come
						// back; 0 leaves the backoff checked below in charge.
						w.Header().Set("Retry-After", "0")
					}
					w.WriteHeader(status)
					io.WriteString(w, `{"statusCode": 0, "message": "try again"}`)
					return
				}
				io.WriteString(w, `{"data": []}`)
			})
			var infos []RetryInfo
			c, clk := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.MaxBackoff = 2 * time.Second
				cfg.OnRetry = func(ri RetryInfo) { infos = append(infos, ri) }
			})
			listEnvironments(t, c, 1)
			if got := n.get("GET /v1/environments"); got != 4 {
				t.Errorf("%d attempts, want 4", got)
			}
			st := c.Stats()
			if st.Requests != 4 || st.Retries != 3 || st.ByStatus[status] != 3 || st.ByStatus[200] != 1 {
				t.Errorf("stats %+v", st)
			}
			waits := clk.Waits()
			if len(waits) != 3 || len(infos) != 3 {
				t.Fatalf("waits %v, retry infos %d, want 3", waits, len(infos))
			}
			for i, w := range waits {
				ceiling := min(time.Duration(float64(time.Second)*pow15(i)), 2*time.Second)
				if w < 0 || w > ceiling {
					t.Errorf("wait %d = %s, want within [0, %s]", i, w, ceiling)
				}
				if ri := infos[i]; ri.Attempt != i+1 || ri.Status != status || ri.Wait != w || ri.Method != "GET" || ri.Path != "/v1/environments" || ri.Err == nil {
					t.Errorf("retry info %d = %+v", i, ri)
				}
			}
		})
	}
}

// A 409 without Retry-After is a conflict (an identifier or key taken):
// it fails at once, on every method, rather than after the retries.
func TestConflictWithoutRetryAfterIsNotRetried(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"statusCode": 409, "message": "Layout with identifier: brand already exists under environment env1"}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	_, err := c.Environments(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusConflict || ae.Retries != 0 || !strings.Contains(err.Error(), "brand already exists") {
		t.Fatalf("err = %v, want the 409 with Novu's message and no retries", err)
	}
	if got := n.get("GET /v1/environments"); got != 1 || len(clk.Waits()) != 0 {
		t.Errorf("%d attempts, waits %v; want 1 attempt and no wait", got, clk.Waits())
	}
}

func pow15(n int) float64 {
	f := 1.0
	for range n {
		f *= 1.5
	}
	return f
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.MaxBackoff = 5 * time.Second })
	seen := map[time.Duration]bool{}
	for attempt := 1; attempt <= 30; attempt++ {
		d := c.backoff(attempt)
		ceiling := min(time.Duration(float64(time.Second)*pow15(attempt-1)), 5*time.Second)
		if d < 0 || d > ceiling {
			t.Errorf("attempt %d: %s, want within [0, %s]", attempt, d, ceiling)
		}
		seen[d] = true
	}
	if len(seen) < 25 {
		t.Errorf("only %d distinct waits in 30: no jitter", len(seen))
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	var n counter
	srv := answer(t, &n, http.StatusServiceUnavailable, `{"statusCode": 503, "message": "down for maintenance"}`)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetWorkflow(context.Background(), "x", "")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Retries != 2 {
		t.Fatalf("err = %#v", err)
	}
	if got := n.get("GET /v2/workflows/x"); got != 3 {
		t.Errorf("%d attempts, want 3", got)
	}
	want := "GET /v2/workflows/x: 503 Service Unavailable: down for maintenance (3 attempts; gave up after 2 retries)"
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC()
	tests := []struct {
		name   string
		status int
		header map[string]string
		want   time.Duration
	}{
		{"seconds", 429, map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{"http date", 503, map[string]string{"Retry-After": date.Format(http.TimeFormat)}, 0}, // checked below
		{"ratelimit reset on 429", 429, map[string]string{"RateLimit-Reset": "4"}, 4 * time.Second},
		{"retry-after wins over reset", 429, map[string]string{"Retry-After": "2", "RateLimit-Reset": "9"}, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n counter
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if n.add(r) == 1 {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(tt.status)
					io.WriteString(w, `{"statusCode": 429, "message": "API rate limit exceeded"}`)
					return
				}
				io.WriteString(w, `{"data": []}`)
			})
			// A small cap: any wait above it can only be the server's.
			c, clk := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxBackoff = 100 * time.Millisecond })
			clk.t = date.Add(-90 * time.Second)
			listEnvironments(t, c, 1)
			waits := clk.Waits()
			if len(waits) != 1 {
				t.Fatalf("waits %v, want one", waits)
			}
			want := tt.want
			if tt.name == "http date" {
				// HTTP dates have whole seconds.
				want = date.Truncate(time.Second).Sub(clk.t.Add(-waits[0]))
			}
			if waits[0] != want {
				t.Errorf("waited %s, want %s", waits[0], want)
			}
		})
	}
}

func TestGivesUpWhenNextAttemptWouldPassDeadline(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"statusCode": 429, "message": "API rate limit exceeded"}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.Environments(ctx)
	if n.get("GET /v1/environments") != 1 || len(clk.Waits()) != 0 {
		t.Errorf("attempts %d, waits %v; want 1 attempt, no wait", n.get("GET /v1/environments"), clk.Waits())
	}
	want := "GET /v1/environments: 429 Too Many Requests: API rate limit exceeded (1 attempts; gave up: the next attempt, in 1m0s, would be after the deadline)"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

func TestRefusesHugeRetryAfter(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "86400")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	_, err := c.Environments(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 || len(clk.Waits()) != 0 {
		t.Fatalf("err = %v, waits %v", err, clk.Waits())
	}
}

func TestRateLimitRemainingZeroPausesNextCall(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", "3")
		io.WriteString(w, `{"data": []}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	listEnvironments(t, c, 2)
	clk.checkWaits(t, 3*time.Second)
	if st := c.Stats(); st.RateLimitPauses != 1 || st.Retries != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestSharedLimiterIsWaitedOn(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		io.WriteString(w, `{"data": []}`)
	})
	// One token, refilled once an hour: the second call cannot get one
	// before its deadline and must fail without sending.
	lim := rate.NewLimiter(rate.Every(time.Hour), 1)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = lim })
	listEnvironments(t, c, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.Environments(ctx)
	if err == nil || n.get("GET /v1/environments") != 1 {
		t.Fatalf("err = %v, %d requests; want an error and 1 request", err, n.get("GET /v1/environments"))
	}
}

func TestUnauthorizedIsNotRetried(t *testing.T) {
	var n counter
	srv := answer(t, &n, http.StatusUnauthorized, `{"statusCode": 401, "message": "API Key not found"}`)
	c, _ := newTestClient(t, srv.URL, nil)
	_, err := c.Environments(context.Background())
	if !errors.Is(err, ErrUnauthorized) || n.get("GET /v1/environments") != 1 {
		t.Fatalf("err = %v after %d attempts", err, n.get("GET /v1/environments"))
	}
	want := "GET /v1/environments: 401 Unauthorized: the secret key was refused by " + srv.URL +
		" (check that the key is this environment's secret key and belongs to this Novu host or region): API Key not found"
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
}
