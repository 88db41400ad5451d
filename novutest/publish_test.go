package novutest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
)

// publishOutcome reads a publish answer as action → workflowIds.
func publishOutcome(t *testing.T, r response) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	res := r.data(t)["results"].([]any)[0].(map[string]any)
	for _, kind := range []string{"successful", "failed", "skipped"} {
		for _, raw := range res[kind].([]any) {
			e := raw.(map[string]any)
			key := kind
			if a, ok := e["action"].(string); ok {
				key = a
			}
			out[key] = append(out[key], e["resourceId"].(string))
		}
	}
	return out
}

// publishFixture starts an emulator with workflows a and b in Development
// and an active workflow stale, which Development lacks, in Staging, and
// returns it with Staging's _id.
func publishFixture(t *testing.T) (*novutest.Server, string) {
	t.Helper()
	srv := start(t)
	stg := envID(t, srv, "Staging")
	for _, id := range []string{"a", "b"} {
		createWorkflow(t, srv, createBody(id, id))
	}
	srv.PutWorkflow("Staging", novutest.Workflow{WorkflowID: "stale", Name: "Stale", Active: true})
	return srv, stg
}

func TestPublishWithoutResourcesPublishesAllAndDeletesMissing(t *testing.T) {
	srv, stg := publishFixture(t)
	srv.PutWorkflow("Staging", novutest.Workflow{WorkflowID: "paused", Name: "Paused", Active: false})
	publish := func(body map[string]any) response {
		t.Helper()
		r := do(t, srv, "Development", "POST", "/v2/environments/"+stg+"/publish", body)
		expect(t, r, 200)
		return r
	}
	staging := func() []string {
		var ids []string
		for _, w := range srv.Workflows("Staging") {
			ids = append(ids, w.WorkflowID)
		}
		return ids
	}
	want := map[string][]string{"created": {"a", "b"}, "deleted": {"stale"}}

	dry := publish(map[string]any{"dryRun": true})
	if diff := cmp.Diff(want, publishOutcome(t, dry)); diff != "" {
		t.Errorf("dry run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"paused", "stale"}, staging()); diff != "" || srv.Counts().Op("publish").Writes != 0 {
		t.Errorf("dry run changed Staging (-want +got):\n%s", diff)
	}

	r := publish(map[string]any{})
	if diff := cmp.Diff(want, publishOutcome(t, r)); diff != "" {
		t.Errorf("publish (-want +got):\n%s", diff)
	}
	wantSummary := map[string]any{"resources": float64(3), "successful": float64(3), "failed": float64(0), "skipped": float64(0)}
	if diff := cmp.Diff(wantSummary, r.data(t)["summary"]); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	// docs/novu-api.md §4.7: only active target workflows missing in the source go.
	if diff := cmp.Diff([]string{"a", "b", "paused"}, staging()); diff != "" {
		t.Errorf("Staging after publish (-want +got):\n%s", diff)
	}
	src, _ := srv.Workflow("Development", "a")
	dst, _ := srv.Workflow("Staging", "a")
	if diff := cmp.Diff(content(src), content(dst)); diff != "" || src.LastPublishedAt == nil {
		t.Errorf("published copy (-source +target):\n%s lastPublishedAt %v", diff, src.LastPublishedAt)
	}

	again := publish(map[string]any{})
	if diff := cmp.Diff(map[string][]string{"skipped": {"a", "b"}}, publishOutcome(t, again)); diff != "" {
		t.Errorf("second publish (-want +got):\n%s", diff)
	}
}

func TestPublishSelectedResources(t *testing.T) {
	srv, stg := publishFixture(t)
	a, _ := srv.Workflow("Development", "a")
	r := do(t, srv, "Development", "POST", "/v2/environments/"+stg+"/publish", map[string]any{
		"resources": []map[string]any{
			{"resourceType": "REGULAR", "resourceId": a.ID}, // an _id names a workflow as in paths
			{"resourceType": "REGULAR", "resourceId": "nope"},
		}})
	expect(t, r, 200)
	if diff := cmp.Diff(map[string][]string{"created": {"a"}, "failed": {"nope"}}, publishOutcome(t, r)); diff != "" {
		t.Errorf("selected publish (-want +got):\n%s", diff)
	}
	if _, ok := srv.Workflow("Staging", "b"); ok {
		t.Error("a workflow outside resources was published")
	}
	if _, ok := srv.Workflow("Staging", "stale"); !ok {
		t.Error("publishing selected resources deleted a target workflow")
	}
}

func TestPublishErrors(t *testing.T) {
	srv := start(t)
	dev, stg, prod := envID(t, srv, "Development"), envID(t, srv, "Staging"), envID(t, srv, "Production")
	tests := []struct {
		name, target string
		body         map[string]any
		status       int
		message      string
	}{
		{"same environment", dev, map[string]any{}, 400, "Source and target environments cannot be the same"},
		{"identifier", "dv1", map[string]any{}, 404, "Environment dv1 not found"},
		{"unknown source", prod, map[string]any{"sourceEnvironmentId": "0123456789abcdef01234567"}, 404,
			"Environment 0123456789abcdef01234567 not found"},
		{"another source", prod, map[string]any{"sourceEnvironmentId": stg}, 403,
			"API key is scoped to a single environment and cannot access environment " + stg},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, "Development", "POST", "/v2/environments/"+tt.target+"/publish", tt.body)
			expect(t, r, tt.status)
			if r.body["message"] != tt.message {
				t.Errorf("message %v, want %q", r.body["message"], tt.message)
			}
		})
	}
}

func TestPublishRejectsBadResources(t *testing.T) {
	srv := startLoose(t)
	stg := envID(t, srv, "Staging")
	r := do(t, srv, "Development", "POST", "/v2/environments/"+stg+"/publish", map[string]any{
		"dryRun": "yes", "resources": []map[string]any{{"resourceType": "workflow"}}})
	expect(t, r, 422)
	errs, _ := r.body["errors"].(map[string]any)
	for _, field := range []string{"dryRun", "resources.0.resourceType", "resources.0.resourceId"} {
		if _, ok := errs[field]; !ok {
			t.Errorf("422 errors %v lack %q", errs, field)
		}
	}
}
