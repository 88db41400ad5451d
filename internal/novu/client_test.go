package novu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"
)

const workflowJSON = `{"data": {"_id": "6650c0ffee0000000000a001", "workflowId": "payout-initiated",
 "slug": "payout-initiated_wf_6650c0ffee0000000000a001", "name": "Payout initiated", "description": "d",
 "tags": ["payouts", "novugen"], "active": true, "severity": "high", "validatePayload": true,
 "isTranslationEnabled": false, "payloadSchema": {"type": "object"},
 "preferences": {"default": {"all": {"enabled": true, "readOnly": true}, "channels": {"email": {"enabled": false}}}},
 "origin": "novu-cloud", "status": "ERROR", "updatedAt": "2026-07-21T08:00:00.000Z",
 "steps": [
  {"_id": "6650c0ffee0000000000b001", "stepId": "notice", "name": "Notice", "type": "in_app",
   "controlValues": {"body": "hi"}, "issues": {"controls": {"subject": [{"issueType": "MISSING_VALUE", "message": "Subject is missing"}]}}},
  {"_id": "6650c0ffee0000000000b002", "stepId": "wait", "name": "Wait", "type": "delay",
   "controls": {"values": {"amount": 2, "unit": "hours"}, "dataSchema": {}}}
 ]}}`

func TestGetWorkflowUnwrapsEnvelope(t *testing.T) {
	var gotAuth, gotAccept, gotPath, gotQuery string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotAccept = r.Header.Get("Authorization"), r.Header.Get("Accept")
		gotPath, gotQuery = r.URL.EscapedPath(), r.URL.RawQuery
		io.WriteString(w, workflowJSON)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	wf, err := c.GetWorkflow(context.Background(), "payout initiated", "env1")
	if err != nil {
		t.Fatal(err)
	}
	if gotAuth != "ApiKey "+testKey || gotAccept != "application/json" {
		t.Errorf("headers: Authorization %q, Accept %q", gotAuth, gotAccept)
	}
	if gotPath != "/v2/workflows/payout%20initiated" || gotQuery != "environmentId=env1" {
		t.Errorf("request %s?%s", gotPath, gotQuery)
	}
	if wf.ID != "6650c0ffee0000000000a001" || wf.WorkflowID != "payout-initiated" || !wf.Active ||
		wf.Severity != "high" || wf.Status != "ERROR" || string(wf.PayloadSchema) != `{"type": "object"}` {
		t.Errorf("workflow fields: %+v", wf)
	}
	if wf.Preferences.Default == nil || !wf.Preferences.Default.All.ReadOnly || wf.Preferences.User != nil {
		t.Errorf("preferences: %+v", wf.Preferences)
	}
	wantSteps := []Step{
		{ID: "6650c0ffee0000000000b001", StepID: "notice", Name: "Notice", Type: "in_app",
			ControlValues: map[string]any{"body": "hi"},
			Issues:        &StepIssues{Controls: map[string][]Issue{"subject": {{IssueType: "MISSING_VALUE", Message: "Subject is missing"}}}}},
		// controlValues absent: taken from controls.values.
		{ID: "6650c0ffee0000000000b002", StepID: "wait", Name: "Wait", Type: "delay",
			ControlValues: map[string]any{"amount": 2.0, "unit": "hours"}},
	}
	if diff := cmp.Diff(wantSteps, wf.Steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"notice": "6650c0ffee0000000000b001", "wait": "6650c0ffee0000000000b002"}, wf.StepIDs()); diff != "" {
		t.Errorf("StepIDs (-want +got):\n%s", diff)
	}
}

