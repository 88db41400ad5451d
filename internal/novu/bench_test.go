package novu

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
)

func BenchmarkDecodeWorkflow(b *testing.B) {
	body := []byte(workflowJSON)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var w Workflow
		if err := decodeData("GET", "/v2/workflows/x", 200, body, &w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeError(b *testing.B) {
	body := []byte(`{"statusCode": 422, "message": "Validation Error", "errors": {"steps.0.stepId": {"messages": ["must match"], "value": "bad id"}, "name": {"messages": ["must be a string"]}}}`)
	for b.Loop() {
		if e := decodeError("PUT", "/v2/workflows/x", 422, body); len(e.Errors) != 2 {
			b.Fatal(e)
		}
	}
}

// BenchmarkGetWorkflowLoopback measures one call's overhead over loopback,
// with every second attempt answered 503 and retried (fake sleep).
func BenchmarkGetWorkflowLoopback(b *testing.B) {
	var mu sync.Mutex
	n := 0
	srv := serve(b, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		fail := n%2 == 1
		mu.Unlock()
		if fail {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, workflowJSON)
	})
	c, _ := newTestClient(b, srv.URL, nil)
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.GetWorkflow(ctx, "x", ""); err != nil {
			b.Fatal(err)
		}
	}
	st := c.Stats()
	b.ReportMetric(float64(st.Requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(st.Retries)/float64(b.N), "retries/op")
}
