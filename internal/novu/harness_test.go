package novu

import (
	"context"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testKey looks like a real key so that a leak is easy to spot.
const testKey = "sk_test_0123456789abcdef0123456789abcdef"

// fakeClock replaces the client's sleep and now: retries take no real time
// and the waits the client asked for are recorded.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.t = f.t.Add(d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeClock) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// checkWaits reports how the clock's waits differ from want, in order.
func (f *fakeClock) checkWaits(t testing.TB, want ...time.Duration) {
	t.Helper()
	if diff := cmp.Diff(want, f.Waits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

// listEnvironments makes n calls of GET /v1/environments, the client's
// plainest request, one after another; an error ends the test.
func listEnvironments(t testing.TB, c *Client, n int) {
	t.Helper()
	for range n {
		if _, err := c.Environments(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// fromCallers makes calls calls of call from each of callers goroutines
// at once and waits for them all. Errors are reported, not fatal: t.Fatal
// must not be called off the test's goroutine.
func fromCallers(t testing.TB, callers, calls int, call func() error) {
	t.Helper()
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range calls {
				if err := call(); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

// newTestClient returns a client for url with a fake clock and a seeded jitter
// source; edit adjusts the config first.
func newTestClient(t testing.TB, url string, edit func(*Config)) (*Client, *fakeClock) {
	t.Helper()
	cfg := Config{BaseURL: url, Key: testKey, RequestTimeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	clk := &fakeClock{t: time.Now()}
	c.sleep = clk.sleep
	c.now = clk.now
	c.rng = mrand.New(mrand.NewPCG(1, 2))
	return c, clk
}

// serve starts a loopback server for h, closed at the end of the test.
func serve(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		// Unblock handlers still waiting on a client that went away.
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv
}

// answer serves every request with status and body, counting them in n.
func answer(t testing.TB, n *counter, status int, body string) *httptest.Server {
	t.Helper()
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// cutConnection reads the request, then closes the connection without an
// answer: the server may have acted, the client cannot know.
func cutConnection(t *testing.T, w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

// counter counts requests per "METHOD path" and is safe for handlers.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(r *http.Request) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	k := r.Method + " " + r.URL.Path
	c.n[k]++
	return c.n[k]
}

func (c *counter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}
