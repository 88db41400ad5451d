package apply

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

// envDefs is one workflow whose email reads two environment variables.
func envDefs() []registry.Workflow {
	defs := synth(1)
	defs[0].Steps[2].ControlValues["body"] = `<a href="{{env.BASE_URL}}/orders/{{payload.orderId}}">Track</a> {{env.SUPPORT_EMAIL}}`
	return defs
}

var envNames = []string{"BASE_URL", "SUPPORT_EMAIL"}

func setEverywhere(srv *novutest.Server, names ...string) {
	for _, env := range []string{"Development", "Staging", "Production"} {
		for _, n := range names {
			srv.SetEnvVar(n, env, "value of "+n+" in "+env)
		}
	}
}

func TestEnvVarsWithValuesEverywhereApply(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	setEverywhere(srv, envNames...)
	cfg := testConfig(srv, true)
	cfg.EnvironmentVariables = envNames
	p := plan(t, cfg, envDefs())
	if len(p.Notes) != 0 {
		t.Errorf("notes: %q", p.Notes)
	}
	apply(t, context.Background(), cfg, envDefs())
	for _, env := range []string{"Development", "Staging", "Production"} {
		if n := len(srv.Workflows(env)); n != 1 {
			t.Errorf("%s holds %d workflows, want 1", env, n)
		}
	}
	if p := plan(t, cfg, envDefs()); p.Pending() {
		t.Errorf("plan after the run still has work: %s", describe(p))
	}
}

// A value missing in one environment stops the plan, and so the run,
// before anything is written; a variable Novu lacks altogether is said so.
func TestEnvVarsWithoutAValueStopThePlan(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	srv.SetEnvVar("BASE_URL", "Development", "https://dev.example")
	srv.SetEnvVar("BASE_URL", "Staging", "https://staging.example")
	srv.SetEnvVar("BASE_URL", "Production", "") // set, but empty
	cfg := testConfig(srv, true)
	cfg.EnvironmentVariables = envNames
	_, err := mustEngine(t, cfg).Plan(context.Background(), envDefs())
	var verr *EnvVarsError
	if !errors.As(err, &verr) {
		t.Fatalf("Plan: %v, want an *EnvVarsError", err)
	}
	want := &EnvVarsError{Undefined: []string{"SUPPORT_EMAIL"}, Missing: map[string][]string{"Production": {"BASE_URL"}}}
	if diff := cmp.Diff(want, verr); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	const msg = "environment variables the templates read would render empty: SUPPORT_EMAIL is not defined in Novu; BASE_URL has no value in Production. " +
		"Set them in Novu (the dashboard's Environment Variables, or PATCH /v1/environment-variables/NAME with each environment's key) and run again; nothing was written"
	if err.Error() != msg {
		t.Errorf("message:\n%s\nwant\n%s", err, msg)
	}
	if n := srv.Counts().Writes(); n != 0 {
		t.Errorf("%d writes", n)
	}
}

// Without a target's key, the Development key cannot see the target's
// values: the plan says where it could not check, and still checks the
// source.
func TestEnvVarsUncheckedTargetsAreSaid(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	srv.SetEnvVar("BASE_URL", "Development", "https://dev.example")
	srv.SetEnvVar("SUPPORT_EMAIL", "Development", "help@example.com")
	cfg := testConfig(srv, false)
	cfg.EnvironmentVariables = envNames
	p := plan(t, cfg, envDefs())
	var said []string
	for _, n := range p.Notes {
		if strings.HasPrefix(n, "environment variables") {
			said = append(said, n)
		}
	}
	want := []string{
		"environment variables (BASE_URL, SUPPORT_EMAIL) not checked in Staging: the Development key sees only its own environment's values (Novu scopes API keys); set NOVU_SECRET_KEY_STAGING to Staging's secret key to check them there",
		"environment variables (BASE_URL, SUPPORT_EMAIL) not checked in Production: the Development key sees only its own environment's values (Novu scopes API keys); set NOVU_SECRET_KEY_PRODUCTION to Production's secret key to check them there",
	}
	if diff := cmp.Diff(want, said); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}

	srv2 := newServer(t, novutest.Options{})
	srv2.SetEnvVar("BASE_URL", "Staging", "https://staging.example")
	srv2.SetEnvVar("SUPPORT_EMAIL", "Development", "help@example.com")
	cfg = testConfig(srv2, false)
	cfg.EnvironmentVariables = envNames
	_, err := mustEngine(t, cfg).Plan(context.Background(), envDefs())
	var verr *EnvVarsError
	if !errors.As(err, &verr) || !cmp.Equal(verr.Missing, map[string][]string{"Development": {"BASE_URL"}}) || verr.Undefined != nil {
		t.Errorf("Plan with BASE_URL missing in Development: %v", err)
	}
}

