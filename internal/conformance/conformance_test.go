package conformance_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/novugen/novugen/internal/conformance"
)

// recordingTB keeps the violations a Checker reports instead of failing.
type recordingTB struct {
	*testing.T
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

const workflow = `{"_id":"6650c0ffee0000000000a001","workflowId":"wf","slug":"wf_wf_1","name":"WF",
"createdAt":"2026-07-21T08:00:00.000Z","updatedAt":"2026-07-21T08:00:00.000Z","origin":"novu-cloud",
"status":"ACTIVE","severity":"none","preferences":{"default":{"all":{"enabled":true,"readOnly":false},"channels":{}}},
"steps":[{"_id":"6650c0ffee0000000000b001","stepId":"s","slug":"s_st_1","name":"S","type":"sms","origin":"novu-cloud",
"workflowId":"wf","workflowDatabaseId":"6650c0ffee0000000000a001","controls":{"values":{"body":"hi"}},"variables":{}}]}`

func answer(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
}

func TestCheckerFindsViolations(t *testing.T) {
	errBody := `{"statusCode":%d,"timestamp":"2026-07-21T08:00:00.000Z","path":"/x","message":"m"}`
	createBody := `{"name":"N","workflowId":%q,"steps":[{"name":"S","type":"sms","controlValues":{"body":"b"}}]}`
	tests := []struct {
		name, method, path, body string
		handler                  http.Handler
		want                     string // "" for no violation
	}{
		{"valid get", "GET", "/v2/workflows/wf", "", answer(200, `{"data":`+workflow+`}`), ""},
		{"missing envelope", "GET", "/v2/workflows/wf", "", answer(200, workflow), `{"data": …}`},
		{"missing required field", "GET", "/v2/workflows/wf", "",
			answer(200, `{"data":`+strings.Replace(workflow, `"severity":"none",`, "", 1)+`}`), "severity"},
		{"valid create", "POST", "/v2/workflows", fmt.Sprintf(createBody, "order.shipped_2"),
			answer(201, `{"data":`+workflow+`}`), ""},
		{"slug rule", "POST", "/v2/workflows", fmt.Sprintf(createBody, "order shipped"),
			answer(201, `{"data":`+workflow+`}`), "workflowId"},
		{"undeclared status", "GET", "/v2/workflows/wf", "", answer(418, fmt.Sprintf(errBody, 418)), "418"},
		{"unknown route", "GET", "/v1/workflows", "", answer(404, fmt.Sprintf(errBody, 404)), "no operation"},
		{"429 as error object", "GET", "/v2/workflows", "", answer(429, fmt.Sprintf(errBody, 429)), ""},
		{"404 error", "GET", "/v2/workflows/wf", "", answer(404, fmt.Sprintf(errBody, 404)), ""},
		{"error without statusCode", "GET", "/v2/workflows/wf", "", answer(404, `{"message":"x"}`), "statusCode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &recordingTB{T: t}
			h := conformance.New(tb).Wrap(tt.handler)
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "ApiKey k")
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			got := strings.Join(tb.errs, "\n")
			switch {
			case tt.want == "" && got != "":
				t.Errorf("unexpected violation:\n%s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("violations %q, want one mentioning %q", got, tt.want)
			}
		})
	}
}

func TestCheckerRequiresAPIKey(t *testing.T) {
	tb := &recordingTB{T: t}
	h := conformance.New(tb).Wrap(answer(200, `{"data":[]}`))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/environments", nil))
	if len(tb.errs) == 0 {
		t.Error("a request without Authorization passed")
	}
	tb.errs = nil
	resp := conformance.New(tb).WrapResponses(answer(200, `{"data":[]}`))
	resp.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/environments", nil))
	if len(tb.errs) != 0 {
		t.Errorf("WrapResponses checked the request: %v", tb.errs)
	}
}

func BenchmarkCheckWorkflowResponse(b *testing.B) {
	spec, err := conformance.Load()
	if err != nil {
		b.Skip(err)
	}
	h := conformance.New(b).Wrap(answer(200, `{"data":`+workflow+`}`))
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v2/workflows/wf", nil)
		req.Header.Set("Authorization", "ApiKey k")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	// After the loop: b.Loop resets metrics reported before it.
	b.ReportMetric(float64(spec.LoadTime.Milliseconds()), "spec-load-ms")
}
