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
