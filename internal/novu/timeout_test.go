package novu

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// hang reads the request and answers nothing until the client goes away.
// (Reading the body matters: only then does net/http notice a closed
// connection and cancel r.Context.)
func hang(w http.ResponseWriter, r *http.Request) {
	io.ReadAll(r.Body)
	<-r.Context().Done()
}

// trickle sends a 200 and then one byte at a time, never finishing.
func trickle(w http.ResponseWriter, r *http.Request) {
	io.ReadAll(r.Body)
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, `{"data": `)
	for {
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Millisecond):
			io.WriteString(w, " ")
		}
	}
}

func TestPerAttemptTimeoutNamesTheRequest(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		call    func(*Client) error
		want    string
		unknown bool
	}{
		{"never answers, GET", hang, func(c *Client) error { _, err := c.Environments(context.Background()); return err },
			"GET /v1/environments: no complete response within 150ms (request timeout) (2 attempts; gave up after 1 retries)", false},
		{"trickles, GET", trickle, func(c *Client) error { _, err := c.GetWorkflow(context.Background(), "x", ""); return err },
			"GET /v2/workflows/x: no complete response within 150ms (request timeout) (2 attempts; gave up after 1 retries)", false},
		{"never answers, POST", hang, func(c *Client) error {
			_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x"})
			return err
		}, "POST /v2/workflows: no complete response within 150ms (request timeout); the outcome is unknown: GET the resource before sending the POST again", true},
		{"trickles, POST", trickle, func(c *Client) error {
			_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x"})
			return err
		}, "POST /v2/workflows: no complete response within 150ms (request timeout); the outcome is unknown: GET the resource before sending the POST again", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.handler)
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.RequestTimeout = 150 * time.Millisecond
				cfg.MaxRetries = 1
			})
			err := tt.call(c)
			var re *RequestError
			if !errors.As(err, &re) || re.Timeout != 150*time.Millisecond {
				t.Fatalf("err = %v, want a request timeout", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if errors.Is(err, ErrOutcomeUnknown) != tt.unknown {
				t.Errorf("ErrOutcomeUnknown = %v, want %v", !tt.unknown, tt.unknown)
			}
		})
	}
}

func TestCancelStopsInFlightRequest(t *testing.T) {
	started := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		close(started)
		hang(w, r)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.CreateWorkflow(ctx, CreateRequest{WorkflowID: "x"})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want context.Canceled and ErrOutcomeUnknown", err)
	}
}
