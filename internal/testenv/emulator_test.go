package testenv

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

// Emulator reports a request Novu's document forbids;
// EmulatorCheckingResponses lets it through and still checks the answer;
// an answer opts.Wrap gives itself is checked by neither.
func TestEmulatorChecks(t *testing.T) {
	// "order shipped" breaks the document's pattern for workflowIds.
	const badCreate = `{"name":"N","workflowId":"order shipped","steps":[{"name":"S","type":"sms","controlValues":{"body":"b"}}]}`
	teapot := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				w.WriteHeader(http.StatusTeapot) // a status the document does not declare
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	for _, tt := range []struct {
		name     string
		start    func(testing.TB, novutest.Options) *novutest.Server
		wrap     func(http.Handler) http.Handler
		method   string
		path     string
		body     string
		reported string // "" when nothing may be reported
	}{
		{"Emulator, bad request", Emulator, nil, http.MethodPost, "/v2/workflows", badCreate, "request POST /v2/workflows"},
		{"EmulatorCheckingResponses, bad request", EmulatorCheckingResponses, nil, http.MethodPost, "/v2/workflows", badCreate, ""},
		// The emulator's own answers conform; one to a path the document
		// lacks shows the check is still in place.
		{"EmulatorCheckingResponses, unknown path", EmulatorCheckingResponses, nil, http.MethodGet, "/v1/unknown", "", "no operation"},
		{"Emulator, answer of opts.Wrap", Emulator, teapot, http.MethodGet, "/v2/workflows", "", ""},
		{"EmulatorCheckingResponses, answer of opts.Wrap", EmulatorCheckingResponses, teapot, http.MethodGet, "/v2/workflows", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &RecordingTB{T: t}
			srv := tt.start(rec, novutest.Options{Wrap: tt.wrap})
			req, err := http.NewRequest(tt.method, srv.URL()+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "ApiKey "+srv.Key("Development"))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			got := strings.Join(rec.Reports(), "\n")
			if tt.reported == "" && got != "" {
				t.Errorf("reported:\n%s\nwant nothing", got)
			}
			if tt.reported != "" && !strings.Contains(got, tt.reported) {
				t.Errorf("reported:\n%s\nwant a report of %q", got, tt.reported)
			}
		})
	}
}
