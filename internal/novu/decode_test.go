package novu

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Every error body form of docs/novu-api.md §2.2, and the ones a proxy or a broken
// server produces.
func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   APIError // Method, Path and Status are filled in
		text   string   // Error()
	}{
		{
			name: "400 message array", status: 400,
			body: `{"statusCode": 400, "timestamp": "2026-07-21T08:00:00.000Z", "path": "/v2/workflows/x",
				"message": ["name must be a string", "steps must be an array"], "error": "Bad Request"}`,
			want: APIError{Message: []string{"name must be a string", "steps must be an array"}},
			text: "PUT /v2/workflows/x: 400 Bad Request: name must be a string; steps must be an array",
		},
		{
			name: "422 errors map", status: 422,
			body: `{"statusCode": 422, "message": "Validation Error", "errors": {
				"steps.0.stepId": {"messages": ["must match ^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$"], "value": "bad id"},
				"name": {"messages": ["must be a string", "should not be empty"]}}}`,
			want: APIError{Message: []string{"Validation Error"}, Errors: map[string][]string{
				"steps.0.stepId": {"must match ^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$"},
				"name":           {"must be a string", "should not be empty"},
			}},
			text: "PUT /v2/workflows/x: 422 Unprocessable Entity: Validation Error; name: must be a string; name: should not be empty; steps.0.stepId: must match ^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$",
		},
		{
			name: "400 errors array (zod)", status: 400,
			body: `{"statusCode": 400, "message": "Invalid input", "errors": [
				{"message": "Expected string", "path": ["steps", 0, "name"]},
				{"message": "Required", "path": "workflowId"},
				{"message": "Something else"}]}`,
			want: APIError{Message: []string{"Invalid input", "Something else"}, Errors: map[string][]string{
				"steps.0.name": {"Expected string"},
				"workflowId":   {"Required"},
			}},
			text: "PUT /v2/workflows/x: 400 Bad Request: Invalid input; Something else; steps.0.name: Expected string; workflowId: Required",
		},
		{
			name: "404 workflow not found", status: 404,
			body: `{"statusCode": 404, "timestamp": "2026-07-21T08:00:00.000Z", "path": "/v2/workflows/x",
				"message": "Workflow cannot be found", "workflowId": "x"}`,
			want: APIError{Message: []string{"Workflow cannot be found"}},
			text: "PUT /v2/workflows/x: 404 Not Found: Workflow cannot be found",
		},
		{
			name: "429 rate limited", status: 429,
			body: `{"statusCode": 429, "message": "API rate limit exceeded"}`,
			want: APIError{Message: []string{"API rate limit exceeded"}},
			text: "PUT /v2/workflows/x: 429 Too Many Requests: API rate limit exceeded",
		},
		{
			name: "500 with errorId", status: 500,
			body: `{"statusCode": 500, "message": "Internal server error, contact support and provide them with the errorId", "errorId": "4e1c1b2a-0000-4000-8000-000000000001"}`,
			want: APIError{Message: []string{"Internal server error, contact support and provide them with the errorId"}, ErrorID: "4e1c1b2a-0000-4000-8000-000000000001"},
			text: "PUT /v2/workflows/x: 500 Internal Server Error: Internal server error, contact support and provide them with the errorId (errorId 4e1c1b2a-0000-4000-8000-000000000001)",
		},
		{
			name: "nest built-in without message", status: 405,
			body: `{"statusCode": 405, "error": "Method Not Allowed"}`,
			want: APIError{Message: []string{"Method Not Allowed"}},
			text: "PUT /v2/workflows/x: 405 Method Not Allowed: Method Not Allowed",
		},
		{
			name: "bare JSON string", status: 503,
			body: `"Service Unavailable"`,
			want: APIError{Message: []string{"Service Unavailable"}},
			text: "PUT /v2/workflows/x: 503 Service Unavailable: Service Unavailable",
		},
		{
			name: "bare text", status: 429,
			body: "Too many requests, slow down\n",
			want: APIError{},
			text: "PUT /v2/workflows/x: 429 Too Many Requests: body: Too many requests, slow down",
		},
		{
			name: "HTML page from a proxy", status: 502,
			body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
			want: APIError{},
			text: "PUT /v2/workflows/x: 502 Bad Gateway: body: <html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>",
		},
		{
			name: "truncated JSON", status: 400,
			body: `{"statusCode": 400, "message": ["name must`,
			want: APIError{},
			text: `PUT /v2/workflows/x: 400 Bad Request: body: {"statusCode": 400, "message": ["name must`,
		},
		{
			name: "wrong shape", status: 400,
			body: `{"statusCode": "400", "message": {"nested": true}, "errors": 7, "errorId": 12}`,
			want: APIError{Message: []string{`{"nested":true}`}},
			text: `PUT /v2/workflows/x: 400 Bad Request: {"nested":true}`,
		},
		{
			name: "JSON array", status: 400,
			body: `[1, 2]`,
			want: APIError{},
			text: `PUT /v2/workflows/x: 400 Bad Request: body: [1, 2]`,
		},
		{
			name: "empty", status: 500,
			body: ``,
			want: APIError{},
			text: `PUT /v2/workflows/x: 500 Internal Server Error`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
			_, err := c.UpdateWorkflow(context.Background(), "x", UpdateRequest{})
			var got *APIError
			if !errors.As(err, &got) {
				t.Fatalf("err = %#v, want *APIError", err)
			}
			want := tt.want
			want.Method, want.Path, want.Status = "PUT", "/v2/workflows/x", tt.status
			if diff := cmp.Diff(&want, got, cmpopts.IgnoreUnexported(APIError{}), cmpopts.IgnoreFields(APIError{}, "Body"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if err.Error() != tt.text {
				t.Errorf("Error()\n got %s\nwant %s", err, tt.text)
			}
			if len(got.Body) > 4*maxExcerpt+3 {
				t.Errorf("body excerpt of %d bytes", len(got.Body))
			}
		})
	}
}

func TestErrorTextIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"message": [`)
	for i := range 5000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"` + strings.Repeat("m", 1000) + `"`)
	}
	b.WriteString(`]}`)
	e := decodeError("GET", "/v1/environments", 400, []byte(b.String()))
	if len(e.Message) != 5000 {
		t.Fatalf("%d messages decoded, want 5000", len(e.Message))
	}
	if n := len(e.Error()); n > 8<<10 {
		t.Errorf("Error() is %d bytes; want it bounded", n)
	}
	if !strings.HasSuffix(e.Error(), "; and 4990 more") {
		t.Errorf("Error() does not count the messages left out: …%s", e.Error()[len(e.Error())-40:])
	}
}

// A 2xx that is not {"data": …} of the right shape is an error naming the
// call, never a zero-valued success.
func TestSuccessBodyMustBeTheEnvelope(t *testing.T) {
	tests := []struct {
		name, body, reason string
	}{
		{"no envelope", `{"_id": "a1", "workflowId": "x"}`, `no "data" envelope`},
		{"data null", `{"data": null}`, `"data" is null`},
		{"wrong shape", `{"data": {"_id": "a1", "steps": "none"}}`, "wrong shape: field steps is a JSON string, want []novu.Step"},
		{"wrong step shape", `{"data": {"steps": [{"controlValues": [1]}]}}`, "wrong shape: field steps.controlValues is a JSON array, want map[string]interface {}"},
		{"array", `[{"_id": "a1"}]`, `body is not a JSON object, want {"data": …}`},
		{"truncated", `{"data": {"_id": "a1", "workflowId": "x"`, "invalid JSON: unexpected end of JSON input at byte 40"},
		{"HTML", `<html><body>OK</body></html>`, `body is not a JSON object, want {"data": …}`},
		{"empty", ``, `empty body, want {"data": …}`},
		{"bare string", `"ok"`, `body is not a JSON object, want {"data": …}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, tt.body)
			})
			c, _ := newTestClient(t, srv.URL, nil)
			wf, err := c.GetWorkflow(context.Background(), "x", "")
			var de *DecodeError
			if !errors.As(err, &de) || wf != nil {
				t.Fatalf("got %+v, %v; want a *DecodeError", wf, err)
			}
			if de.Reason != tt.reason || de.Status != 200 || de.Method != "GET" || de.Path != "/v2/workflows/x" {
				t.Errorf("got %+v, want reason %q", de, tt.reason)
			}
			if c.Stats().Retries != 0 {
				t.Errorf("a bad body was retried")
			}
		})
	}
}

// A server that streams 100 MiB gets an error once the limit is passed, and
// the client reads (and allocates) about the limit, not the body. The limit
// is 1 MiB here so that allocation stays far below the body's size even
// under the race detector.
func TestHugeBodyIsAnErrorWithBoundedMemory(t *testing.T) {
	const huge = 100 << 20
	for _, status := range []int{200, 500} {
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, `{"data": [`)
			chunk := []byte(strings.Repeat(" ", 64<<10))
			for sent := 0; sent < huge; sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return // the client hung up, as it should
				}
			}
		})
		c, _ := newTestClient(t, srv.URL, func(cfg *Config) {
			cfg.MaxRetries = -1
			cfg.MaxBodyBytes = 1 << 20
		})
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := c.Environments(context.Background())
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatalf("status %d: no error for a 100 MiB body", status)
		}
		if status == 200 {
			var de *DecodeError
			if !errors.As(err, &de) || de.Reason != "body larger than the 1048576-byte limit (Config.MaxBodyBytes)" {
				t.Errorf("err = %v", err)
			}
		} else {
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != 500 || len(err.Error()) > 1000 {
				t.Errorf("err = %v", err)
			}
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("status %d: %d MiB allocated", status, alloc>>20)
		if alloc > 24<<20 {
			t.Errorf("status %d: allocated %d MiB reading a 100 MiB body with a 1 MiB limit", status, alloc>>20)
		}
		if got := c.Stats().BytesReceived; got > 1<<20+1 {
			t.Errorf("read %d bytes, want at most the limit + 1", got)
		}
	}
}
