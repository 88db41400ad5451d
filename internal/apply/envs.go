package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/novu"
)

// sourceEnvironment picks the environment the key belongs to from
// GET /v1/environments.
//
// Novu marks it by listing apiKeys only on the caller's own environment
// (docs/novu-api.md §9). A server that marks none (an older or self-hosted one may)
// leaves one clue: the environment without a parent is the organization's
// root, Development, which Production and user-made environments name as
// _parentId.
func sourceEnvironment(envs []novu.Environment) (novu.Environment, error) {
	var own, roots []novu.Environment
	for _, e := range envs {
		if e.Own {
			own = append(own, e)
		}
		if e.ParentID == "" {
			roots = append(roots, e)
		}
	}
	switch {
	case len(own) == 1:
		return own[0], nil
	case len(own) > 1:
		return novu.Environment{}, fmt.Errorf("cannot tell the secret key's environment: Novu lists API keys on %d environments (%s); expected only the key's own",
			len(own), strings.Join(names(own), ", "))
	case len(roots) == 1:
		return roots[0], nil
	}
	return novu.Environment{}, fmt.Errorf("cannot tell the secret key's environment: Novu marks none as the key's own, and %d of the %d environments (%s) have no parent environment; expected exactly one (Development)",
		len(roots), len(envs), strings.Join(names(envs), ", "))
}

// resolveTargets turns target names into environments, in the order given.
// Names match case-insensitively. nil names means DefaultTargets, each only
// where it exists. An unknown name, a name given twice, or the source
// itself is a UsageError listing what exists.
func resolveTargets(want []string, envs []novu.Environment, src novu.Environment) ([]novu.Environment, error) {
	implicit := want == nil
	if implicit {
		want = DefaultTargets
	}
	var out []novu.Environment
	seen := map[string]bool{}
	for _, name := range want {
		key := strings.ToLower(strings.TrimSpace(name))
		if seen[key] {
			return nil, &UsageError{Msg: fmt.Sprintf("target environment %q is given twice", name)}
		}
		seen[key] = true
		var found *novu.Environment
		for i := range envs {
			if strings.EqualFold(envs[i].Name, key) {
				found = &envs[i]
				break
			}
		}
		switch {
		case found == nil && implicit:
			continue
		case found == nil:
			return nil, &UsageError{Msg: fmt.Sprintf("no environment named %q; the organization has: %s", name, strings.Join(names(envs), ", "))}
		case found.ID == src.ID:
			return nil, &UsageError{Msg: sourceAsTarget(name, envs, src)}
		}
		if promotionRank(*found) < promotionRank(src) {
			// A sync against the promotion order would overwrite an
			// earlier environment with a later one's workflows.
			return nil, &UsageError{Msg: fmt.Sprintf("%q comes before the source %s in the promotion order (%s): NOVU_SECRET_KEY is %s's secret key, and apply writes into the key's own environment, which should be Development: set NOVU_SECRET_KEY to Development's secret key",
				name, src.Name, promotionOrder, src.Name)}
		}
		out = append(out, *found)
	}
	if promotionRank(src) == promotionRank(novu.Environment{Name: "Production"}) {
		// Production only receives syncs: with its key (a swapped CI
		// secret) and targets without it, every write would land there
		// without passing Development.
		return nil, &UsageError{Msg: fmt.Sprintf("NOVU_SECRET_KEY is %s's secret key, and apply writes into the key's own environment, which should be Development: set NOVU_SECRET_KEY to Development's secret key; %s only receives syncs (%s)",
			src.Name, src.Name, promotionOrder)}
	}
	return out, nil
}

func names(envs []novu.Environment) []string {
	out := make([]string, len(envs))
	for i, e := range envs {
		out[i] = e.Name
	}
	return out
}

// promotionOrder is the order changes travel in, which is the only order
// a sync makes sense in: from an environment to one after it.
const promotionOrder = "Development → Staging → Production"

// promotionRank places an environment in promotionOrder: Development
// first, Production last, Staging and any environment of another name in
// between.
func promotionRank(e novu.Environment) int {
	switch {
	case strings.EqualFold(e.Name, "Development"):
		return 0
	case strings.EqualFold(e.Name, "Production"):
		return 2
	}
	return 1
}

