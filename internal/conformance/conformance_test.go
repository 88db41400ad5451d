package conformance_test

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/conformance"
	"github.com/novugen/novugen/internal/testenv"
)

const workflow = `{"_id":"6650c0ffee0000000000a001","workflowId":"wf","slug":"wf_wf_1","name":"WF",
"createdAt":"2026-07-21T08:00:00.000Z","updatedAt":"2026-07-21T08:00:00.000Z","origin":"novu-cloud",
"status":"ACTIVE","severity":"none","preferences":{"default":{"all":{"enabled":true,"readOnly":false},"channels":{}}},
"steps":[{"_id":"6650c0ffee0000000000b001","stepId":"s","slug":"s_st_1","name":"S","type":"sms","origin":"novu-cloud",
"workflowId":"wf","workflowDatabaseId":"6650c0ffee0000000000a001","controls":{"values":{"body":"hi"}},"variables":{}}]}`

const envVar = `{"_id":"6650c0ffee0000000000c001","_organizationId":"6650c0ffee0000000000d001","key":"BASE_URL",
"type":"string","isSecret":false,"values":[],"createdAt":"2026-07-21T08:00:00.000Z","updatedAt":"2026-07-21T08:00:00.000Z"}`

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
		// The key's pattern is a JavaScript regex literal in the document.
		{"env var key", "POST", "/v1/environment-variables", `{"key":"BASE_URL"}`, answer(200, `{"data":`+envVar+`}`), ""},
		{"409 typed as a string, sent as an error object", "POST", "/v1/environment-variables", `{"key":"A"}`, answer(409, fmt.Sprintf(errBody, 409)), ""},
		{"409 that is no error object", "POST", "/v1/environment-variables", `{"key":"A"}`, answer(409, `{"message":"x"}`), "statusCode"},
		{"env var key rule", "POST", "/v1/environment-variables", `{"key":"1BASE"}`, answer(200, `{"data":`+envVar+`}`), "key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &testenv.RecordingTB{T: t}
			h := conformance.New(tb).Wrap(tt.handler)
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "ApiKey k")
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			got := strings.Join(tb.Reports(), "\n")
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
	tb := &testenv.RecordingTB{T: t}
	h := conformance.New(tb).Wrap(answer(200, `{"data":[]}`))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/environments", nil))
	if len(tb.Reports()) == 0 {
		t.Error("a request without Authorization passed")
	}
	tb = &testenv.RecordingTB{T: t}
	resp := conformance.New(tb).WrapResponses(answer(200, `{"data":[]}`))
	resp.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/environments", nil))
	if len(tb.Reports()) != 0 {
		t.Errorf("WrapResponses checked the request: %v", tb.Reports())
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

// TestHelperNewWithoutSpec is run by TestMissingSpec in a child process,
// where the document is missing; Load caches its result per process, so only
// a fresh process can see a missing document.
func TestHelperNewWithoutSpec(t *testing.T) {
	if os.Getenv("CONFORMANCE_HELPER") != "1" {
		t.Skip("helper for TestMissingSpec")
	}
	conformance.New(t)
	t.Log("checker made")
}

// TestMissingSpec: a document that cannot be read fails the test whatever
// CI says, both when $NOVU_OPENAPI names a missing file and when the
// repository's own copy is missing (a module root without third_party).
func TestMissingSpec(t *testing.T) {
	bin, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "openapi.json")
	bare := t.TempDir() // a module root that lacks the document
	if err := os.WriteFile(filepath.Join(bare, "go.mod"), []byte("module example.com/bare\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inBare := filepath.Join(bare, filepath.FromSlash(conformance.RepoPath))
	tests := []struct {
		name, dir, override string
		want                []string
	}{
		{"override", "", missing, []string{missing}},
		{"in-repo", bare, "", []string{inBare, "restore it"}},
	}
	for _, tt := range tests {
		for _, ci := range []string{"", "false", "true"} {
			t.Run(tt.name+"/CI="+ci, func(t *testing.T) {
				cmd := exec.Command(bin, "-test.run=^TestHelperNewWithoutSpec$", "-test.v", "-test.count=1")
				cmd.Dir = tt.dir
				for _, kv := range os.Environ() {
					if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "NOVU_OPENAPI=") && !strings.HasPrefix(kv, "GORACE=") {
						cmd.Env = append(cmd.Env, kv)
					}
				}
				// GORACE: a -race binary otherwise sleeps a second before exiting.
				cmd.Env = append(cmd.Env, "CONFORMANCE_HELPER=1", "GORACE=atexit_sleep_ms=0")
				if tt.override != "" {
					cmd.Env = append(cmd.Env, "NOVU_OPENAPI="+tt.override)
				}
				if ci != "" {
					cmd.Env = append(cmd.Env, "CI="+ci)
				}
				out, err := cmd.CombinedOutput()
				var exit *exec.ExitError
				if !errors.As(err, &exit) {
					t.Fatalf("child: err %v, want a failed test; output:\n%s", err, out)
				}
				for _, w := range append([]string{"--- FAIL: TestHelperNewWithoutSpec", "conformance: read OpenAPI document", conformance.RepoPath}, tt.want...) {
					if !strings.Contains(string(out), w) {
						t.Errorf("child output lacks %q:\n%s", w, out)
					}
				}
				if strings.Contains(string(out), "checker made") {
					t.Errorf("New returned without a document:\n%s", out)
				}
				if strings.Count(string(out), "conformance: conformance:") > 0 {
					t.Errorf("repeated prefix:\n%s", out)
				}
			})
		}
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
	if want := filepath.Join(root, "third_party", "novu", "openapi.json"); p != want {
		t.Errorf("SpecPath = %q, want %q", p, want)
	}
	if d, err := conformance.DefaultPath(); err != nil || d != p {
		t.Errorf("DefaultPath = %q, %v; want %q", d, err, p)
	}
}

// TestDocumentUnedited holds the repository's copy of the document to what
// third_party/novu/README.md records of it: the sha256, size and git blob id
// of the file as published in novuhq/novu-ts. An edit, a truncation or a
// line-ending conversion fails here; so does a new version whose README row
// was not updated with it.
func TestDocumentUnedited(t *testing.T) {
	path, err := conformance.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join(filepath.Dir(path), "README.md")
	notes, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	row := func(field, value string) string {
		t.Helper()
		m := regexp.MustCompile(`(?m)^\| ` + field + ` \| ` + "`?" + `(` + value + `)`).FindSubmatch(notes)
		if m == nil {
			t.Fatalf("%s: no %q row in the source table", readme, field)
		}
		return string(m[1])
	}
	sum := sha256.Sum256(data)
	if got, want := hex.EncodeToString(sum[:]), row("sha256", "[0-9a-f]{64}"); got != want {
		t.Errorf("%s: sha256 %s, but %s records %s: the document must stay as published (or, for a new version, update the README with it)", path, got, readme, want)
	}
	if got, want := strconv.Itoa(len(data)), row("size", "[0-9]+"); got != want {
		t.Errorf("%s: %s bytes, %s records %s", path, got, readme, want)
	}
	// git's blob id: sha1 of "blob <size>\x00" and the content.
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	if got, want := hex.EncodeToString(h.Sum(nil)), row("git blob id", "[0-9a-f]{40}"); got != want {
		t.Errorf("%s: git blob id %s, %s records %s", path, got, readme, want)
	}
}
