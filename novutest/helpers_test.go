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

	"github.com/novugen/novugen/internal/conformance"
	"github.com/novugen/novugen/novutest"
)

// clock ticks one millisecond per reading, so timestamps are repeatable
// and still move forward.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 7, 21, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// start runs an emulator whose every request and response is checked
// against openapi.json.
func start(t *testing.T, opts novutest.Options) *novutest.Server {
	t.Helper()
	if opts.Now == nil {
		opts.Now = newClock().Now
	}
	if opts.Wrap == nil {
		opts.Wrap = conformance.New(t).Wrap
	}
	srv := novutest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv
}

// startLoose checks responses only, for tests that send bad requests.
func startLoose(t *testing.T, opts novutest.Options) *novutest.Server {
	t.Helper()
	opts.Wrap = conformance.New(t).WrapResponses
	return start(t, opts)
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

func do(t *testing.T, srv *novutest.Server, env, method, path string, body any, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, srv.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if env != "" {
		req.Header.Set("Authorization", "ApiKey "+srv.Key(env))
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
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

// doB sends one authenticated Development request for a benchmark and
// returns the status.
func doB(b *testing.B, srv *novutest.Server, method, path string, body any) int {
	data, err := json.Marshal(body)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest(method, srv.URL()+path, bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "ApiKey "+srv.Key("Development"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
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

// rawDo sends body as is with that Content-Type (none when ""), and the
// key when not "", and returns the status or the transport error.
func rawDo(srv *novutest.Server, method, path, contentType, body, key string) (int, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL()+path, rd)
	if err != nil {
		return 0, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set("Authorization", "ApiKey "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}
