package payloadschema

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/invopop/jsonschema"
)

// The library's hooks, declared here with the library's method sets so that the
// walker sees the same types the library will replace.
type (
	schemaHook      interface{ JSONSchema() *jsonschema.Schema }
	extendHook      interface{ JSONSchemaExtend(*jsonschema.Schema) }
	aliasHook       interface{ JSONSchemaAlias() any }
	propertyHook    interface{ JSONSchemaProperty(string) any }
	fieldDocHook    interface{ GetFieldDocString(string) string }
	protoEnumMarker interface{ EnumDescriptor() ([]byte, []int) }
)

var (
	schemaHookType   = reflect.TypeFor[schemaHook]()
	extendHookType   = reflect.TypeFor[extendHook]()
	aliasHookType    = reflect.TypeFor[aliasHook]()
	propertyHookType = reflect.TypeFor[propertyHook]()
	fieldDocHookType = reflect.TypeFor[fieldDocHook]()
	protoEnumType    = reflect.TypeFor[protoEnumMarker]()
	jsonMarshaler    = reflect.TypeFor[json.Marshaler]()
	textMarshaler    = reflect.TypeFor[encoding.TextMarshaler]()
	timeType         = reflect.TypeFor[time.Time]()
	ipType           = reflect.TypeFor[net.IP]()
	urlType          = reflect.TypeFor[url.URL]()
	rawMessageType   = reflect.TypeFor[json.RawMessage]()
)

// walker visits the payload type graph the way invopop/jsonschema will, to find what
// the library would crash on or render wrongly, with the Go field path of each fault.
type walker struct {
	opts     Options               // the schema's, which JSONField needs: Strict refuses fields it leaves unchecked
	onPath   map[reflect.Type]bool // types being visited on the current path: a revisit is a cycle
	at       string                // path being visited, for a recovered panic
	warnings []string
	// errs holds every fault found, in field order: the walk goes on past a
	// fault (though not into the faulty type), so that one run names them all.
	errs UnsupportedErrors
}

func (w *walker) fail(t reflect.Type, path, reason string) {
	w.errs = append(w.errs, &UnsupportedError{Type: t, Field: path, Reason: reason})
}

func (w *walker) walk(t reflect.Type, path string) {
	w.at = path
	if w.onPath[t] {
		w.fail(t, path, fmt.Sprintf(
			"recursive type %s: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID", t))
		return
	}
	w.onPath[t] = true
	defer delete(w.onPath, t)

	if reason := unsupported(t); reason != "" {
		w.fail(t, path, reason)
		return
	}
	switch {
	case t.Kind() == reflect.Pointer:
		w.walk(t.Elem(), path)
		return
	case t.Implements(aliasHookType):
		// The library reflects the returned value's type instead; so do we.
		alias := reflect.New(t).Interface().(aliasHook).JSONSchemaAlias()
		if alias == nil {
			w.fail(t, path, fmt.Sprintf("%s.JSONSchemaAlias returns nil; return a value of the type to describe", t))
			return
		}
		w.walk(reflect.TypeOf(alias), path)
		return
	case t.Implements(schemaHookType), t.Implements(protoEnumType), t == timeType, t == ipType, t == rawMessageType:
		// The type's schema is its own (or the library's); checkDraft07 vets the output.
		return
	}
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) ||
		t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		w.warn(path, fmt.Sprintf("%[1]s has its own MarshalJSON or MarshalText, but its schema follows its Go type; give %[1]s a JSONSchema method on a value receiver", t))
	}

	switch t.Kind() {
	case reflect.Struct:
		w.object(t, path, "", map[string]string{})
	case reflect.Slice, reflect.Array:
		w.walk(t.Elem(), path+"[]")
	case reflect.Map:
		// encoding/json writes string keys as they are and TextMarshaler keys as their
		// text. Integer keys it writes in decimal, which the library's pattern for them
		// gets wrong for negative numbers.
		if k := t.Key(); k.Kind() != reflect.String && !k.Implements(textMarshaler) {
			w.fail(t, path, fmt.Sprintf("map key type %s is not a string; a payload schema describes only string-keyed maps", k))
		}
		w.walk(t.Elem(), path+"[]")
	}
}

