package novutest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
)

// epoch is when the test clocks start.
var epoch = time.Date(2026, 7, 21, 8, 0, 0, 0, time.UTC)

// clock ticks one millisecond per reading, so timestamps are repeatable
// and still move forward.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: epoch} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// start runs an emulator with the default options whose every request
// and response is checked against openapi.json (testenv.Emulator), on a
// ticking clock.
func start(t *testing.T) *novutest.Server {
	t.Helper()
	return startWith(t, novutest.Options{})
}

// startWith is start with opts, on a ticking clock unless opts.Now says
// otherwise.
func startWith(t *testing.T, opts novutest.Options) *novutest.Server {
	t.Helper()
	return testenv.Emulator(t, ticking(opts))
}

// startLoose is start checking responses only, for tests that send bad
// requests (testenv.EmulatorCheckingResponses).
func startLoose(t *testing.T) *novutest.Server {
	t.Helper()
	return testenv.EmulatorCheckingResponses(t, ticking(novutest.Options{}))
}

// ticking gives opts a clock of its own (newClock) when it has none, so
// that the emulator's timestamps repeat from run to run.
func ticking(opts novutest.Options) novutest.Options {
	if opts.Now == nil {
		opts.Now = newClock().Now
	}
	return opts
}

type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// data returns the object inside {"data": …}.
func (r response) data(t *testing.T) map[string]any {
	t.Helper()
	d, ok := r.body["data"].(map[string]any)
	if !ok {
		t.Fatalf("status %d, no data object in %s", r.status, r.raw)
	}
	return d
}

// do sends body as JSON (none when nil) with the key of env (none when
// ""), then the header pairs, and reads the answer.
func do(t testing.TB, srv *novutest.Server, env, method, path string, body any, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(mustJSON(t, body))
		header = append([]string{"Content-Type", "application/json"}, header...)
	}
	resp, err := send(srv, method, path, rd, srv.Key(env), header...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %s", method, path, raw)
		}
	}
	return r
}

// rawDo sends body as is with that Content-Type (none when ""), and the
// key when not "", and returns the status or the transport error.
func rawDo(srv *novutest.Server, method, path, contentType, body, key string) (int, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var header []string
	if contentType != "" {
		header = []string{"Content-Type", contentType}
	}
	resp, err := send(srv, method, path, rd, key, header...)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// doB sends one authenticated Development request for a benchmark and
// returns the status.
func doB(b *testing.B, srv *novutest.Server, method, path string, body any) int {
	status, err := rawDo(srv, method, path, "application/json", string(mustJSON(b, body)), srv.Key("Development"))
	if err != nil {
		b.Fatal(err)
	}
	return status
}

// send is the request every helper makes: body, the key when not "", then
// the header pairs.
func send(srv *novutest.Server, method, path string, body io.Reader, key string, header ...string) (*http.Response, error) {
	req, err := http.NewRequest(method, srv.URL()+path, body)
	if err != nil {
		return nil, err
	}
	if key != "" {
		req.Header.Set("Authorization", "ApiKey "+key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return http.DefaultClient.Do(req)
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func expect(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.raw)
	}
}

// definition is a workflow body in the style of docs/novu-api.md §13 A.
func definition(name string, steps ...map[string]any) map[string]any {
	if steps == nil {
		steps = []map[string]any{
			{"stepId": "notice", "name": "Notice", "type": "in_app",
				"controlValues": map[string]any{"body": "{{payload.amount}} is on its way, {{subscriber.firstName}}."}},
			{"stepId": "email", "name": "Email", "type": "email",
				"controlValues": map[string]any{"subject": "Payout", "body": "<p>Paid</p>", "editorType": "html"}},
		}
	}
	return map[string]any{
		"name": name, "active": true, "severity": "high", "validatePayload": true,
		"isTranslationEnabled": false, "tags": []string{"payouts", "novugen"},
		"payloadSchema": map[string]any{"type": "object", "required": []string{"amount"},
			"properties": map[string]any{"amount": map[string]any{"type": "number"}}},
		"preferences": map[string]any{"user": nil, "workflow": map[string]any{
			"all": map[string]any{"enabled": true, "readOnly": true},
			"channels": map[string]any{"in_app": map[string]any{"enabled": true}, "email": map[string]any{"enabled": true},
				"sms": map[string]any{"enabled": false}, "chat": map[string]any{"enabled": false}, "push": map[string]any{"enabled": false}}}},
		"steps": steps,
	}
}

func createBody(workflowID, name string, steps ...map[string]any) map[string]any {
	d := definition(name, steps...)
	d["workflowId"] = workflowID
	return d
}

func updateBody(name string, steps ...map[string]any) map[string]any {
	d := definition(name, steps...)
	d["origin"] = "novu-cloud"
	return d
}

func envID(t *testing.T, srv *novutest.Server, name string) string {
	t.Helper()
	for _, e := range srv.Environments() {
		if e.Name == name {
			return e.ID
		}
	}
	t.Fatalf("no environment %s", name)
	return ""
}

// frozen is a clock that never moves, so a bucket does not refill.
func frozen() time.Time { return epoch }

// recorder is an http.ResponseWriter for calling Server.Handler in-process.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}, status: 200} }

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }

// content is w without what the server computes per environment, which
// sync does not copy: ids, slugs, timestamps and publishing marks.
func content(w novutest.Workflow) novutest.Workflow {
	w.ID, w.Slug, w.CreatedAt, w.UpdatedAt = "", "", "", ""
	w.UpdatedBy, w.LastPublishedAt, w.LastPublishedBy = nil, nil, nil
	for i := range w.Steps {
		st := &w.Steps[i]
		st.ID, st.Slug, st.WorkflowDatabaseID = "", "", ""
	}
	return w
}

// hookTypes lists the types of an environment's webhooks, oldest first.
func hookTypes(srv *novutest.Server, env string) []string {
	var out []string
	for _, h := range srv.Webhooks(env) {
		out = append(out, h.Type+" "+h.WorkflowID)
	}
	return out
}

// createWorkflow posts body (a createBody) to Development, with the
// header pairs; the create must answer 201, and the answer is returned.
func createWorkflow(t *testing.T, srv *novutest.Server, body map[string]any, header ...string) response {
	t.Helper()
	r := do(t, srv, "Development", "POST", "/v2/workflows", body, header...)
	expect(t, r, 201)
	return r
}

// syncWorkflow syncs the Development workflow id to the environment with
// _id target; the sync must answer 200.
func syncWorkflow(t *testing.T, srv *novutest.Server, id, target string) {
	t.Helper()
	expect(t, do(t, srv, "Development", "PUT", "/v2/workflows/"+id+"/sync", map[string]any{"targetEnvironmentId": target}), 200)
}
