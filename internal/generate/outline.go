package generate

import (
	"encoding/json"
	"go/types"
	"reflect"

	"github.com/novugen/novugen/payloadschema"
)

// outline describes the JSON shape of a payload type that payloadschema
// could not turn into a schema, from its Go declaration alone, so that the
// workflow's template references to the payload can still be checked in the
// same run. It follows encoding/json's names for structs, slices, arrays,
// maps and pointers and leaves everything else open ({}), including types
// with their own JSON or schema methods: an open node accepts any path
// below it, so the outline can miss a mistake but not invent one. It is
// never emitted: a workflow with schema errors generates nothing.
func outline(t types.Type) json.RawMessage {
	if t == nil {
		return nil
	}
	data, err := json.Marshal(outlineOf(t, map[types.Type]bool{}))
	if err != nil {
		return nil
	}
	return data
}

var open = map[string]any{}

func outlineOf(t types.Type, onPath map[types.Type]bool) any {
	if onPath[t] {
		return open // a cycle: payloadschema reports it
	}
	if hasMethods(t) {
		return open
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return outlineOf(u.Elem(), onPath)
	case *types.Slice:
		return map[string]any{"type": "array", "items": outlineOf(u.Elem(), onPath)}
	case *types.Array:
		return map[string]any{"type": "array", "items": outlineOf(u.Elem(), onPath)}
	case *types.Map:
		return map[string]any{"type": "object", "additionalProperties": outlineOf(u.Elem(), onPath)}
	case *types.Struct:
		onPath[t] = true
		defer delete(onPath, t)
		props, aliases := map[string]any{}, map[string]any{}
		if !fields(u, props, aliases, onPath) {
			return open
		}
		for name, p := range aliases {
			if _, taken := props[name]; !taken {
				props[name] = p
			}
		}
		return map[string]any{"type": "object", "properties": props}
	}
	return open
}

// fields adds the JSON properties of st to props, named and flattened by
// payloadschema.JSONField, the rules the schema itself follows. It reports
// false when a name cannot be told for sure (an embedded field with a name
// clash, or a field JSONField refuses: its fix may nest it or flatten it),
// and the whole object must stay open.
//
// A field without a json tag is an error of its own (payloadschema says
// which name to give it). Its JSON name is the Go name today and the
// suggested one once the tag is added, so a template may use either: the
// suggested name goes into aliases, added where no field has that name,
// and neither is reported as naming no field ("did you mean "Code"?" under
// an error that says to tag it "code" would contradict it).
func fields(st *types.Struct, props, aliases map[string]any, onPath map[types.Type]bool) bool {
	for i := range st.NumFields() {
		f := st.Field(i)
		ft, inner := structOf(f.Type())
		// The report does not say whether the schema is strict; under
		// Strict a field JSONField would skip otherwise (jsonschema:"-")
		// is refused and leaves the object open, which can only miss a
		// mistake, never invent one.
		jf := payloadschema.JSONField(f.Name(), reflect.StructTag(st.Tag(i)), f.Embedded(), inner != nil, payloadschema.Options{Strict: true})
		switch {
		case jf.Skip:
			continue
		case jf.Invalid != "":
			return false
		case jf.Inline:
			// A struct with its own JSON methods inside another: what
			// encoding/json sends is the methods' to say.
			if hasMethods(ft) || onPath[ft] {
				return false
			}
			onPath[ft] = true
			ok := fields(inner, props, aliases, onPath)
			delete(onPath, ft)
			if !ok {
				return false
			}
			continue
		}
		if _, dup := props[jf.Name]; dup {
			return false
		}
		props[jf.Name] = outlineOf(f.Type(), onPath)
		if !jf.Tagged {
			aliases[payloadschema.SuggestedJSONName(jf.Name)] = props[jf.Name]
		}
	}
	return true
}

// hasMethods reports a type whose JSON or schema its own methods decide.
func hasMethods(t types.Type) bool {
	for _, name := range []string{"MarshalJSON", "MarshalText", "JSONSchema", "JSONSchemaAlias"} {
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), true, nil, name)
		if _, ok := obj.(*types.Func); ok {
			return true
		}
	}
	return false
}
