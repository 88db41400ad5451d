package payloadschema

import (
	"fmt"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field is what encoding/json, and so the payload schema, makes of one
// struct field. Exactly one of Skip, Inline, Name and Invalid is set.
type Field struct {
	// Skip: the field is not in the schema's object: encoding/json does
	// not send it (json:"-", an unexported field, an embedded unexported
	// non-struct), or, outside Options.Strict, jsonschema:"-" leaves a
	// field it sends unchecked.
	Skip bool
	// Inline: the fields of the field's struct join the parent's object,
	// as encoding/json flattens an untagged embedded struct (or pointer to
	// one).
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
	// Invalid says why the field is refused, and what to declare instead:
	// invopop/jsonschema would describe it other than encoding/json sends
	// it, and the schema must describe exactly what is sent.
	Invalid string
}

// JSONField says what encoding/json makes of the struct field named name,
// declared with tag, in a schema generated with o. anonymous reports an
// embedded field, and structType that the field's type is a struct or a
// pointer to one. It is the one statement of these rules: the schema walk
// applies it to reflect types, and novugen's outline of a payload type that
// cannot become a schema applies it to go/types ones. A field that
// invopop/jsonschema would describe other than encoding/json (v1) sends it
// is Invalid: the inline option, which encoding/json ignores, unless on a
// struct it flattens anyway; an embedded unexported non-struct, which it
// never sends; a json name of "-" (`json:"-,"`), which it sends and the
// library skips; and, under o.Strict, jsonschema:"-" on a field it sends.
func JSONField(name string, tag reflect.StructTag, anonymous, structType bool, o Options) Field {
	jsonTag, tagged := tag.Lookup("json")
	opts := strings.Split(jsonTag, ",")
	if opts[0] == "-" {
		if len(opts) == 1 {
			return Field{Skip: true}
		}
		// `json:"-,"` (with any options) is encoding/json's escape for a
		// field named "-": it sends the key "-", which the library skips
		// as if the tag were `json:"-"`. Refused rather than described:
		// it is far more often a slip for `json:"-"` (staticcheck's SA5008
		// asks the same question), and following
		// encoding/json would then put a field meant to stay private into
		// the payload contract without a word; a field that really should
		// be sent reads better in templates under a name than under
		// payload.-, and one rename settles it either way.
		return Field{Invalid: "`json:\"-,\"` is encoding/json's name for a key literally named \"-\": it sends the field as \"-\", which the schema would leave out; tag it `json:\"-\"` to keep it out of the payload, or give it a json name"}
	}
	if strings.Split(tag.Get("jsonschema"), ",")[0] == "-" {
		return schemaSkipped(name, opts, anonymous, structType, o)
	}
	inline := hasOption(opts, "inline")
	if anonymous && opts[0] == "" && structType {
		// encoding/json flattens it, and so does the library, inline or not.
		return Field{Inline: true}
	}
	// encoding/json sends no unexported field, except an embedded struct's
	// promoted fields (above) or an embedded struct it names by its tag.
	if !token.IsExported(name) && (!anonymous || !structType) {
		switch {
		case !anonymous && !inline, inline && !structType:
			// The library adds nothing either.
			return Field{Skip: true}
		case inline:
			// The library reads the option before it drops unexported fields.
			return Field{Invalid: "encoding/json ignores the inline option and sends no unexported field, but the schema would describe the struct's fields; embed the struct without a json name to flatten it, or drop ,inline to leave it out"}
		}
		return Field{Invalid: fmt.Sprintf("encoding/json never sends an embedded field of an unexported non-struct type, but the schema would describe it as %q; tag it `json:\"-\"`, or make it an exported field with a json tag", jsonName(name, opts))}
	}
	if inline {
		// encoding/json v1 has no inline option: it sends the field under
		// its name, while the library would flatten it into the parent (or,
		// for a non-struct, leave it out).
		sent := jsonName(name, opts)
		keep := "drop ,inline"
		if opts[0] == "" {
			keep = fmt.Sprintf("tag it `json:\"%s\"` instead", SuggestedJSONName(name))
		}
		if !structType {
			return Field{Invalid: fmt.Sprintf("encoding/json ignores the inline option and sends the field as %q, which the schema would leave out; %s", sent, keep)}
		}
		return Field{Invalid: fmt.Sprintf("encoding/json ignores the inline option and sends the field as the object %q: embed the struct without a json name to flatten it, or %s to nest it", sent, keep)}
	}
	return Field{Name: jsonName(name, opts), Tagged: tagged, Omitted: hasOption(opts, "omitempty") || hasOption(opts, "omitzero")}
}

// schemaSkipped is JSONField for a field tagged jsonschema:"-", which the
// library leaves out of the schema whatever encoding/json does with it
// (its opts are the json tag's). Where encoding/json sends nothing the two
// agree. Where it sends the field, the schema leaves it out: in the
// default mode an object accepts keys it does not declare, so that is a
// deliberately unchecked field; under o.Strict every object has
// additionalProperties: false, so Novu would refuse every trigger carrying
// it, and the field is refused here instead.
func schemaSkipped(name string, opts []string, anonymous, structType bool, o Options) Field {
	flattened := anonymous && opts[0] == "" && structType
	// As below: an exported field, or an embedded struct, flattened or
	// named, is sent (the inline option changes nothing).
	sent := token.IsExported(name) || anonymous && structType
	if !o.Strict || !sent {
		return Field{Skip: true}
	}
	what := fmt.Sprintf("sends it as %q", jsonName(name, opts))
	if flattened {
		what = "sends the embedded struct's fields"
	}
	return Field{Invalid: fmt.Sprintf("`jsonschema:\"-\"` leaves the field out of the schema, but encoding/json %s, and with the strict option (Settings.StrictPayload) Novu refuses every trigger carrying an undeclared key; drop `jsonschema:\"-\"` to describe it, tag it `json:\"-\"` if it should not be sent, or drop the strict option to accept it unchecked", what)}
}

// jsonName is the name encoding/json sends a field under: its json tag's,
// else its Go name.
func jsonName(name string, opts []string) string {
	if opts[0] != "" {
		return opts[0]
	}
	return name
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
