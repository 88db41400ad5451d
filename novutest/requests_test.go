package novutest_test

import (
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

func TestUnknownRouteIsNestNotFound(t *testing.T) {
	// Not wrapped: the conformance checker rightly reports unknown routes.
	srv := novutest.NewServer(novutest.Options{})
	t.Cleanup(srv.Close)
	r := do(t, srv, "Development", "GET", "/v1/workflows", nil)
	if r.status != 404 || r.body["message"] != "Cannot GET /v1/workflows" {
		t.Errorf("unknown route: %d %s", r.status, r.raw)
	}
	// Routing comes before the auth guard: no key or a wrong one gets the
	// same 404, and so does a wrong method on a known path.
	for _, auth := range []string{"", "ApiKey wrong"} {
		r := do(t, srv, "", "DELETE", "/v2/workflows", nil, "Authorization", auth)
		if r.status != 404 || r.body["message"] != "Cannot DELETE /v2/workflows" {
			t.Errorf("unknown route with Authorization %q: %d %s", auth, r.status, r.raw)
		}
	}
}

func TestUnsupportedMediaType(t *testing.T) {
	srv := novutest.NewServer(novutest.Options{})
	t.Cleanup(srv.Close)
	key := srv.Key("Development")
	status, err := rawDo(srv, "POST", "/v2/workflows", "application/x-www-form-urlencoded", "name=x", key)
	if err != nil {
		t.Fatal(err)
	}
	if status != 415 {
		t.Errorf("form body: %d, want 415", status)
	}
	// The declared type counts even without a body.
	for _, route := range []string{"POST /v2/workflows", "PUT /v2/workflows/wf", "PATCH /v2/workflows/wf"} {
		m, path, _ := strings.Cut(route, " ")
		if st, err := rawDo(srv, m, path, "text/plain", "", key); err != nil || st != 415 {
			t.Errorf("%s without body, Content-Type text/plain: %d %v, want 415", route, st, err)
		}
	}
	// JSON, or no type on an empty body, passes to the operation.
	if st, err := rawDo(srv, "PATCH", "/v2/workflows/wf", "application/json; charset=utf-8", "", key); err != nil || st != 404 {
		t.Errorf("PATCH without body, JSON type: %d %v, want the 404 of the missing workflow", st, err)
	}
	if st, err := rawDo(srv, "POST", "/v2/environments/"+envID(t, srv, "Development")+"/diff", "", "", key); err != nil || st != 200 {
		t.Errorf("diff without body or type: %d %v, want 200", st, err)
	}
	// GET and DELETE carry no body; their Content-Type is not looked at.
	if st, err := rawDo(srv, "GET", "/v2/workflows", "text/plain", "", key); err != nil || st != 200 {
		t.Errorf("GET with Content-Type text/plain: %d %v, want 200", st, err)
	}
}
