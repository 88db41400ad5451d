package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/liquid"
)

func object(props map[string]any) map[string]any {
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

func scalar(t string) map[string]any { return map[string]any{"type": t} }

// payloadSchema parses the workflow's payload schema; nil means payload
// variables cannot be checked, so any is accepted.
func (c *checker) payloadSchema() any {
	if c.def.SendsNoSchema() {
		return nil
	}
	raw := bytes.TrimSpace(c.def.PayloadSchema)
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		c.add("", "payloadSchema is not valid JSON: %v", err)
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		c.add("", "payloadSchema must be a JSON Schema object, not %s", jsonType(v))
		return nil
	}
	if p := tooDeep(v); p != nil {
		c.add("", "payloadSchema is nested more than %d levels deep, at %s; Novu keeps it in a MongoDB document, which may nest at most 100 levels, and no payload needs this many: flatten the payload type", maxDepth, pointer(p))
		return nil
	}
	if t, ok := m["type"]; ok && t != "object" {
		c.add("", "payloadSchema must describe an object (type \"object\"), not type %v", t)
		return nil // payload variables cannot be checked against it
	}
	for _, p := range referencingKeys(m) {
		c.add("", "payloadSchema has %s; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate", p)
	}
	return v
}

// referencingKeys returns the JSON Pointers of every $schema, $id, $ref,
// $defs and definitions keyword in a schema: novugen never writes them, so
// one in the registry was put there by hand, and Novu's payload validation
// and variable tooling would not resolve it (docs/novu-api.md §8.2). Keys of
// "properties" are field names, not keywords: a payload may have a field
// called "definitions". The path is kept as a stack and written out only
// for a keyword found, so the walk costs time and memory linear in the
// schema, however deep.
func referencingKeys(v any) []string {
	var out []string
	var path []seg
	var visit func(v any)
	visit = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(v) {
				path = append(path, seg{key: k, isKey: true})
				switch k {
				case "$schema", "$id", "$ref", "$defs", "definitions":
					out = append(out, fmt.Sprintf("%q at %s", k, pointer(path)))
				case "properties", "patternProperties":
					if names, ok := v[k].(map[string]any); ok {
						for _, name := range sortedKeys(names) {
							path = append(path, seg{key: name, isKey: true})
							visit(names[name])
							path = path[:len(path)-1]
						}
						break
					}
					visit(v[k])
				default:
					visit(v[k])
				}
				path = path[:len(path)-1]
			}
		case []any:
			for i, e := range v {
				path = append(path, seg{index: i})
				visit(e)
				path = path[:len(path)-1]
			}
		}
	}
	visit(v)
	return out
}

// schemaView is what one JSON Schema node says about the values it allows,
// with allOf/anyOf/oneOf folded in.
type schemaView struct {
	open  bool     // nothing can be said: accept any path below
	kinds []string // JSON types
	props map[string]any
	addl  any // additionalProperties: nil (absent), bool or a schema
	items any
}

func (v schemaView) is(kind string) bool { return slices.Contains(v.kinds, kind) }

// scalar reports a node that can only be a string, number, boolean or null.
func (v schemaView) scalar() bool {
	for _, k := range v.kinds {
		if k == "object" || k == "array" {
			return false
		}
	}
	return len(v.kinds) > 0
}

func (v schemaView) typeName() string {
	for _, k := range v.kinds {
		switch k {
		case "string":
			return "a string"
		case "number", "integer":
			return "a number"
		case "boolean":
			return "a boolean"
		}
	}
	return "null"
}

var openView = schemaView{open: true}

func view(node any) schemaView {
	m, ok := node.(map[string]any)
	if !ok {
		return openView // nil (no schema), true, or something we cannot read
	}
	if _, ok := m["$ref"]; ok {
		return openView // the generator inlines everything; a hand-written $ref is not followed
	}
	var v schemaView
	switch t := m["type"].(type) {
	case string:
		v.kinds = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				v.kinds = append(v.kinds, s)
			}
		}
	}
	if p, ok := m["properties"].(map[string]any); ok {
		v.props = p
	}
	v.addl = m["additionalProperties"]
	if _, tuple := m["items"].([]any); !tuple {
		v.items = m["items"]
	}
	for _, comb := range []string{"allOf", "anyOf", "oneOf"} {
		subs, _ := m[comb].([]any)
		for _, s := range subs {
			sv := view(s)
			if sv.open {
				if comb == "allOf" {
					continue // allows anything: adds no constraint
				}
				return openView // one alternative allows anything
			}
			v = merge(v, sv)
		}
	}
	if len(v.kinds) == 0 {
		switch {
		case v.props != nil || v.addl != nil:
			v.kinds = []string{"object"}
		case v.items != nil:
			v.kinds = []string{"array"}
		default:
			return openView
		}
	}
	return v
}

func merge(a, b schemaView) schemaView {
	for _, k := range b.kinds {
		if !a.is(k) {
			a.kinds = append(a.kinds, k)
		}
	}
	if len(b.props) > 0 {
		props := make(map[string]any, len(a.props)+len(b.props))
		maps.Copy(props, a.props)
		for k, p := range b.props {
			if _, ok := props[k]; !ok {
				props[k] = p
			}
		}
		a.props = props
	}
	if a.addl == nil {
		a.addl = b.addl
	}
	if a.items == nil {
		a.items = b.items
	}
	return a
}

var listProps = []string{"first", "last", "size"}

// walk follows segs from the schema node, which is at the variable path at
// (label is how a message names the root), and returns what is wrong or "".
func walk(node any, segs []string, at, label string) string {
	for i, seg := range segs {
		v := view(node)
		if v.open {
			return ""
		}
		here := at
		if i == 0 {
			here = label
		}
		var next any
		switch {
		case seg == liquid.Elem || seg == liquid.AnyKey:
			m, isMap := v.addl.(map[string]any)
			switch {
			case v.is("array"):
				next = v.items
			case seg == liquid.AnyKey && isMap:
				next = m
			case v.scalar():
				next = node // a string indexes to a string
			default:
				return "" // objects iterate as [key, value] pairs: not followed
			}
		case v.props[seg] != nil:
			next = v.props[seg]
		case v.is("array") && !v.is("object"):
			switch seg {
			case "first", "last":
				next = v.items
			case "size", "length":
				next = scalar("integer")
			default:
				return fmt.Sprintf("reads %q of %s, which is a list; loop over it with {%% for %%}, or use %s%s",
					seg, here, oneOf(listProps), suggest(seg, listProps))
			}
		case v.scalar():
			if v.is("string") && (seg == "size" || seg == "length") {
				next = scalar("integer")
				break
			}
			return fmt.Sprintf("reads %q of %s, which is %s", seg, here, v.typeName())
		default:
			if m, ok := v.addl.(map[string]any); ok {
				next = m // a map: any key
				break
			}
			if len(v.props) == 0 {
				if v.addl == false {
					return fmt.Sprintf("names no field of %s, which has none", here)
				}
				return "" // an object whose keys are not declared
			}
			names := sortedKeys(v.props)
			return fmt.Sprintf("names no field of %s%s", here, or(suggest(seg, names), "; "+fields(names)))
		}
		at += displaySeg(seg)
		node = next
	}
	return ""
}

// fields names up to twelve fields for a message (enough for every
// subscriber attribute).
func fields(names []string) string {
	const max = 12
	switch {
	case len(names) == 1:
		return fmt.Sprintf("its only field is %s", names[0])
	case len(names) > max:
		return "its fields are " + strings.Join(names[:max], ", ") + ", …"
	}
	return "its fields are " + allOf(names)
}