// unsupported says why t cannot become a schema whatever its context, or
// returns "" when it can.
func unsupported(t reflect.Type) string {
	reason := ""
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		reason = fmt.Sprintf("%s cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`", t)
	case reflect.Uintptr:
		reason = "uintptr has no JSON Schema mapping; use uint64"
	case reflect.Interface:
		// An empty interface is a free-form field: any JSON value, said so
		// in the schema. An interface with methods is refused: the library
		// cannot call a JSONSchema method through it, and the methods say
		// the producer means a narrower value than the schema would allow.
		if t.NumMethod() > 0 {
			reason = fmt.Sprintf("%s is an interface with methods, which the schema cannot describe; use a concrete type, or any for a free-form value", t)
		}
	}
	switch {
	case reason != "":
	case t == urlType:
		reason = "url.URL is sent by encoding/json as an object, but its schema says string; use a string field"
	case !t.Implements(schemaHookType) && reflect.PointerTo(t).Implements(schemaHookType):
		reason = fmt.Sprintf("%s has JSONSchema on a pointer receiver, which invopop/jsonschema ignores (issue #102); declare it on the value receiver", t)
	case !t.Implements(extendHookType) && reflect.PointerTo(t).Implements(extendHookType):
		reason = fmt.Sprintf("%s has JSONSchemaExtend on a pointer receiver, which invopop/jsonschema ignores (issue #102); declare it on the value receiver", t)
	case t.Implements(propertyHookType), t.Implements(fieldDocHookType):
		reason = fmt.Sprintf("%s uses a JSONSchemaProperty or GetFieldDocString method, which payloadschema does not support; use jsonschema tags or a JSONSchema method", t)
	}
	return reason
}

// object walks the fields of struct t, flattening embedded structs into the same
// object as encoding/json does; names maps each JSON name to the field that took it.
// nilable is the path of the embedded pointer t was reached through, if any.
func (w *walker) object(t reflect.Type, path, nilable string, names map[string]string) {
	for f := range t.Fields() {
		fpath := path + "." + f.Name
		w.at = fpath
		jf := JSONField(f.Name, f.Tag, f.Anonymous, isStructOrPointer(f.Type), w.opts)
		if jf.Skip {
			continue
		}
		if jf.Invalid != "" {
			w.fail(f.Type, fpath, jf.Invalid)
			continue
		}
		ft := f.Type
		if jf.Inline {
			via := nilable
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
				if via == "" {
					via = fpath
				}
			}
			if w.onPath[ft] {
				w.fail(ft, fpath, fmt.Sprintf(
					"recursive type %s: it embeds itself, which Novu's inline payload schema cannot express; break the cycle", ft))
				continue
			}
			w.onPath[ft] = true
			w.object(ft, fpath, via, names)
			delete(w.onPath, ft)
			continue
		}
		name := jf.Name
		if prev, ok := names[name]; ok {
			w.fail(f.Type, fpath, fmt.Sprintf("JSON name %q is also used by %s; encoding/json would send only one of them, so rename one", name, prev))
		} else {
			names[name] = fpath
		}
		if _, ok := f.Tag.Lookup("jsonschema_extras"); ok {
			w.fail(f.Type, fpath, "jsonschema_extras can write keywords outside draft-07, which Novu's strict validator rejects; use jsonschema tags")
		}
		schemaOpts := strings.Split(f.Tag.Get("jsonschema"), ",")
		if nilable != "" && (!jf.Omitted || slices.Contains(schemaOpts, "required")) {
			w.warn(fpath, fmt.Sprintf("is required, but encoding/json sends none of the fields of the embedded pointer %s when it is nil; add omitempty, or embed the struct by value", nilable))
		}
		if ft.Kind() == reflect.Pointer && !jf.Omitted && !slices.Contains(schemaOpts, "nullable") {
			w.warn(fpath, "pointer without omitempty is required and may not be null, but encoding/json sends null for a nil pointer; add omitempty (or omitzero), or `jsonschema:\"nullable\"`")
		}
		before := len(w.errs)
		w.walk(ft, fpath)
		if !jf.Tagged && len(w.errs) == before {
			// The payload contract is the json names; a Go name leaking
			// into it (OrderID where the producer sends orderId) is almost
			// always a mistake, and one that only shows at trigger time.
			// (A field whose type failed already has its own error.)
			reason := fmt.Sprintf("has no json tag, so its JSON name would be the Go name %q; add one, e.g. `json:\"%s\"`", f.Name, SuggestedJSONName(f.Name))
			if f.Anonymous {
				// Only an embedded struct is flattened; encoding/json sends
				// any other embedded type as a field named after the type.
				reason = fmt.Sprintf("is embedded without a json tag, so encoding/json sends it as a field named after its type, %q; give it a json name, e.g. `json:\"%s\"`, or make it a named field with one", f.Name, SuggestedJSONName(f.Name))
			}
			w.fail(f.Type, fpath, reason)
		}
	}
}

// isStructOrPointer reports a struct type or a pointer to one.
func isStructOrPointer(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

func (w *walker) warn(path, msg string) {
	w.warnings = append(w.warnings, path+": "+msg)
}
