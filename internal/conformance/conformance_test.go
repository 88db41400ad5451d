package conformance_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
			h := conformance.Require(tb).Wrap(tt.handler)
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
	h := conformance.Require(tb).Wrap(answer(200, `{"data":[]}`))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/environments", nil))
	if len(tb.errs) == 0 {
		t.Error("a request without Authorization passed")
	}
	tb.errs = nil
	resp := conformance.Require(tb).WrapResponses(answer(200, `{"data":[]}`))
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
	h := conformance.Require(b).Wrap(answer(200, `{"data":`+workflow+`}`))
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v2/workflows/wf", nil)
		req.Header.Set("Authorization", "ApiKey k")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	// After the loop: b.Loop resets metrics reported before it.
	b.ReportMetric(float64(spec.LoadTime.Milliseconds()), "spec-load-ms")
}

// TestHelperNewWithoutSpec is run by TestMissingSpec in a child process,
// where NOVU_OPENAPI names a file that does not exist; Load caches its
// result per process, so only a fresh process can see a missing document.
func TestHelperNewWithoutSpec(t *testing.T) {
	if os.Getenv("CONFORMANCE_HELPER") != "1" {
		t.Skip("helper for TestMissingSpec")
	}
	h := conformance.New(t).Wrap(answer(200, `{"data":[]}`))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v2/not-in-any-document", nil))
	if rec.Code != 200 {
		t.Fatalf("unchecked traffic answered %d, want the handler's 200", rec.Code)
	}
	t.Log("checker made")
}

func TestMissingSpec(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "openapi.json")
	tests := []struct {
		ci       string
		wantExit bool // whether the child test fails
		want     []string
	}{
		{"", false, []string{"--- PASS: TestHelperNewWithoutSpec", "NOT checked", "set NOVU_OPENAPI", missing, "checker made"}},
		{"false", false, []string{"--- PASS: TestHelperNewWithoutSpec", "NOT checked", "checker made"}},
		{"true", true, []string{"--- FAIL: TestHelperNewWithoutSpec", "conformance: read OpenAPI document", missing}},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNewWithoutSpec$", "-test.v", "-test.count=1")
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "NOVU_OPENAPI=") && !strings.HasPrefix(kv, "GORACE=") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			// GORACE: a -race binary otherwise sleeps a second before exiting.
			cmd.Env = append(cmd.Env, "CONFORMANCE_HELPER=1", "NOVU_OPENAPI="+missing, "GORACE=atexit_sleep_ms=0")
			if tt.ci != "" {
				cmd.Env = append(cmd.Env, "CI="+tt.ci)
			}
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if failed := errors.As(err, &exit); failed != tt.wantExit || (err != nil && !failed) {
				t.Fatalf("child: err %v, want failure %v; output:\n%s", err, tt.wantExit, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("child output lacks %q:\n%s", w, out)
				}
			}
			if tt.wantExit && strings.Contains(string(out), "checker made") {
				t.Errorf("New returned without a document under CI=true:\n%s", out)
			}
			if strings.Count(string(out), "conformance: conformance:") > 0 {
				t.Errorf("repeated prefix:\n%s", out)
			}
		})
	}
}

func TestSpecPath(t *testing.T) {
	t.Setenv("NOVU_OPENAPI", "/elsewhere/openapi.json")
	if p, err := conformance.SpecPath(); err != nil || p != "/elsewhere/openapi.json" {
		t.Errorf("SpecPath with NOVU_OPENAPI = %q, %v", p, err)
	}
	t.Setenv("NOVU_OPENAPI", "")
	p, err := conformance.SpecPath()
	if err != nil {
		t.Fatal(err)
	}
	// The test runs in internal/conformance; the module root is two up.
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	if want := filepath.Join(root, "..", "shared", "novu", "openapi.json"); p != want {
		t.Errorf("SpecPath = %q, want %q", p, want)
	}
}