// An older Novu answers every environment's values to any key: what the
// source key shows of a target is checked there too.
func TestEnvVarsUnscopedServerChecksTargetsFromTheSource(t *testing.T) {
	var srv *novutest.Server
	unscoped := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || r.URL.Path != "/v1/environment-variables" {
				h.ServeHTTP(w, r)
				return
			}
			// Answer as a server that shows every environment's value.
			var b strings.Builder
			b.WriteString(`{"data":[`)
			for i, v := range srv.EnvVars() {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString(`{"_id":"` + v.ID + `","_organizationId":"6650c0ffee0000000000d001","key":"` + v.Key +
					`","type":"string","isSecret":false,"createdAt":"` + v.CreatedAt + `","updatedAt":"` + v.UpdatedAt + `","values":[`)
				first := true
				for id, val := range v.Values {
					if !first {
						b.WriteString(",")
					}
					first = false
					b.WriteString(`{"_environmentId":"` + id + `","value":"` + val + `"}`)
				}
				b.WriteString("]}")
			}
			b.WriteString("]}")
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(b.String()))
		})
	}
	srv = newServer(t, novutest.Options{Wrap: unscoped})
	for _, env := range []string{"Development", "Staging"} {
		srv.SetEnvVar("BASE_URL", env, "https://x.example")
		srv.SetEnvVar("SUPPORT_EMAIL", env, "help@example.com")
	}
	srv.SetEnvVar("BASE_URL", "Production", "https://x.example")
	cfg := testConfig(srv, false)
	cfg.EnvironmentVariables = envNames
	_, err := mustEngine(t, cfg).Plan(context.Background(), envDefs())
	var verr *EnvVarsError
	if !errors.As(err, &verr) || !cmp.Equal(verr.Missing, map[string][]string{"Production": {"SUPPORT_EMAIL"}}) {
		t.Errorf("Plan: %v, want SUPPORT_EMAIL missing in Production", err)
	}
}

func TestEnvVarsOnAServerWithoutThem(t *testing.T) {
	var on atomic.Bool
	on.Store(true)
	srv := newServer(t, novutest.Options{Wrap: testenv.RefuseGET("/v1/environment-variables", http.StatusNotFound, "Cannot GET /v1/environment-variables", &on)})
	cfg := testConfig(srv, true)
	cfg.EnvironmentVariables = envNames
	_, err := mustEngine(t, cfg).Plan(context.Background(), envDefs())
	want := "the registry declares environment variables (BASE_URL, SUPPORT_EMAIL), but Novu answered 404 to GET /v1/environment-variables with NOVU_SECRET_KEY: this server has no environment variables, so {{env.*}} would render empty; nothing was written"
	if err == nil || err.Error() != want {
		t.Errorf("Plan: %v\nwant %s", err, want)
	}
}

// The registry is validated with its declared names: a template reading
// one it does not declare is refused before anything is sent.
func TestEnvVarsUndeclaredInTheRegistryAreInvalid(t *testing.T) {
	srv := newServer(t, novutest.Options{})
	cfg := testConfig(srv, true)
	cfg.EnvironmentVariables = []string{"BASE_URL"}
	_, err := mustEngine(t, cfg).Plan(context.Background(), envDefs())
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Findings) != 1 || !strings.Contains(inv.Findings[0].Message, `reads environment variable "SUPPORT_EMAIL", which is not declared`) {
		t.Errorf("Plan: %v", err)
	}
	if n := srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