func TestEnvironments(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/environments" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `{"data": [{"_id": "e1", "name": "Development", "identifier": "dv1", "type": "dev", "apiKeys": [{"key": "x"}]},
			{"_id": "e3", "name": "Staging", "identifier": "st3", "type": null, "_parentId": "e1", "apiKeys": []}]}`)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	envs, err := c.Environments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Environment{{ID: "e1", Name: "Development", Identifier: "dv1", Type: "dev", Own: true}, {ID: "e3", Name: "Staging", Identifier: "st3", ParentID: "e1"}}
	if diff := cmp.Diff(want, envs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s := fmt.Sprintf("%#v", envs); strings.Contains(s, `"x"`) {
		t.Errorf("environments keep the listed API key: %s", s)
	}
}

func TestBaseURLPathPrefixIsKept(t *testing.T) {
	var got string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Path
		io.WriteString(w, `{"data": []}`)
	})
	c, _ := newTestClient(t, srv.URL+"/novu/", nil)
	listEnvironments(t, c, 1)
	if got != "/novu/v1/environments" {
		t.Errorf("path %q, want /novu/v1/environments", got)
	}
}

func TestListWorkflowsReadsAllPages(t *testing.T) {
	const total = 250
	var mu sync.Mutex
	var queries []string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		q := r.URL.Query()
		var limit, offset int
		fmt.Sscan(q.Get("limit"), &limit)
		fmt.Sscan(q.Get("offset"), &offset)
		var items []string
		for i := offset; i < min(offset+limit, total); i++ {
			items = append(items, fmt.Sprintf(`{"_id": "id%d", "workflowId": "wf-%d", "name": "n", "tags": ["novugen"], "status": "ACTIVE"}`, i, i))
		}
		fmt.Fprintf(w, `{"data": {"workflows": [%s], "totalCount": %d}}`, strings.Join(items, ","), total)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	list, err := c.ListWorkflows(context.Background(), ListOptions{Tags: []string{"novugen", "x"}, Query: "wf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != total || list[0].WorkflowID != "wf-0" || list[total-1].WorkflowID != fmt.Sprintf("wf-%d", total-1) {
		t.Fatalf("got %d items", len(list))
	}
	want := []string{
		"limit=100&offset=0&query=wf&tags=novugen&tags=x",
		"limit=100&offset=100&query=wf&tags=novugen&tags=x",
		"limit=100&offset=200&query=wf&tags=novugen&tags=x",
	}
	if diff := cmp.Diff(want, queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
}

func TestListWorkflowsRejectsMissingList(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"data": {"totalCount": 3}}`)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	_, err := c.ListWorkflows(context.Background(), ListOptions{})
	var de *DecodeError
	if !errors.As(err, &de) || de.Reason != `no "workflows" array in "data"` {
		t.Fatalf("err = %v, want a DecodeError about the missing list", err)
	}
}

