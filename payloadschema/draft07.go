package payloadschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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
	return checkSchema(root, "")
}

// checkSchema checks the schema v found at the JSON pointer at.
func checkSchema(v any, at string) error {
	switch v := v.(type) {
	case bool:
		return nil
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			kat := at + "/" + escapePointer(k)
			val := v[k]
			var err error
			switch {
			case slices.Contains(schemaKeywords, k):
				err = checkSchema(val, kat)
			case k == "items":
				if list, ok := val.([]any); ok {
					err = checkList(list, kat)
				} else {
					err = checkSchema(val, kat)
				}
			case slices.Contains(schemaListKeyword, k):
				list, ok := val.([]any)
				if !ok {
					return fmt.Errorf("generated schema has %s at %s that is not a list", k, kat)
				}
				err = checkList(list, kat)
			case slices.Contains(schemaMapKeywords, k):
				err = checkMap(k, val, kat)
			case k == "type":
				err = checkType(val, kat)
			case k == "format":
				if f, _ := val.(string); !slices.Contains(ajvFormats, f) {
					err = fmt.Errorf("generated schema has format %v at %s, which Novu's validator does not know; use one of %s", val, kat, strings.Join(ajvFormats, ", "))
				}
			case slices.Contains(valueKeywords, k):
			default:
				err = fmt.Errorf("generated schema has keyword %q at %s, which is not draft-07 or not allowed in a self-contained payload schema; check the jsonschema tags and JSONSchema methods there", k, where(at))
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("generated schema at %s is neither an object nor a boolean", where(at))
}

func checkList(list []any, at string) error {
	for i, s := range list {
		if err := checkSchema(s, fmt.Sprintf("%s/%d", at, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkMap(keyword string, v any, at string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("generated schema has %s at %s that is not an object", keyword, at)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if _, isList := m[k].([]any); isList && keyword == "dependencies" {
			continue // a property dependency lists names, not a schema
		}
		if err := checkSchema(m[k], at+"/"+escapePointer(k)); err != nil {
			return err
		}
	}
	return nil
}

func checkType(v any, at string) error {
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

// where names the schema at JSON pointer at for a message.
func where(at string) string {
	if at == "" {
		return "the root"
	}
	return at
}

// pointerEscaper escapes a key as a JSON Pointer (RFC 6901) reference token. Built
// once: a Replacer is costly to build and safe for concurrent use.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(k string) string { return pointerEscaper.Replace(k) }
