package main

import (
	"maps"
	"testing"

	"github.com/novugen/novugen/dsl"
)

// A registry whose templates read environment variables: apply -plan says
// where it could not check them, and stops, exit 1 and nothing written,
// when one it can read has no value.
func TestEnvVarsArePlannedInEveryEnvironment(t *testing.T) {
	h := newCmdHarness(t)
	reg := genRegistry(t)
	one := dsl.Registry{Owner: reg.Owner, EnvironmentVariables: []string{"BASE_URL"}, Workflows: reg.Workflows[:1]}
	for i, s := range one.Workflows[0].Steps {
		if s.Type == dsl.TypeInApp {
			cv := map[string]any{}
			maps.Copy(cv, s.ControlValues)
			cv["body"] = "Track it at {{env.BASE_URL}}/orders"
			one.Workflows[0].Steps[i].ControlValues = cv
			break
		}
	}
	path := writeRegistry(t, one)
	h.srv.SetEnvVar("BASE_URL", "Development", "https://dev.example")

	r := h.record("dev-only", "-plan", "-registry", path)
	if r.code != 0 {
		t.Errorf("plan with the value in Development: exit %d\n%s", r.code, r.stderr)
	}

	h.env = append(h.env, withProduction)
	r = h.record("missing-in-production", "-plan", "-registry", path)
	if r.code != 1 {
		t.Errorf("plan with no value in Production: exit %d", r.code)
	}
	if n := h.srv.Counts().Writes(); n != 0 {
		t.Errorf("%d writes", n)
	}
}