func TestDeleteWorkflow(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodDelete {
			t.Errorf("method %s", r.Method)
		}
		if r.URL.Path == "/v2/workflows/gone" {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"statusCode": 404, "message": "Workflow cannot be found", "workflowId": "gone"}`)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	if err := c.DeleteWorkflow(context.Background(), "here"); err != nil {
		t.Errorf("delete: %v", err)
	}
	err := c.DeleteWorkflow(context.Background(), "gone")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("delete of unknown: %v, want ErrNotFound", err)
	}
	if got, want := err.Error(), "DELETE /v2/workflows/gone: 404 Not Found: Workflow cannot be found"; got != want {
		t.Errorf("error\n got %s\nwant %s", got, want)
	}
}

func TestSyncWorkflowSendsTargetID(t *testing.T) {
	var body map[string]any
	var path string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.Method + " " + r.URL.Path
		json.NewDecoder(r.Body).Decode(&body)
		io.WriteString(w, `{"data": {"_id": "c1", "workflowId": "x", "steps": []}}`)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	wf, err := c.SyncWorkflow(context.Background(), "x", "env3")
	if err != nil {
		t.Fatal(err)
	}
	if path != "PUT /v2/workflows/x/sync" || body["targetEnvironmentId"] != "env3" || len(body) != 1 || wf.ID != "c1" {
		t.Errorf("sent %s %v, got %+v", path, body, wf)
	}
}

func TestRetriesRetryableStatusesThenSucceeds(t *testing.T) {
	for _, status := range []int{408, 409, 429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var n counter
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if n.add(r) <= 3 {
					if status == http.StatusConflict {
						// A 409 is retried only when it says when to come
						// back; 0 leaves the backoff checked below in charge.
						w.Header().Set("Retry-After", "0")
					}
					w.WriteHeader(status)
					io.WriteString(w, `{"statusCode": 0, "message": "try again"}`)
					return
				}
				io.WriteString(w, `{"data": []}`)
			})
			var infos []RetryInfo
			c, clk := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.MaxBackoff = 2 * time.Second
				cfg.OnRetry = func(ri RetryInfo) { infos = append(infos, ri) }
			})
			listEnvironments(t, c, 1)
			if got := n.get("GET /v1/environments"); got != 4 {
				t.Errorf("%d attempts, want 4", got)
			}
			st := c.Stats()
			if st.Requests != 4 || st.Retries != 3 || st.ByStatus[status] != 3 || st.ByStatus[200] != 1 {
				t.Errorf("stats %+v", st)
			}
			waits := clk.Waits()
			if len(waits) != 3 || len(infos) != 3 {
				t.Fatalf("waits %v, retry infos %d, want 3", waits, len(infos))
			}
			for i, w := range waits {
				ceiling := min(time.Duration(float64(time.Second)*pow15(i)), 2*time.Second)
				if w < 0 || w > ceiling {
					t.Errorf("wait %d = %s, want within [0, %s]", i, w, ceiling)
				}
				if ri := infos[i]; ri.Attempt != i+1 || ri.Status != status || ri.Wait != w || ri.Method != "GET" || ri.Path != "/v1/environments" || ri.Err == nil {
					t.Errorf("retry info %d = %+v", i, ri)
				}
			}
		})
	}
}

// A 409 without Retry-After is a conflict (an identifier or key taken):
// it fails at once, on every method, rather than after the retries.
func TestConflictWithoutRetryAfterIsNotRetried(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"statusCode": 409, "message": "Layout with identifier: brand already exists under environment env1"}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	_, err := c.Environments(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusConflict || ae.Retries != 0 || !strings.Contains(err.Error(), "brand already exists") {
		t.Fatalf("err = %v, want the 409 with Novu's message and no retries", err)
	}
	if got := n.get("GET /v1/environments"); got != 1 || len(clk.Waits()) != 0 {
		t.Errorf("%d attempts, waits %v; want 1 attempt and no wait", got, clk.Waits())
	}
}

func pow15(n int) float64 {
	f := 1.0
	for range n {
		f *= 1.5
	}
	return f
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.MaxBackoff = 5 * time.Second })
	seen := map[time.Duration]bool{}
	for attempt := 1; attempt <= 30; attempt++ {
		d := c.backoff(attempt)
		ceiling := min(time.Duration(float64(time.Second)*pow15(attempt-1)), 5*time.Second)
		if d < 0 || d > ceiling {
			t.Errorf("attempt %d: %s, want within [0, %s]", attempt, d, ceiling)
		}
		seen[d] = true
	}
	if len(seen) < 25 {
		t.Errorf("only %d distinct waits in 30: no jitter", len(seen))
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	var n counter
	srv := answer(t, &n, http.StatusServiceUnavailable, `{"statusCode": 503, "message": "down for maintenance"}`)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetWorkflow(context.Background(), "x", "")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Retries != 2 {
		t.Fatalf("err = %#v", err)
	}
	if got := n.get("GET /v2/workflows/x"); got != 3 {
		t.Errorf("%d attempts, want 3", got)
	}
	want := "GET /v2/workflows/x: 503 Service Unavailable: down for maintenance (3 attempts; gave up after 2 retries)"
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC()
	tests := []struct {
		name   string
		status int
		header map[string]string
		want   time.Duration
	}{
		{"seconds", 429, map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{"http date", 503, map[string]string{"Retry-After": date.Format(http.TimeFormat)}, 0}, // checked below
		{"ratelimit reset on 429", 429, map[string]string{"RateLimit-Reset": "4"}, 4 * time.Second},
		{"retry-after wins over reset", 429, map[string]string{"Retry-After": "2", "RateLimit-Reset": "9"}, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n counter
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if n.add(r) == 1 {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(tt.status)
					io.WriteString(w, `{"statusCode": 429, "message": "API rate limit exceeded"}`)
					return
				}
				io.WriteString(w, `{"data": []}`)
			})
			// A small cap: any wait above it can only be the server's.
			c, clk := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxBackoff = 100 * time.Millisecond })
			clk.t = date.Add(-90 * time.Second)
			listEnvironments(t, c, 1)
			waits := clk.Waits()
			if len(waits) != 1 {
				t.Fatalf("waits %v, want one", waits)
			}
			want := tt.want
			if tt.name == "http date" {
				// HTTP dates have whole seconds.
				want = date.Truncate(time.Second).Sub(clk.t.Add(-waits[0]))
			}
			if waits[0] != want {
				t.Errorf("waited %s, want %s", waits[0], want)
			}
		})
	}
}

func TestGivesUpWhenNextAttemptWouldPassDeadline(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"statusCode": 429, "message": "API rate limit exceeded"}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.Environments(ctx)
	if n.get("GET /v1/environments") != 1 || len(clk.Waits()) != 0 {
		t.Errorf("attempts %d, waits %v; want 1 attempt, no wait", n.get("GET /v1/environments"), clk.Waits())
	}
	want := "GET /v1/environments: 429 Too Many Requests: API rate limit exceeded (1 attempts; gave up: the next attempt, in 1m0s, would be after the deadline)"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

func TestRefusesHugeRetryAfter(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "86400")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	_, err := c.Environments(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 || len(clk.Waits()) != 0 {
		t.Fatalf("err = %v, waits %v", err, clk.Waits())
	}
}

func TestRateLimitRemainingZeroPausesNextCall(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", "3")
		io.WriteString(w, `{"data": []}`)
	})
	c, clk := newTestClient(t, srv.URL, nil)
	listEnvironments(t, c, 2)
	clk.checkWaits(t, 3*time.Second)
	if st := c.Stats(); st.RateLimitPauses != 1 || st.Retries != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestSharedLimiterIsWaitedOn(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		io.WriteString(w, `{"data": []}`)
	})
	// One token, refilled once an hour: the second call cannot get one
	// before its deadline and must fail without sending.
	lim := rate.NewLimiter(rate.Every(time.Hour), 1)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = lim })
	listEnvironments(t, c, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.Environments(ctx)
	if err == nil || n.get("GET /v1/environments") != 1 {
		t.Fatalf("err = %v, %d requests; want an error and 1 request", err, n.get("GET /v1/environments"))
	}
}

var idemKeyRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

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
	if _, err := c.CreateWorkflow(ctx, CreateRequest{WorkflowID: "x", WorkflowBody: WorkflowBody{Name: "X"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateWorkflow(ctx, CreateRequest{WorkflowID: "y", WorkflowBody: WorkflowBody{Name: "Y"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateWorkflow(ctx, "x", UpdateRequest{WorkflowBody: WorkflowBody{Name: "X"}}); err != nil {
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
		if _, err := c.CreateWorkflow(kctx, CreateRequest{WorkflowID: "z", WorkflowBody: WorkflowBody{Name: "Z"}}); err != nil {
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
	_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: WorkflowBody{Name: "X"}})
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
			_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: WorkflowBody{Name: "X"}})
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
	_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: WorkflowBody{Name: "X"}})
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
	_, err := c.CreateWorkflow(context.Background(), CreateRequest{WorkflowID: "x", WorkflowBody: WorkflowBody{Name: "X"}})
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
	if _, err := c.UpdateWorkflow(context.Background(), "x", UpdateRequest{WorkflowBody: WorkflowBody{Name: "X"}}); err != nil {
		t.Fatal(err)
	}
	if got := n.get("PUT /v2/workflows/x"); got != 2 || len(clk.Waits()) != 1 {
		t.Errorf("PUT sent %d times, waits %v; want 2 and 1", got, clk.Waits())
	}
	if st := c.Stats(); st.TransportErrors != 1 || st.Retries != 1 || st.Requests != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestUnauthorizedIsNotRetried(t *testing.T) {
	var n counter
	srv := answer(t, &n, http.StatusUnauthorized, `{"statusCode": 401, "message": "API Key not found"}`)
	c, _ := newTestClient(t, srv.URL, nil)
	_, err := c.Environments(context.Background())
	if !errors.Is(err, ErrUnauthorized) || n.get("GET /v1/environments") != 1 {
		t.Fatalf("err = %v after %d attempts", err, n.get("GET /v1/environments"))
	}
	want := "GET /v1/environments: 401 Unauthorized: the secret key was refused by " + srv.URL +
		" (check that the key is this environment's secret key and belongs to this Novu host or region): API Key not found"
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
}

func TestForbidden(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"statusCode": 403, "message": "API key is scoped to a single environment"}`)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	_, err := c.GetWorkflow(context.Background(), "x", "other")
	if !errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrForbidden", err)
	}
}

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

