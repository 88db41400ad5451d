package novu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// decodeData unwraps a 2xx body of the form {"data": …} into out. Anything else
// — no envelope, data null, the wrong shape, not JSON — is a *DecodeError that
// names the call and quotes the body, never a panic and never a half-filled
// result that the caller might trust.
func decodeData(method, path string, status int, body []byte, out any) error {
	fail := func(reason string) error {
		return &DecodeError{Method: method, Path: path, Status: status, Reason: reason, Body: excerpt(body)}
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return fail("empty body, want {\"data\": …}")
	}
	if trimmed[0] != '{' {
		return fail("body is not a JSON object, want {\"data\": …}")
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return fail("invalid JSON: " + jsonReason(err))
	}
	data, ok := env["data"]
	if !ok {
		return fail("no \"data\" envelope")
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return fail("\"data\" is null")
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fail("wrong shape: " + jsonReason(err))
	}
	return nil
}

// jsonReason words a json error without echoing large parts of the input.
func jsonReason(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("%s at byte %d", e.Error(), e.Offset)
	case *json.UnmarshalTypeError:
		field := e.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Sprintf("field %s is a JSON %s, want %s", clip(field, 100), e.Value, e.Type)
	}
	return clip(err.Error(), maxMessageLength)
}

// decodeError builds an *APIError from any error body (docs/novu-api.md §2.2): Novu's
// object with "message" as a string or an array, a 422 "errors" map of
// {messages, value}, a 400 "errors" array of {message, path}, a bare JSON
// string, or something that is not JSON at all (an HTML page from a proxy,
// truncated JSON), which is kept as an excerpt.
func decodeError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: status, Body: excerpt(body)}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return e
	}
	var v any
	if err := json.Unmarshal(trimmed, &v); err != nil {
		return e
	}
	switch v := v.(type) {
	case string:
		if v != "" {
			e.Message = []string{v}
		}
	case map[string]any:
		e.Message = messages(v["message"])
		if len(e.Message) == 0 {
			// Nest's built-in form without a message still names the error.
			if s, ok := v["error"].(string); ok && s != "" {
				e.Message = []string{s}
			}
		}
		switch errs := v["errors"].(type) {
		case map[string]any:
			e.addErrorMap(errs)
		case []any:
			e.addErrorList(errs)
		}
		if id, ok := v["errorId"].(string); ok {
			e.ErrorID = clip(id, 100)
		}
	}
	return e
}

// messages reads "message" in any form: string, array of strings, or other
// JSON, which is kept as compact text.
func messages(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	case []any:
		var out []string
		for _, m := range v {
			out = append(out, messages(m)...)
		}
		return out
	case map[string]any:
		if m, ok := v["message"]; ok {
			return messages(m)
		}
	}
	return []string{compact(v)}
}

// addErrorMap reads the 422 ValidationErrorDto form:
// {"<field>": {"messages": [...], "value"?: …}}; a bare string or array of
// strings per field is accepted too.
func (e *APIError) addErrorMap(m map[string]any) {
	for field, v := range m {
		var msgs []string
		if obj, ok := v.(map[string]any); ok {
			msgs = messages(obj["messages"])
			if len(msgs) == 0 {
				msgs = messages(obj["message"])
			}
		} else {
			msgs = messages(v)
		}
		e.addFieldErrors(field, msgs)
	}
}

// addErrorList reads the 400 form [{"message": …, "path": "a.b" | ["a", 0]}].
func (e *APIError) addErrorList(list []any) {
	for _, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			e.Message = append(e.Message, messages(item)...)
			continue
		}
		msgs := messages(obj["message"])
		field := errorPath(obj["path"])
		if field == "" {
			if f, ok := obj["field"].(string); ok {
				field = f
			}
		}
		if field == "" {
			e.Message = append(e.Message, msgs...)
			continue
		}
		e.addFieldErrors(field, msgs)
	}
}

func (e *APIError) addFieldErrors(field string, msgs []string) {
	if e.Errors == nil {
		e.Errors = make(map[string][]string)
	}
	e.Errors[field] = append(e.Errors[field], msgs...)
}

// errorPath turns a zod path (["steps", 0, "stepId"]) or a string into
// "steps.0.stepId".
func errorPath(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, 0, len(v))
		for _, p := range v {
			switch p := p.(type) {
			case string:
				parts = append(parts, p)
			case float64:
				parts = append(parts, strconv.FormatFloat(p, 'f', -1, 64))
			default:
				parts = append(parts, compact(p))
			}
		}
		return strings.Join(parts, ".")
	}
	return ""
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(string(b), maxMessageLength)
}

// excerpt makes a short, single-line, printable quote of a body for an error.
func excerpt(body []byte) string {
	const scan = 4 * maxExcerpt // never look at more than this much of a huge body
	cut := len(body) > scan
	if cut {
		body = body[:scan]
	}
	s := strings.ToValidUTF8(string(body), "�")
	var b strings.Builder
	space := false
	n := 0
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if n >= maxExcerpt {
			b.WriteString("…")
			return b.String()
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	if cut {
		b.WriteString("…")
	}
	return b.String()
}