// sourceAsTarget says why the source cannot be a target (name is how the
// user gave it) and suggests only syncs that follow the promotion order:
// from Development to what comes after it. A source other than Development
// means NOVU_SECRET_KEY holds another environment's key, which is said
// first; syncing it back into Development is never suggested.
func sourceAsTarget(name string, envs []novu.Environment, src novu.Environment) string {
	var after []novu.Environment
	for _, e := range envs {
		if promotionRank(e) > promotionRank(src) {
			after = append(after, e)
		}
	}
	slices.SortStableFunc(after, func(a, b novu.Environment) int { return promotionRank(a) - promotionRank(b) })
	next := fmt.Sprintf("nothing comes after %s in the promotion order (%s), so there is nothing to sync it to", src.Name, promotionOrder)
	if len(after) > 0 {
		next = fmt.Sprintf("targets are the environments after it in the promotion order (%s): -to %s", promotionOrder, strings.Join(names(after), ","))
	}
	if promotionRank(src) == 0 {
		return fmt.Sprintf("%q is the source environment (the secret key's own); %s", name, next)
	}
	dev := "Development"
	for _, e := range envs {
		if promotionRank(e) == 0 {
			dev = e.Name
		}
	}
	return fmt.Sprintf("%q is the source environment: NOVU_SECRET_KEY is %s's secret key, and apply writes into the key's own environment, "+
		"which should be %s: set NOVU_SECRET_KEY to %s's secret key. With %s as the source, %s", name, src.Name, dev, dev, src.Name, next)
}

// reader reads one target environment: with the target's own key, or with
// the source key and ?environmentId=. A zero reader cannot read.
type reader struct {
	client *novu.Client
	envID  string // set when reading with ?environmentId=
	how    string
}

func (r reader) ok() bool { return r.client != nil }

func (r reader) get(ctx context.Context, workflowID string) (*novu.Workflow, error) {
	return r.client.GetWorkflow(ctx, workflowID, r.envID)
}

// openTarget finds how to read target t and lists its workflows: with the
// target's own key when one is given, else with the source key and
// ?environmentId=, tried on one GET (a 403 means unreadable).
//
// A target key is checked to belong to t (GET /v1/environments marks the
// key's own environment) and used for reads only.
func (e *Engine) openTarget(ctx context.Context, t novu.Environment) (reader, map[string]novu.WorkflowSummary, error) {
	if c, ok := e.targets[strings.ToUpper(t.Name)]; ok {
		// The list is read while the key is checked, a round trip less
		// before the plan's reads; it is used only once the key is right.
		var items []novu.WorkflowSummary
		var listErr error
		listed := make(chan struct{})
		go func() {
			defer close(listed)
			items, listErr = c.ListWorkflows(ctx, novu.ListOptions{})
		}()
		// A key given for the wrong environment would make this target's
		// plan compare another environment: check whose key it is first.
		envs, err := c.Environments(ctx)
		<-listed
		if err != nil {
			return reader{}, nil, fmt.Errorf("list environments with %s: %w", novu.EnvTargetKey(t.Name), err)
		}
		for _, env := range envs {
			if env.Own && env.ID != t.ID {
				return reader{}, nil, &UsageError{Msg: fmt.Sprintf("%s is the secret key of %s, not of %s; give %s's key (Settings → API Keys in that environment)",
					novu.EnvTargetKey(t.Name), env.Name, t.Name, t.Name)}
			}
		}
		if err := listErr; err != nil {
			return reader{}, nil, fmt.Errorf("list workflows in %s with %s: %w", t.Name, novu.EnvTargetKey(t.Name), err)
		}
		return reader{client: c, how: "target-key"}, byWorkflowID(items), nil
	}
	// The list has no environmentId parameter; probe with a GET of an id
	// that cannot exist: 404 means the server honours ?environmentId=, 403
	// that the key is scoped (current Novu).
	r := reader{client: e.source, envID: t.ID, how: "environment-id"}
	_, err := r.get(ctx, "novugen-probe-environment-access")
	switch {
	case errors.Is(err, novu.ErrForbidden):
		return reader{}, nil, nil
	case err != nil && !errors.Is(err, novu.ErrNotFound):
		return reader{}, nil, fmt.Errorf("read %s with ?environmentId=: %w", t.Name, err)
	}
	// Readable, but not listable: nil list means "GET each one".
	return r, nil, nil
}

func byWorkflowID(items []novu.WorkflowSummary) map[string]novu.WorkflowSummary {
	m := make(map[string]novu.WorkflowSummary, len(items))
	for _, it := range items {
		m[it.WorkflowID] = it
	}
	return m
}
