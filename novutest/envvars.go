package novutest

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// Environment variables (/v1/environment-variables): values Novu keeps
// per environment and templates read as {{env.KEY}} (docs/novu-api.md
// §8.3). A variable belongs to the organization; each of its values to one
// environment. Novu scopes API keys to their environment: a read answers
// only the caller's environment's values, and a write that names another
// environment's value is refused with 403 (novuhq/novu
// get-environment-variables.usecase.ts, api-key-environment-scope.e2e.ts).

// EnvVar is one environment variable as the emulator keeps it.
type EnvVar struct {
	ID        string
	Key       string
	IsSecret  bool
	Values    map[string]string // environment _id → value
	CreatedAt string
	UpdatedAt string
}

// envVarOut is Novu's EnvironmentVariableResponseDto.
type envVarOut struct {
	ID             string        `json:"_id"`
	OrganizationID string        `json:"_organizationId"`
	Key            string        `json:"key"`
	Type           string        `json:"type"`
	IsSecret       bool          `json:"isSecret"`
	Values         []envValueOut `json:"values"`
	CreatedAt      string        `json:"createdAt"`
	UpdatedAt      string        `json:"updatedAt"`
}

type envValueOut struct {
	EnvironmentID string `json:"_environmentId"`
	Value         string `json:"value"`
}

// secretMask is what Novu answers for every value of a secret variable.
const secretMask = "••••••••"

// envVarKey is CreateEnvironmentVariableRequestDto's key pattern.
var envVarKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

const maxEnvVarLen = 256

