package novutest_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/novutest"
)

func TestEnvironmentsListsAllWithOnlyOwnKey(t *testing.T) {
	srv := start(t)
	envs := srv.Environments()
	var names []string
	for _, e := range envs {
		names = append(names, e.Name)
		if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(e.ID) {
			t.Errorf("environment %s _id %q is not 24 hex", e.Name, e.ID)
		}
	}
	if diff := cmp.Diff([]string{"Development", "Staging", "Production"}, names); diff != "" {
		t.Fatalf("environments (-want +got):\n%s", diff)
	}
	wantKeys := map[string]string{"Development": "dev-secret-key", "Staging": "staging-secret-key", "Production": "production-secret-key"}
	for name, key := range wantKeys {
		if got := srv.Key(name); got != key {
			t.Errorf("Key(%s) = %q, want %q", name, got, key)
		}
	}
	r := do(t, srv, "Staging", "GET", "/v1/environments", nil)
	expect(t, r, 200)
	list := r.body["data"].([]any)
	for _, raw := range list {
		e := raw.(map[string]any)
		keys := e["apiKeys"].([]any)
		if e["name"] == "Staging" {
			if len(keys) != 1 || keys[0].(map[string]any)["key"] != "staging-secret-key" {
				t.Errorf("own environment apiKeys = %v", keys)
			}
		} else if len(keys) != 0 {
			t.Errorf("environment %v shows keys %v to another environment's key", e["name"], keys)
		}
		if e["_organizationId"] == "" || e["identifier"] == "" {
			t.Errorf("environment %v lacks _organizationId or identifier", e)
		}
	}
}

func TestReadingAnotherEnvironmentIsScoped(t *testing.T) {
	srv := startLoose(t)
	createWorkflow(t, srv, createBody("wf", "WF"))
	stg := envID(t, srv, "Staging")
	r := do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+stg, nil)
	expect(t, r, 403)
	if !strings.Contains(fmt.Sprint(r.body["message"]), "is scoped to a single environment") {
		t.Errorf("403 message %v", r.body["message"])
	}
	// Naming the own environment is fine.
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+envID(t, srv, "Development"), nil), 200)
	expect(t, do(t, srv, "Development", "POST", "/v2/environments/"+stg+"/diff", map[string]any{}), 403)
}

func TestCrossEnvironmentReadsWhenAllowed(t *testing.T) {
	srv := startWith(t, novutest.Options{AllowCrossEnvironmentReads: true})
	createWorkflow(t, srv, createBody("wf", "WF"))
	stg := envID(t, srv, "Staging")
	expect(t, do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+stg, nil), 404)
	syncWorkflow(t, srv, "wf", stg)
	r := do(t, srv, "Development", "GET", "/v2/workflows/wf?environmentId="+stg, nil)
	expect(t, r, 200)
	w, _ := srv.Workflow("Staging", "wf")
	if r.data(t)["_id"] != w.ID {
		t.Errorf("cross read answered %v, want Staging's %s", r.data(t)["_id"], w.ID)
	}

	diff := func() map[string]any {
		r := do(t, srv, "Development", "POST", "/v2/environments/"+stg+"/diff", map[string]any{})
		expect(t, r, 200)
		return r.data(t)["summary"].(map[string]any)
	}
	if s := diff(); s["hasChanges"] != false {
		t.Errorf("diff right after sync: %v", s)
	}
	expect(t, do(t, srv, "Development", "PATCH", "/v2/workflows/wf", map[string]any{"name": "Renamed"}), 200)
	if s := diff(); s["hasChanges"] != true || s["totalChanges"] != float64(1) {
		t.Errorf("diff after a rename: %v", s)
	}
}

func TestUnauthorizedWithoutValidAPIKey(t *testing.T) {
	srv := startLoose(t)
	for _, auth := range []string{"", "ApiKey wrong", "Bearer dev-secret-key", "dev-secret-key"} {
		r := do(t, srv, "", "GET", "/v2/workflows", nil, "Authorization", auth)
		expect(t, r, 401)
		if r.body["statusCode"] != float64(401) || r.body["path"] != "/v2/workflows" || r.body["timestamp"] == nil ||
			r.body["message"] != "Unauthorized" || r.body["error"] != "Unauthorized" {
			t.Errorf("401 body %s lacks Novu's error fields", r.raw)
		}
	}
}

func TestCustomKeysAuthenticate(t *testing.T) {
	srv := startWith(t, novutest.Options{
		Environments: []string{"Dev", "Prod"},
		Keys:         map[string]string{"Prod": "p-key"},
	})
	if srv.Key("Dev") != "dev-secret-key" || srv.Key("Prod") != "p-key" {
		t.Errorf("keys %q %q, want the default for Dev and p-key for Prod", srv.Key("Dev"), srv.Key("Prod"))
	}
	r := do(t, srv, "", "GET", "/v1/environments", nil, "Authorization", "ApiKey p-key")
	expect(t, r, 200)
	for _, raw := range r.body["data"].([]any) {
		e := raw.(map[string]any)
		if keys := e["apiKeys"].([]any); (e["name"] == "Prod") != (len(keys) == 1) {
			t.Errorf("p-key sees keys %v of %v", keys, e["name"])
		}
	}
	expect(t, do(t, srv, "", "GET", "/v1/environments", nil, "Authorization", "ApiKey prod-secret-key"), 401)
}

func TestInvalidKeysPanic(t *testing.T) {
	tests := []struct {
		name string
		opts novutest.Options
		want string
	}{
		// An empty key would let a request without Authorization in.
		{"empty key", novutest.Options{Keys: map[string]string{"Production": ""}}, `empty secret key for environment "Production"`},
		{"spaces", novutest.Options{Keys: map[string]string{"Staging": " k"}}, "surrounding spaces"},
		{"shared key", novutest.Options{Keys: map[string]string{"Staging": "k", "Production": "k"}},
			`environments "Staging" and "Production" share the secret key "k"`},
		{"shared with a default", novutest.Options{Keys: map[string]string{"Staging": "dev-secret-key"}},
			`environments "Development" and "Staging" share`},
		{"unknown environment", novutest.Options{Keys: map[string]string{"production": "k"}},
			`unknown environment "production" in Options.Keys; want one of Development, Staging, Production`},
		{"duplicate environment", novutest.Options{Environments: []string{"A", "A"}}, `environment "A" is named twice`},
		{"empty environment", novutest.Options{Environments: []string{"A", ""}}, "environment name 2 in Options.Environments is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "novutest: ") || !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want one containing %q", msg, tt.want)
				}
			}()
			srv := novutest.NewServer(tt.opts)
			srv.Close()
		})
	}
}