func TestRedirectToAnotherHostDropsKey(t *testing.T) {
	var mu sync.Mutex
	auth := map[string]string{}
	other := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth["other "+r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
		if r.URL.Path == "/other-host" {
			io.WriteString(w, `{"data": {"_id": "z"}}`)
			return
		}
		io.WriteString(w, `{"data": []}`)
	})
	// Same loopback address on another port is another origin, which
	// net/http itself would still send the key to (it compares hostnames
	// only); another hostname is the case net/http already covers.
	otherPort := other.URL
	otherHost := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	var srv = serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth["self "+r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
		switch r.URL.Path {
		case "/v1/environments":
			http.Redirect(w, r, otherPort+"/other-port", http.StatusFound)
		case "/v2/workflows/z":
			http.Redirect(w, r, otherHost+"/other-host", http.StatusFound)
		case "/v2/workflows/x":
			http.Redirect(w, r, "/v2/workflows/y", http.StatusMovedPermanently)
		default:
			io.WriteString(w, `{"data": {"_id": "y"}}`)
		}
	})
	c, _ := newTestClient(t, srv.URL, nil)
	listEnvironments(t, c, 1)
	if _, err := c.GetWorkflow(context.Background(), "x", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWorkflow(context.Background(), "z", ""); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"self /v1/environments": "ApiKey " + testKey,
		"other /other-port":     "",
		"self /v2/workflows/z":  "ApiKey " + testKey,
		"other /other-host":     "",
		"self /v2/workflows/x":  "ApiKey " + testKey,
		"self /v2/workflows/y":  "ApiKey " + testKey, // same host: kept
	}
	if diff := cmp.Diff(want, auth); diff != "" {
		t.Errorf("Authorization seen (-want +got):\n%s", diff)
	}
}

