package novu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const workflowJSON = `{"data": {"_id": "6650c0ffee0000000000a001", "workflowId": "payout-initiated",
 "slug": "payout-initiated_wf_6650c0ffee0000000000a001", "name": "Payout initiated", "description": "d",
 "tags": ["payouts", "novugen"], "active": true, "severity": "high", "validatePayload": true,
 "isTranslationEnabled": true, "payloadSchema": {"type": "object"},
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
	if wf.ID != "6650c0ffee0000000000a001" || wf.WorkflowID != "payout-initiated" || wf.Status != "ERROR" {
		t.Errorf("workflow fields: %+v", wf)
	}
	// The settings are the ones a request sends: each is decoded.
	wantSettings := WorkflowSettings{Name: "Payout initiated", Description: "d", Tags: []string{"payouts", "novugen"},
		Active: true, Severity: "high", ValidatePayload: true, IsTranslationEnabled: true, PayloadSchema: json.RawMessage(`{"type": "object"}`)}
	if diff := cmp.Diff(wantSettings, wf.WorkflowSettings); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
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
