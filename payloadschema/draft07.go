package payloadschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Keywords of draft-07 by what their value holds. Anything else (a $ keyword, a later
// draft's keyword, a jsonschema tag's typo) fails Ajv's strict mode when Novu compiles
// the schema, so the generator must fail first.
var (
	schemaKeywords    = []string{"additionalItems", "additionalProperties", "contains", "else", "if", "not", "propertyNames", "then"}
	schemaMapKeywords = []string{"properties", "patternProperties", "dependencies"}
	schemaListKeyword = []string{"allOf", "anyOf", "oneOf"}
	valueKeywords     = []string{
		"type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
		"exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
		"uniqueItems", "maxProperties", "minProperties", "required", "format",
		"contentMediaType", "contentEncoding", "title", "description", "default",
		"readOnly", "writeOnly", "examples",
	}
	jsonTypes = []string{"array", "boolean", "integer", "null", "number", "object", "string"}
	// Formats Ajv knows once ajv-formats is added, as Novu does; strict mode rejects
	// any other format.
	ajvFormats = []string{
		"binary", "byte", "date", "date-time", "double", "duration", "email", "float",
		"hostname", "int32", "int64", "ipv4", "ipv6", "iso-date-time", "iso-time",
		"json-pointer", "json-pointer-uri-fragment", "password", "regex",
		"relative-json-pointer", "time", "uri", "uri-reference", "uri-template", "url", "uuid",
	}
)

// checkDraft07 reports the first part of raw that Novu's draft-07 Ajv would refuse, or
// a root that is not an object schema.
func checkDraft07(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return fmt.Errorf("generated schema is not JSON: %w", err)
	}
	obj, ok := root.(map[string]any)
	if !ok || obj["type"] != "object" {
		return fmt.Errorf("generated schema is not of type object; Novu's payload is a JSON object")
	}
	return checkSchema(root, &pointer{})
}

// pointer is the JSON Pointer of the schema being checked, kept as a stack
// of escaped reference tokens and written out only for an error: building
// the string at every level would cost memory with the square of the
// nesting depth.
type pointer []string

func (p *pointer) push(token string) { *p = append(*p, token) }
func (p *pointer) pop()              { *p = (*p)[:len(*p)-1] }

func (p *pointer) String() string {
	if len(*p) == 0 {
		return ""
	}
	return "/" + strings.Join(*p, "/")
}

// where names the schema at p for a message.
func (p *pointer) where() string {
	if len(*p) == 0 {
		return "the root"
	}
	return p.String()
}

// checkSchema checks the schema v found at the JSON pointer at.
func checkSchema(v any, at *pointer) error {
	switch v := v.(type) {
	case bool:
		return nil
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			val := v[k]
			at.push(escapePointer(k))
			var err error
			switch {
			case slices.Contains(schemaKeywords, k):
				err = checkSchema(val, at)
			case k == "items":
				if list, ok := val.([]any); ok {
					err = checkList(list, at)
				} else {
					err = checkSchema(val, at)
				}
			case slices.Contains(schemaListKeyword, k):
				list, ok := val.([]any)
				if !ok {
					return fmt.Errorf("generated schema has %s at %s that is not a list", k, at)
				}
				err = checkList(list, at)
			case slices.Contains(schemaMapKeywords, k):
				err = checkMap(k, val, at)
			case k == "type":
				err = checkType(val, at)
			case k == "format":
				if f, _ := val.(string); !slices.Contains(ajvFormats, f) {
					err = fmt.Errorf("generated schema has format %v at %s, which Novu's validator does not know; use one of %s", val, at, strings.Join(ajvFormats, ", "))
				}
			case slices.Contains(valueKeywords, k):
			default:
				at.pop()
				err = fmt.Errorf("generated schema has keyword %q at %s, which is not draft-07 or not allowed in a self-contained payload schema; check the jsonschema tags and JSONSchema methods there", k, at.where())
			}
			if err != nil {
				return err
			}
			at.pop()
		}
		return nil
	}
	return fmt.Errorf("generated schema at %s is neither an object nor a boolean", at.where())
}

func checkList(list []any, at *pointer) error {
	for i, s := range list {
		at.push(strconv.Itoa(i))
		if err := checkSchema(s, at); err != nil {
			return err
		}
		at.pop()
	}
	return nil
}

func checkMap(keyword string, v any, at *pointer) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("generated schema has %s at %s that is not an object", keyword, at)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if _, isList := m[k].([]any); isList && keyword == "dependencies" {
			continue // a property dependency lists names, not a schema
		}
		at.push(escapePointer(k))
		if err := checkSchema(m[k], at); err != nil {
			return err
		}
		at.pop()
	}
	return nil
}

func checkType(v any, at *pointer) error {
	types, ok := v.([]any)
	if !ok {
		types = []any{v}
	}
	for _, t := range types {
		if s, _ := t.(string); !slices.Contains(jsonTypes, s) {
			return fmt.Errorf("generated schema has type %v at %s; draft-07 types are %s", t, at, strings.Join(jsonTypes, ", "))
		}
	}
	return nil
}

// pointerEscaper escapes a key as a JSON Pointer (RFC 6901) reference token. Built
// once: a Replacer is costly to build and safe for concurrent use.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(k string) string { return pointerEscaper.Replace(k) }