// out renders v for the caller's environment only.
func (c *call) envVarOut(v *EnvVar) envVarOut {
	o := envVarOut{ID: v.ID, OrganizationID: c.s.org, Key: v.Key, Type: "string", IsSecret: v.IsSecret,
		Values: []envValueOut{}, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if val, ok := v.Values[c.env.ID]; ok {
		if v.IsSecret {
			val = secretMask
		}
		o.Values = append(o.Values, envValueOut{EnvironmentID: c.env.ID, Value: val})
	}
	return o
}

func (s *Server) envVarByKey(key string) *EnvVar {
	return find(slices.Values(s.envVars), func(v *EnvVar) bool { return v.Key == key })
}

func (c *call) envVarNotFound() reply {
	return c.nestFail(http.StatusNotFound, "Environment variable not found")
}

func (c *call) envVarKeyTaken(key string) reply {
	return c.nestFail(http.StatusConflict, "Environment variable with key "+key+" already exists")
}

// listEnvVars answers every variable, newest first as Novu sorts them,
// those whose key holds ?search (case-insensitive) when it is given.
func (c *call) listEnvVars() reply {
	search := strings.ToLower(c.r.URL.Query().Get("search"))
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	out := []envVarOut{}
	for _, v := range slices.Backward(c.s.envVars) {
		if strings.Contains(strings.ToLower(v.Key), search) {
			out = append(out, c.envVarOut(v))
		}
	}
	return c.data(http.StatusOK, out)
}

func (c *call) getEnvVar() reply {
	return envVarAt.on(c, c.env, func(v *EnvVar) reply { return c.data(http.StatusOK, c.envVarOut(v)) })
}

// envVarBody is a create or update body, decoded and checked.
type envVarBody struct {
	key      *string
	isSecret *bool
	values   map[string]string
}

// applyTo writes the body's secret flag, when it holds one, and its values
// into v; environments the body does not name keep theirs.
func (b envVarBody) applyTo(v *EnvVar) {
	given(&v.IsSecret, b.isSecret)
	maps.Copy(v.Values, b.values)
}

func (c *call) decodeEnvVar(create bool) (envVarBody, *reply) {
	m, rep := c.decodeObject()
	if rep != nil {
		return envVarBody{}, rep
	}
	var b envVarBody
	errs := fieldErrors{}
	if raw, ok := m["key"]; ok || create {
		k, isStr := raw.(string)
		switch {
		case !isStr:
			errs.add("key", "key must be a string", raw)
		case len(k) > maxEnvVarLen:
			errs.add("key", "key must be shorter than or equal to 256 characters", k)
		case !envVarKey.MatchString(k):
			errs.add("key", "key must start with a letter and contain only letters, digits, and underscores", k)
		}
		b.key = &k
	}
	if raw, ok := m["type"]; ok && raw != "string" {
		errs.add("type", "type must be one of the following values: string", raw)
	}
	if raw, ok := m["isSecret"]; ok {
		s, isBool := raw.(bool)
		if !isBool {
			errs.add("isSecret", "isSecret must be a boolean value", raw)
		}
		b.isSecret = &s
	}
	if raw, ok := m["values"]; ok {
		list, isList := raw.([]any)
		if !isList {
			errs.add("values", "values must be an array", raw)
		}
		b.values = map[string]string{}
		for _, e := range list {
			o, _ := e.(map[string]any)
			id, idOK := o["_environmentId"].(string)
			val, valOK := o["value"].(string)
			switch {
			case !idOK || !valOK:
				errs.add("values", "each value must have a string _environmentId and value", e)
			case len(val) > maxEnvVarLen:
				errs.add("values", "value must be shorter than or equal to 256 characters", val)
			default:
				b.values[id] = val
			}
		}
	}
	for k := range m {
		if !slices.Contains([]string{"key", "type", "isSecret", "values"}, k) {
			errs.add(k, "property "+k+" should not exist", nil)
		}
	}
	if len(errs) > 0 {
		rep := c.validationFailed(errs)
		return envVarBody{}, &rep
	}
	// An API key writes its own environment's value only.
	for id := range b.values {
		if id != c.env.ID {
			rep := c.nestFail(http.StatusForbidden, "API key is scoped to a single environment and cannot write values for environment "+id)
			return envVarBody{}, &rep
		}
	}
	return b, nil
}

func (c *call) createEnvVar() reply {
	b, rep := c.decodeEnvVar(true)
	if rep != nil {
		return *rep
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if c.s.envVarByKey(*b.key) != nil {
		return c.envVarKeyTaken(*b.key)
	}
	now := c.s.timestamp()
	v := &EnvVar{ID: c.s.newObjectID(), Key: *b.key, Values: map[string]string{}, CreatedAt: now, UpdatedAt: now}
	b.applyTo(v)
	c.s.envVars = append(c.s.envVars, v)
	return c.written(http.StatusOK, c.envVarOut(v))
}

// updateEnvVar merges the given values into the stored ones by
// environment, as current Novu does; other environments keep theirs.
func (c *call) updateEnvVar() reply {
	b, rep := c.decodeEnvVar(false)
	if rep != nil {
		return *rep
	}
	return envVarAt.on(c, c.env, func(v *EnvVar) reply {
		if b.key != nil && *b.key != v.Key {
			if c.s.envVarByKey(*b.key) != nil {
				return c.envVarKeyTaken(*b.key)
			}
			v.Key = *b.key
		}
		b.applyTo(v)
		v.UpdatedAt = c.s.timestamp()
		return c.written(http.StatusOK, c.envVarOut(v))
	})
}

func (c *call) deleteEnvVar() reply {
	return envVarAt.on(c, c.env, func(v *EnvVar) reply {
		c.s.envVars = slices.DeleteFunc(c.s.envVars, func(x *EnvVar) bool { return x == v })
		return reply{status: http.StatusNoContent, wrote: true}
	})
}

// SetEnvVar stores value as the environment variable key's value in the
// environment envName, creating the variable when it is new: what a user
// does in the dashboard, which may write every environment. It panics on
// an unknown environment.
func (s *Server) SetEnvVar(key, envName, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envByName(envName)
	if e == nil {
		panic("novutest: SetEnvVar: no environment " + envName)
	}
	v := s.envVarByKey(key)
	if v == nil {
		now := s.timestamp()
		v = &EnvVar{ID: s.newObjectID(), Key: key, Values: map[string]string{}, CreatedAt: now, UpdatedAt: now}
		s.envVars = append(s.envVars, v)
	}
	v.Values[e.ID] = value
	v.UpdatedAt = s.timestamp()
}

// EnvVars returns copies of the environment variables, in creation order,
// with every environment's value (the emulator's view, not a key's).
func (s *Server) EnvVars() []EnvVar {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]EnvVar, len(s.envVars))
	for i, v := range s.envVars {
		out[i] = *v
		out[i].Values = map[string]string{}
		maps.Copy(out[i].Values, v.Values)
	}
	return out
}