func TestWritesDoNotFollowRedirects(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		http.Redirect(w, r, "/v2/elsewhere", http.StatusFound)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	_, err := c.UpdateWorkflow(context.Background(), "x", UpdateRequest{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusFound || n.get("GET /v2/elsewhere") != 0 {
		t.Fatalf("err = %v; the redirect must not be followed", err)
	}
	if want := []string{"unexpected redirect to /v2/elsewhere"}; !cmp.Equal(want, ae.Message[len(ae.Message)-1:]) {
		t.Errorf("messages %q", ae.Message)
	}
}

func TestKeyAppearsInNoOutput(t *testing.T) {
	// A hostile proxy that echoes the request headers in its error page.
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message": ["bad header %s"], "errors": {"h": {"messages": ["%s"]}}}`, r.Header.Get("Authorization"), r.Header.Get("Authorization"))
	})
	var retried []string
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.OnRetry = func(ri RetryInfo) { retried = append(retried, fmt.Sprint(ri)) }
	})
	_, err := c.Environments(context.Background())
	if err == nil {
		t.Fatal("want an error")
	}
	var ae *APIError
	errors.As(err, &ae)
	outputs := []string{
		err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", ae), fmt.Sprintf("%v", ae.Message), fmt.Sprint(ae.Errors),
		fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", c.Stats()),
		strings.Join(retried, " "),
	}
	cfg := Config{Key: testKey}
	outputs = append(outputs, fmt.Sprintf("%v %+v %#v %s %q %x", cfg, cfg, cfg, cfg.Key, cfg.Key, cfg.Key))
	for _, out := range outputs {
		if strings.Contains(out, testKey) {
			t.Errorf("key leaked in %q", out)
		}
	}
	if got, want := ae.Message, []string{"bad header ApiKey [redacted]"}; !cmp.Equal(want, got) {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestConcurrentUseIsSafe(t *testing.T) {
	var mu sync.Mutex
	n, failed := 0, 0
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		fail := n%3 == 0
		if fail {
			failed++
		}
		mu.Unlock()
		if fail {
			w.Header().Set("RateLimit-Remaining", "0")
			w.Header().Set("RateLimit-Reset", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, `{"data": []}`)
	})
	// Every third request overall is refused, whoever sends it: one call
	// can draw several in a row, so retries are not what this test bounds.
	c, _ := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 1000 })
	fromCallers(t, 8, 10, func() error { _, err := c.Environments(context.Background()); return err })
	st := c.Stats()
	if st.Requests != int64(n) || st.Retries != int64(failed) || st.ByStatus[429] != int64(failed) || st.ByStatus[200] != 80 {
		t.Errorf("stats %+v; server saw %d requests, %d answered 429", st, n, failed)
	}
}

// The redirect policy keeps the key only for the configured scheme and
// host: a downgrade to http on the same host, a subdomain (which net/http
// itself would trust) and another port all lose it. Checked on the policy
// directly, since a TLS downgrade cannot be staged on loopback.
func TestRedirectPolicyKeepsKeyOnlyForTheSameOrigin(t *testing.T) {
	base, err := url.Parse("https://api.novu.co")
	if err != nil {
		t.Fatal(err)
	}
	hc, err := httpClient(nil, base)
	if err != nil {
		t.Fatal(err)
	}
	for target, keep := range map[string]bool{
		"https://api.novu.co/v2/workflows/y":     true,
		"https://API.novu.co/v2/workflows/y":     true,
		"http://api.novu.co/v2/workflows/y":      false,
		"https://eu.api.novu.co/v2/workflows/y":  false,
		"https://api.novu.co:8443/v2/workflows/": false,
		"https://evil.example/v2/workflows/y":    false,
	} {
		first := httptest.NewRequest(http.MethodGet, "https://api.novu.co/v2/workflows/x", nil)
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "ApiKey "+testKey)
		if err := hc.CheckRedirect(req, []*http.Request{first}); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if got := req.Header.Get("Authorization") != ""; got != keep {
			t.Errorf("redirect to %s: key kept = %v, want %v", target, got, keep)
		}
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
