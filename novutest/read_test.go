package novutest_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// isoTime is JavaScript's toISOString format, which Novu's timestamp uses.
var isoTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func TestGetUnknownWorkflowIs404WithNovuBody(t *testing.T) {
	srv := start(t)
	r := do(t, srv, "Development", "GET", "/v2/workflows/nope", nil)
	expect(t, r, 404)
	if r.body["message"] != "Workflow cannot be found" || r.body["workflowId"] != "nope" {
		t.Errorf("404 body %s", r.raw)
	}
	if r.body["path"] != "/v2/workflows/nope" || r.body["statusCode"] != float64(404) || !isoTime.MatchString(fmt.Sprint(r.body["timestamp"])) {
		t.Errorf("404 base fields %s", r.raw)
	}
	// path is the URL with its query, as the exception filter sends it.
	dev := envID(t, srv, "Development")
	r = do(t, srv, "Development", "GET", "/v2/workflows/nope?environmentId="+dev, nil)
	expect(t, r, 404)
	if want := "/v2/workflows/nope?environmentId=" + dev; r.body["path"] != want {
		t.Errorf("404 path %v, want %s", r.body["path"], want)
	}
	// A 24-hex workflowId is read as an _id, as Novu does.
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/0123456789abcdef01234567", nil), 404)
}

func TestGetStep(t *testing.T) {
	srv := start(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
	r := do(t, srv, "Development", "GET", "/v2/workflows/wf/steps/email", nil)
	expect(t, r, 200)
	if r.data(t)["stepId"] != "email" {
		t.Errorf("step: %s", r.raw)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	srv := start(t)
	for i, id := range []string{"order-shipped", "order-paid", "weekly-digest"} {
		b := createBody(id, fmt.Sprintf("Name %d", i))
		if id == "weekly-digest" {
			b["tags"] = []string{"digest"}
		}
		createWorkflow(t, srv, b)
	}
	ids := func(r response) []string {
		var out []string
		for _, w := range r.data(t)["workflows"].([]any) {
			out = append(out, w.(map[string]any)["workflowId"].(string))
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
		total float64
	}{
		{"", []string{"weekly-digest", "order-paid", "order-shipped"}, 3},
		{"orderDirection=ASC&limit=2", []string{"order-shipped", "order-paid"}, 3},
		{"orderDirection=ASC&limit=2&offset=2", []string{"weekly-digest"}, 3},
		{"query=ORDER", []string{"order-paid", "order-shipped"}, 2},
		{"query=name%202", []string{"weekly-digest"}, 1},
		{"tags=digest&tags=none", []string{"weekly-digest"}, 1},
		{"status=INACTIVE", nil, 0},
		{"status=ACTIVE&status=ERROR&query=weekly", []string{"weekly-digest"}, 1},
		{"tags=payouts&orderBy=name&orderDirection=ASC", []string{"order-shipped", "order-paid"}, 2},
	}
	for _, tt := range tests {
		r := do(t, srv, "Development", "GET", "/v2/workflows?"+tt.query, nil)
		expect(t, r, 200)
		if diff := cmp.Diff(tt.want, ids(r)); diff != "" || r.data(t)["totalCount"] != tt.total {
			t.Errorf("?%s (-want +got):\n%s totalCount %v", tt.query, diff, r.data(t)["totalCount"])
		}
		for _, w := range r.data(t)["workflows"].([]any) {
			if _, ok := w.(map[string]any)["steps"].([]any)[0].(map[string]any)["controlValues"]; ok {
				t.Error("list item carries control values")
			}
		}
	}
}

func TestListRejectsLimitOutOfRange(t *testing.T) {
	srv := startLoose(t)
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "orderBy=size"} {
		expect(t, do(t, srv, "Development", "GET", "/v2/workflows?"+q, nil), 422)
	}
}
