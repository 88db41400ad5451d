package novutest

import (
	"encoding/json"
	"maps"
	"net/http"
)

// reply is what an operation answers; the pipeline (Server.run) sends it.
type reply struct {
	status int
	body   []byte // nil for 204
	wrote  bool   // the operation changed state
	header http.Header
}

// call is one request on its way through the pipeline.
type call struct {
	s    *Server
	r    *http.Request
	env  *envState
	body []byte
}

// data answers status with {"data": v}, Novu's success envelope.
func (c *call) data(status int, v any) reply {
	return reply{status: status, body: mustJSON(map[string]any{"data": v})}
}

// written answers like data for an operation that changed state.
func (c *call) written(status int, v any) reply {
	rep := c.data(status, v)
	rep.wrote = true
	return rep
}

// fail answers Novu's error shape: statusCode, timestamp, path and message,
// with extra keys spread into the top level as the exception filter does.
func (c *call) fail(status int, message any, extra map[string]any) reply {
	return reply{status: status, body: errorBody(c.s, c.r, status, message, extra)}
}

// nestFail is a Nest built-in exception, which adds "error".
func (c *call) nestFail(status int, message any) reply {
	return c.fail(status, message, map[string]any{"error": http.StatusText(status)})
}

func (c *call) workflowNotFound(id string) reply {
	return c.fail(http.StatusNotFound, "Workflow cannot be found", map[string]any{"workflowId": id})
}

// pathItem is a kind of stored item the API names by a path value: how it
// is found, in an environment or the organization, and how Novu answers
// when it is not there.
type pathItem[T any] struct {
	param    string
	find     func(c *call, e *envState, id string) *T
	notFound func(c *call, e *envState, id string) reply
}

var (
	workflowAt = pathItem[Workflow]{"workflowId",
		func(_ *call, e *envState, id string) *Workflow { return e.lookup(id) },
		func(c *call, _ *envState, id string) reply { return c.workflowNotFound(id) }}
	layoutAt = pathItem[Layout]{"layoutId",
		func(_ *call, e *envState, id string) *Layout { return e.layoutByID(id) },
		(*call).layoutNotFound}
	// Environment variables belong to the organization; e is not read.
	envVarAt = pathItem[EnvVar]{"variableKey",
		func(c *call, _ *envState, key string) *EnvVar { return c.s.envVarByKey(key) },
		func(c *call, _ *envState, _ string) reply { return c.envVarNotFound() }}
)

// on runs act, under s.mu, on the item the request's path names, or
// answers the 404 when there is none.
func (p pathItem[T]) on(c *call, e *envState, act func(*T) reply) reply {
	id := c.r.PathValue(p.param)
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	x := p.find(c, e, id)
	if x == nil {
		return p.notFound(c, e, id)
	}
	return act(x)
}

// get is the item's GET: the stored item as it is, from the caller's
// environment or the one ?environmentId names (scopedEnv).
func (p pathItem[T]) get(c *call) reply {
	e, bad := c.scopedEnv()
	if bad != nil {
		return *bad
	}
	return p.on(c, e, func(x *T) reply { return c.data(http.StatusOK, x) })
}

func errorBody(s *Server, r *http.Request, status int, message any, extra map[string]any) []byte {
	body := map[string]any{
		"statusCode": status,
		"timestamp":  s.timestamp(),
		"path":       r.URL.RequestURI(),
		"message":    message,
	}
	maps.Copy(body, extra)
	return mustJSON(body)
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic("novutest: cannot encode response: " + err.Error())
	}
	return data
}

// fieldErrors collects DTO violations for a 422 ValidationErrorDto.
type fieldErrors map[string]fieldError

type fieldError struct {
	Messages []string `json:"messages"`
	Value    any      `json:"value,omitempty"`
}

func (f fieldErrors) add(field, message string, value any) {
	e := f[field]
	e.Messages = append(e.Messages, message)
	if value != nil {
		e.Value = value
	}
	f[field] = e
}

// validationFailed answers 422 with Novu's ValidationErrorDto.
func (c *call) validationFailed(errs fieldErrors) reply {
	return c.fail(http.StatusUnprocessableEntity, "Validation failed", map[string]any{"errors": errs})
}

// fieldFailed is validationFailed for the one violation found.
func (c *call) fieldFailed(field, message string, value any) reply {
	errs := fieldErrors{}
	errs.add(field, message, value)
	return c.validationFailed(errs)
}
