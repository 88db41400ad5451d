package novu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
)

var idemKeyRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// bodyNamed is a workflow body with only a name: these tests are about how
// a write is sent and retried, not what it holds.
func bodyNamed(name string) WorkflowBody {
	return WorkflowBody{WorkflowSettings: WorkflowSettings{Name: name}}
}

func TestIdempotencyKeyStableAcrossRetriesOfOnePost(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		mu.Unlock()
		switch {
		case r.Method == http.MethodPost && n.add(r) == 1:
			w.WriteHeader(http.StatusTooManyRequests)
		case r.Method == http.MethodPost && n.get("POST /v2/workflows") == 2:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"statusCode": 409, "message": "Request with key \"k\" is currently being processed. Please retry after 1 second"}`)
		default:
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"data": {"_id": "a1", "workflowId": "x", "steps": []}}`)
		}
	})
	c, _ := newTestClient(t, srv.URL, nil)
	ctx := context.Background()
	if _, err := c.CreateWorkflow(ctx, CreateRequest{WorkflowID: "x", WorkflowBody: bodyNamed("X")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateWorkflow(ctx, CreateRequest{WorkflowID: "y", WorkflowBody: bodyNamed("Y")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateWorkflow(ctx, "x", UpdateRequest{WorkflowBody: bodyNamed("X")}); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 5 {
		t.Fatalf("%d requests, want 5 (3 for the first POST, 1 POST, 1 PUT)", len(keys))
	}
	first, second, put := keys[0], keys[3], keys[4]
	if !idemKeyRE.MatchString(first) || keys[1] != first || keys[2] != first {
		t.Errorf("first POST's keys %q, want one 32-hex key on all three attempts", keys[:3])
	}
	if !idemKeyRE.MatchString(second) || second == first {
		t.Errorf("second POST's key %q, want a new key (first %q)", second, first)
	}
	if put != "" {
		t.Errorf("PUT carried Idempotency-Key %q; Novu ignores it on PUT", put)
	}

	// A caller's key spans calls: a create sent again after a GET showed
	// the first had not landed carries the first one's key.
	keys = nil
	kctx := WithIdempotencyKey(ctx, "op-key-1")
	for range 2 {
		if _, err := c.CreateWorkflow(kctx, CreateRequest{WorkflowID: "z", WorkflowBody: bodyNamed("Z")}); err != nil {
			t.Fatal(err)
		}
	}
	if len(keys) != 2 || keys[0] != "op-key-1" || keys[1] != "op-key-1" {
		t.Errorf("keys with WithIdempotencyKey = %q, want the caller's key on both POSTs", keys)
	}
}

func TestPostNotRepeatedWhenConnectionCut(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		cutConnection(t, w, r)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: bodyNamed("X")})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	var re *RequestError
	if !errors.As(err, &re) || re.Method != "POST" || re.Path != "/v2/workflows" || !re.OutcomeUnknown {
		t.Errorf("err = %#v", err)
	}
	if got := n.get("POST /v2/workflows"); got != 1 || len(clk.Waits()) != 0 {
		t.Errorf("POST sent %d times, waits %v; want once, no retry", got, clk.Waits())
	}
}

func TestPostNotRepeatedOnServerError(t *testing.T) {
	for _, status := range []int{500, 502, 503, 408} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var n counter
			srv := answer(t, &n, status, `{"statusCode": 500, "message": "Internal server error, contact support", "errorId": "e-1"}`)
			c, _ := newTestClient(t, srv.URL, nil)
			_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: bodyNamed("X")})
			var ae *APIError
			if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &ae) || ae.Status != status {
				t.Fatalf("err = %v, want an APIError %d with ErrOutcomeUnknown", err, status)
			}
			if got := n.get("POST /v2/workflows"); got != 1 {
				t.Errorf("POST sent %d times, want once", got)
			}
		})
	}
}

// A POST carrying Idempotency-Key looks replayable to net/http, which then
// resends it by itself when a kept-alive connection breaks after the request
// was written. The client must prevent that: Novu may not honour the key.
func TestTransportDoesNotReplayPostOnReusedConnection(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		if r.Method == http.MethodPost {
			cutConnection(t, w, r)
			return
		}
		io.WriteString(w, `{"data": []}`)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	// Leave an idle keep-alive connection for the POST to reuse.
	listEnvironments(t, c, 1)
	_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: bodyNamed("X")})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if got := n.get("POST /v2/workflows"); got != 1 {
		t.Errorf("the server received the POST %d times, want once", got)
	}
}

func TestPostRetriedWhenConnectionRefused(t *testing.T) {
	// A closed port: nothing was sent, so even a create may be tried again.
	srv := serve(t, func(http.ResponseWriter, *http.Request) {})
	url := srv.URL
	srv.Close()
	c, clk := newTestClient(t, url, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: bodyNamed("X")})
	var re *RequestError
	if !errors.As(err, &re) || re.Attempts != 3 || errors.Is(err, ErrOutcomeUnknown) || len(clk.Waits()) != 2 {
		t.Fatalf("err = %v, waits %v; want 3 attempts, outcome known", err, clk.Waits())
	}
}

func TestPutRetriedAfterConnectionCut(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.add(r) == 1 {
			cutConnection(t, w, r)
			return
		}
		io.WriteString(w, `{"data": {"_id": "a1", "workflowId": "x", "steps": []}}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	if _, err := c.UpdateWorkflow(context.Background(), "x", UpdateRequest{WorkflowBody: bodyNamed("X")}); err != nil {
		t.Fatal(err)
	}
	if got := n.get("PUT /v2/workflows/x"); got != 2 || len(clk.Waits()) != 1 {
		t.Errorf("PUT sent %d times, waits %v; want 2 and 1", got, clk.Waits())
	}
	if st := c.Stats(); st.TransportErrors != 1 || st.Retries != 1 || st.Requests != 2 {
		t.Errorf("stats %+v", st)
	}
}

// HonoursIdempotency turns true only when the server echoes the very key
// the client sent.
func TestHonoursIdempotencyFollowsTheEcho(t *testing.T) {
	for name, tt := range map[string]struct {
		echo func(sent string) string
		want bool
	}{
		"echoes the key":     {func(sent string) string { return sent }, true},
		"no echo":            {func(string) string { return "" }, false},
		"echoes another key": {func(string) string { return "someone-else" }, false},
	} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if k := tt.echo(r.Header.Get("Idempotency-Key")); k != "" {
					w.Header().Set("Idempotency-Key", k)
				}
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, workflowJSON)
			})
			c, _ := newTestClient(t, srv.URL, nil)
			if c.HonoursIdempotency() {
				t.Fatal("HonoursIdempotency before any answer")
			}
			if _, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "payout-initiated"}); err != nil {
				t.Fatal(err)
			}
			if got := c.HonoursIdempotency(); got != tt.want {
				t.Errorf("HonoursIdempotency = %v, want %v", got, tt.want)
			}
		})
	}
}
