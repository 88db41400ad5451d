package apply

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/novu"
)

// EnvVarsError is a plan stopped because environment variables the
// templates read ({{env.NAME}}) have no value in an environment the run
// writes to: a workflow applied there would render them empty.
type EnvVarsError struct {
	// Undefined names variables Novu does not have at all.
	Undefined []string
	// Missing maps an environment's name to the variables without a
	// value there (or an empty one).
	Missing map[string][]string
}

func (e *EnvVarsError) Error() string {
	var parts []string
	for _, name := range e.Undefined {
		parts = append(parts, name+" is not defined in Novu")
	}
	byName := map[string][]string{}
	for env, names := range e.Missing {
		for _, n := range names {
			byName[n] = append(byName[n], env)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(byName)) {
		envs := byName[n]
		slices.Sort(envs)
		parts = append(parts, fmt.Sprintf("%s has no value in %s", n, strings.Join(envs, ", ")))
	}
	return "environment variables the templates read would render empty: " + strings.Join(parts, "; ") +
		". Set them in Novu (the dashboard's Environment Variables, or PATCH /v1/environment-variables/NAME with each environment's key) and run again; nothing was written"
}

// checkEnvVars checks that every environment variable the registry
// declares has a value in the source and in every target, reading each
// environment with its own key: Novu scopes an API key to its environment
// and answers only that environment's values (docs/novu-api.md §8.3). A
// target without its own key is checked from the source key's answer when
// that answer shows the target's values (older Novu answers every
// environment's); otherwise the plan says it could not check there. It
// returns the notes to add to the plan, and an *EnvVarsError when a value
// is missing where it could be read.
func (e *Engine) checkEnvVars(ctx context.Context, src novu.Environment, targets []novu.Environment) ([]string, error) {
	names := e.cfg.EnvironmentVariables
	if len(names) == 0 {
		return nil, nil
	}
	var notes []string
	list := func(c *novu.Client, env novu.Environment, with string) ([]novu.EnvironmentVariable, bool, error) {
		vars, err := c.EnvironmentVariables(ctx)
		switch {
		case errors.Is(err, novu.ErrNotFound):
			return nil, false, fmt.Errorf("the registry declares environment variables (%s), but Novu answered 404 to GET /v1/environment-variables with %s: this server has no environment variables, so {{env.*}} would render empty; nothing was written",
				strings.Join(names, ", "), with)
		case errors.Is(err, novu.ErrForbidden):
			notes = append(notes, fmt.Sprintf("environment variables not checked in %s: %s may not read them (403); give a key whose role may read workflows", env.Name, with))
			return nil, false, nil
		case err != nil:
			return nil, false, fmt.Errorf("list environment variables in %s with %s: %w", env.Name, with, err)
		}
		return vars, true, nil
	}

	type view struct {
		env  novu.Environment
		vars []novu.EnvironmentVariable
	}
	var views []view
	srcVars, ok, err := list(e.source, src, novu.EnvSecretKey)
	if err != nil {
		return nil, err
	}
	if ok {
		views = append(views, view{src, srcVars})
	}
	for _, t := range targets {
		upper := strings.ToUpper(t.Name)
		if c, own := e.targets[upper]; own {
			vars, ok, err := list(c, t, novu.EnvTargetKey(t.Name))
			if err != nil {
				return nil, err
			}
			if ok {
				views = append(views, view{t, vars})
			}
			continue
		}
		if ok && showsEnvironment(srcVars, t.ID) {
			views = append(views, view{t, srcVars})
			continue
		}
		notes = append(notes, fmt.Sprintf("environment variables (%s) not checked in %s: the %s key sees only its own environment's values (Novu scopes API keys); set %s to %s's secret key to check them there",
			strings.Join(names, ", "), t.Name, src.Name, novu.EnvTargetKey(t.Name), t.Name))
	}
	if len(views) == 0 {
		return notes, nil
	}

	verr := &EnvVarsError{Missing: map[string][]string{}}
	for _, name := range names {
		defined := false
		var without []string
		for _, v := range views {
			i := slices.IndexFunc(v.vars, func(ev novu.EnvironmentVariable) bool { return ev.Key == name })
			if i < 0 {
				without = append(without, v.env.Name)
				continue
			}
			defined = true
			// A secret's value reads as a mask: present all the same.
			if val, has := v.vars[i].ValueIn(v.env.ID); !has || val == "" {
				without = append(without, v.env.Name)
			}
		}
		if !defined {
			// The variable is the organization's: absent from every
			// answer, it is absent from Novu.
			verr.Undefined = append(verr.Undefined, name)
			continue
		}
		for _, env := range without {
			verr.Missing[env] = append(verr.Missing[env], name)
		}
	}
	if len(verr.Undefined) > 0 || len(verr.Missing) > 0 {
		return notes, verr
	}
	return notes, nil
}

// showsEnvironment reports whether an answer holds a value of environment
// envID: proof that the key that read it sees that environment's values.
func showsEnvironment(vars []novu.EnvironmentVariable, envID string) bool {
	return slices.ContainsFunc(vars, func(v novu.EnvironmentVariable) bool {
		_, ok := v.ValueIn(envID)
		return ok
	})
}
