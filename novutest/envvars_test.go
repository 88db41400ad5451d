package novutest_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novugen/novugen/novutest"
)

func envIDs(srv *novutest.Server) map[string]string {
	ids := map[string]string{}
	for _, e := range srv.Environments() {
		ids[e.Name] = e.ID
	}
	return ids
}

// values returns the values of the variables a list or get answered, as
// key → environment _id → value.
func values(t *testing.T, items []any) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, it := range items {
		v := it.(map[string]any)
		m := map[string]string{}
		for _, e := range v["values"].([]any) {
			ev := e.(map[string]any)
			m[ev["_environmentId"].(string)] = ev["value"].(string)
		}
		out[v["key"].(string)] = m
	}
	return out
}

// A key reads and writes only its own environment's values, as current
// Novu scopes API keys; the variable itself is the organization's.
func TestEnvVarsAreScopedToTheKeysEnvironment(t *testing.T) {
	srv := start(t)
	ids := envIDs(srv)
	dev, prod := ids["Development"], ids["Production"]

	r := do(t, srv, "Development", "POST", "/v1/environment-variables", map[string]any{
		"key": "BASE_URL", "type": "string", "values": []any{map[string]any{"_environmentId": dev, "value": "https://dev.example"}},
	})
	if r.status != http.StatusOK || r.data(t)["key"] != "BASE_URL" {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	r = do(t, srv, "Production", "PATCH", "/v1/environment-variables/BASE_URL", map[string]any{
		"values": []any{map[string]any{"_environmentId": prod, "value": "https://example"}},
	})
	if r.status != http.StatusOK {
		t.Fatalf("update: %d %s", r.status, r.raw)
	}
	// Merged, not replaced: Development keeps its value.
	for env, want := range map[string]map[string]map[string]string{
		"Development": {"BASE_URL": {dev: "https://dev.example"}},
		"Production":  {"BASE_URL": {prod: "https://example"}},
		"Staging":     {"BASE_URL": {}},
	} {
		r := do(t, srv, env, "GET", "/v1/environment-variables", nil)
		if diff := cmp.Diff(want, values(t, r.body["data"].([]any))); diff != "" {
			t.Errorf("list with the %s key (-want +got):\n%s", env, diff)
		}
	}
	if r := do(t, srv, "Development", "GET", "/v1/environment-variables/BASE_URL", nil); r.status != http.StatusOK ||
		cmp.Diff(map[string]map[string]string{"BASE_URL": {dev: "https://dev.example"}}, values(t, []any{r.data(t)})) != "" {
		t.Errorf("get: %d %s", r.status, r.raw)
	}
	// Another environment's value is refused to the key.
	r = do(t, srv, "Development", "PATCH", "/v1/environment-variables/BASE_URL", map[string]any{
		"values": []any{map[string]any{"_environmentId": prod, "value": "https://hijacked"}},
	})
	if r.status != http.StatusForbidden {
		t.Errorf("cross-environment write: %d %s", r.status, r.raw)
	}
	if got := srv.EnvVars()[0].Values[prod]; got != "https://example" {
		t.Errorf("production value %q after a refused write", got)
	}
}

func TestEnvVarsCreateSearchDeleteAndSecrets(t *testing.T) {
	srv := start(t)
	dev := envIDs(srv)["Development"]
	srv.SetEnvVar("SUPPORT_EMAIL", "Development", "help@example.com")
	r := do(t, srv, "Development", "POST", "/v1/environment-variables", map[string]any{
		"key": "API_TOKEN", "isSecret": true, "values": []any{map[string]any{"_environmentId": dev, "value": "s3cret"}},
	})
	if r.status != http.StatusOK {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	if r := do(t, srv, "Development", "POST", "/v1/environment-variables", map[string]any{"key": "API_TOKEN"}); r.status != http.StatusConflict {
		t.Errorf("duplicate key: %d %s", r.status, r.raw)
	}
	// Newest first; a secret's value is masked, never sent.
	r = do(t, srv, "Development", "GET", "/v1/environment-variables", nil)
	want := map[string]map[string]string{"API_TOKEN": {dev: "••••••••"}, "SUPPORT_EMAIL": {dev: "help@example.com"}}
	if diff := cmp.Diff(want, values(t, r.body["data"].([]any))); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
	if first := r.body["data"].([]any)[0].(map[string]any)["key"]; first != "API_TOKEN" {
		t.Errorf("first listed %v, want the newest, API_TOKEN", first)
	}
	r = do(t, srv, "Development", "GET", "/v1/environment-variables?search=support", nil)
	if got := values(t, r.body["data"].([]any)); len(got) != 1 || got["SUPPORT_EMAIL"] == nil {
		t.Errorf("search: %v", got)
	}
	if r := do(t, srv, "Development", "DELETE", "/v1/environment-variables/API_TOKEN", nil); r.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.status, r.raw)
	}
	for _, path := range []string{"/v1/environment-variables/API_TOKEN"} {
		if r := do(t, srv, "Development", "GET", path, nil); r.status != http.StatusNotFound {
			t.Errorf("GET %s after delete: %d", path, r.status)
		}
		if r := do(t, srv, "Development", "DELETE", path, nil); r.status != http.StatusNotFound {
			t.Errorf("DELETE %s after delete: %d", path, r.status)
		}
	}
}

// Bad bodies are refused as the DTO's validation does (responses are still
// checked against the document).
func TestEnvVarsRefuseBadBodies(t *testing.T) {
	srv := startLoose(t)
	for name, body := range map[string]map[string]any{
		"key pattern":   {"key": "1BASE"},
		"no key":        {"values": []any{}},
		"type":          {"key": "A", "type": "number"},
		"unknown field": {"key": "A", "scope": "x"},
		"long value":    {"key": "A", "values": []any{map[string]any{"_environmentId": "x", "value": string(make([]byte, 257))}}},
	} {
		if r := do(t, srv, "Development", "POST", "/v1/environment-variables", body); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	if n := len(srv.EnvVars()); n != 0 {
		t.Errorf("%d variables stored from refused bodies", n)
	}
}
