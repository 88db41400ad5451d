package novutest

import "net/http"

type apiKeyOut struct {
	Key    string `json:"key"`
	UserID string `json:"_userId"`
}

type environmentOut struct {
	ID             string      `json:"_id"`
	Name           string      `json:"name"`
	OrganizationID string      `json:"_organizationId"`
	Identifier     string      `json:"identifier"`
	Type           string      `json:"type"`
	APIKeys        []apiKeyOut `json:"apiKeys"`
	ParentID       string      `json:"_parentId,omitempty"`
	Slug           string      `json:"slug"`
}

// listEnvironments lists every environment of the organization; only the
// caller's own carries its key (get-my-environments.usecase.ts).
func (c *call) listEnvironments() reply {
	out := make([]environmentOut, 0, len(c.s.envs))
	for _, e := range c.s.envs {
		o := environmentOut{ID: e.ID, Name: e.Name, OrganizationID: c.s.org, Identifier: e.Identifier,
			Type: e.typ, APIKeys: []apiKeyOut{}, ParentID: e.parentID, Slug: slugify(e.Name)}
		if e == c.env {
			o.APIKeys = []apiKeyOut{{Key: e.SecretKey, UserID: c.s.user}}
		}
		out = append(out, o)
	}
	return c.data(http.StatusOK, out)
}

// scopedEnv returns the environment a read acts on: the caller's own, or
// with AllowCrossEnvironmentReads the one ?environmentId= names.
func (c *call) scopedEnv() (*envState, *reply) {
	id := c.r.URL.Query().Get("environmentId")
	if id == "" || id == c.env.ID {
		return c.env, nil
	}
	if !c.s.opts.AllowCrossEnvironmentReads {
		rep := c.nestFail(http.StatusForbidden, "API key is scoped to a single environment and cannot access environment "+id)
		return nil, &rep
	}
	if e := c.s.envByID(id); e != nil {
		return e, nil
	}
	// Old servers swapped the environment blindly, so an unknown one simply
	// holds no workflow.
	return &envState{workflows: map[string]*Workflow{}}, nil
}
