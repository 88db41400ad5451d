package payloadschema

import (
	"go/token"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field is what encoding/json, and so the payload schema, makes of one
// struct field. Exactly one of Skip, Inline and Name is set.
type Field struct {
	// Skip: the field is not in the JSON object (json:"-",
	// jsonschema:"-", an unexported field, an inlined non-struct).
	Skip bool
	// Inline: the fields of the field's struct join the parent's object,
	// as encoding/json flattens an untagged embedded struct (or pointer to
	// one) and invopop/jsonschema one tagged inline.
	Inline bool
	// Name is the field's JSON name: the json tag's, else its Go name.
	Name string
	// Tagged reports that the field has a json tag. An exported field
	// without one is an error (the Go name would become the payload
	// contract), which names SuggestedJSONName as the fix.
	Tagged bool
	// Omitted reports omitempty or omitzero: encoding/json may leave the
	// field out, so the schema does not require it.
	Omitted bool
}

// JSONField says what encoding/json makes of the struct field named name,
// declared with tag. anonymous reports an embedded field, and structType
// that the field's type is a struct or a pointer to one. It is the one
// statement of these rules: the schema walk applies it to reflect types,
// and novugen's outline of a payload type that cannot become a schema
// applies it to go/types ones.
func JSONField(name string, tag reflect.StructTag, anonymous, structType bool) Field {
	jsonTag, tagged := tag.Lookup("json")
	opts := strings.Split(jsonTag, ",")
	// Skipped as the library skips them (it also reads `json:"-,"` as skipped).
	if opts[0] == "-" || strings.Split(tag.Get("jsonschema"), ",")[0] == "-" {
		return Field{Skip: true}
	}
	if hasOption(opts, "inline") || anonymous && opts[0] == "" && structType {
		// The library adds nothing for an inlined non-struct.
		return Field{Skip: !structType, Inline: structType}
	}
	if !token.IsExported(name) && !anonymous {
		return Field{Skip: true}
	}
	if opts[0] != "" {
		name = opts[0]
	}
	return Field{Name: name, Tagged: tagged, Omitted: hasOption(opts, "omitempty") || hasOption(opts, "omitzero")}
}

func hasOption(opts []string, opt string) bool {
	return slices.Contains(opts[1:], opt)
}

// SuggestedJSONName is the json name the error about a field without a
// json tag suggests for it: OrderID → orderID. The generator accepts template
// references by this name while that error stands, so that the one mistake
// gets one message.
func SuggestedJSONName(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// ElemStep is the step of a field path into a slice, array or map element.
const ElemStep = "[]"

// FieldSteps splits the Field of an [UnsupportedError] that Generate
// returned for payload type t into the steps it takes from t: Go field
// names as declared (an embedded struct by its type's name) and [ElemStep].
// Only t can say where the path's first element, t's name, ends, since the
// name may hold dots and brackets itself (struct{ ... }, Page[shop.Item]).
// It returns nil when the fault is at t itself, or field is not a path from t.
func FieldSteps(t reflect.Type, field string) []string {
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	rest, ok := strings.CutPrefix(field, typeLabel(t))
	if !ok {
		return nil
	}
	return splitFieldPath(rest)
}

// splitFieldPath splits a path after its type's name, such as
// .Items[].Parent, into field names and ElemStep. It returns nil for
// anything else.
func splitFieldPath(path string) []string {
	var steps []string
	for path != "" {
		if rest, ok := strings.CutPrefix(path, ElemStep); ok {
			steps, path = append(steps, ElemStep), rest
			continue
		}
		rest, ok := strings.CutPrefix(path, ".")
		if !ok {
			return nil
		}
		end := strings.IndexAny(rest, ".[")
		if end < 0 {
			end = len(rest)
		}
		if !token.IsIdentifier(rest[:end]) {
			return nil
		}
		steps, path = append(steps, rest[:end]), rest[end:]
	}
	return steps
}
