package novutest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// compileSchema compiles a payload schema with the draft-07 defaults Novu's
// Ajv uses; a schema naming another $schema keeps that draft.
func compileSchema(schema map[string]any) error {
	_, err := compile(schema)
	return err
}

func compile(schema map[string]any) (*jsonschema.Schema, error) {
	doc, err := toJSONSchemaValue(schema)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	const loc = "payload-schema.json"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, err
	}
	return c.Compile(loc)
}

// toJSONSchemaValue re-reads v with the validator's own decoder, which keeps
// numbers exact.
func toJSONSchemaValue(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(data))
}

type payloadError struct {
	Field      string `json:"field"`
	Message    string `json:"message"`
	Value      any    `json:"value,omitempty"`
	SchemaPath string `json:"schemaPath"`
}

// validatePayload answers 400 PAYLOAD_VALIDATION_ERROR when payload breaks
// schema (payload-validation-exception.ts).
func (c *call) validatePayload(schema, payload map[string]any) (reply, bool) {
	sch, err := compile(schema)
	if err != nil {
		return c.nestFail(http.StatusBadRequest, "invalid payload schema: "+err.Error()), true
	}
	inst, err := toJSONSchemaValue(payload)
	if err != nil {
		return c.nestFail(http.StatusBadRequest, "invalid payload: "+err.Error()), true
	}
	err = sch.Validate(inst)
	if err == nil {
		return reply{}, false
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return c.nestFail(http.StatusBadRequest, "payload validation failed: "+err.Error()), true
	}
	var list []payloadError
	collect(ve, payload, &list)
	var parts []string
	for _, e := range list {
		parts = append(parts, e.Field+": "+e.Message)
	}
	return c.fail(http.StatusBadRequest, "Payload validation failed: "+strings.Join(parts, "; "), map[string]any{
		"errors": list,
		"schema": schema,
		"type":   "PAYLOAD_VALIDATION_ERROR",
	}), true
}

var printer = message.NewPrinter(language.English)

// collect flattens the leaves of a validation error into Ajv-style entries.
func collect(ve *jsonschema.ValidationError, payload map[string]any, out *[]payloadError) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collect(c, payload, out)
		}
		return
	}
	loc := slices.Clone(ve.InstanceLocation)
	msg := ve.ErrorKind.LocalizedString(printer)
	var value any = lookupPath(payload, loc)
	_, schemaPath, _ := strings.Cut(ve.SchemaURL, "#")
	if req, ok := ve.ErrorKind.(*kind.Required); ok {
		for _, missing := range req.Missing {
			*out = append(*out, payloadError{Field: strings.Join(append(slices.Clone(loc), missing), "."),
				Message: fmt.Sprintf("must have required property '%s'", missing), SchemaPath: "#" + schemaPath})
		}
		return
	}
	field := strings.Join(loc, ".")
	if field == "" {
		field = "root"
	}
	*out = append(*out, payloadError{Field: field, Message: msg, Value: value, SchemaPath: "#" + schemaPath})
}

func lookupPath(v any, path []string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// fillDefaults sets absent properties that have a schema default, as Ajv's
// useDefaults does.
func fillDefaults(schema map[string]any, v map[string]any) {
	props, _ := schema["properties"].(map[string]any)
	for name, raw := range props {
		ps, _ := raw.(map[string]any)
		if ps == nil {
			continue
		}
		if _, ok := v[name]; !ok {
			if d, has := ps["default"]; has {
				v[name] = cloneAny(d)
			}
		}
		if child, ok := v[name].(map[string]any); ok {
			fillDefaults(ps, child)
		}
	}
}

func cloneAny(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return v
	}
	return out
}
