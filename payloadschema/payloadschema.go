package payloadschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/invopop/jsonschema"
)

// Options configures [Generate].
type Options struct {
	// Strict writes additionalProperties: false on every struct's object, so Novu
	// rejects payloads with keys the struct does not declare. The default accepts
	// them; the package documentation says why.
	Strict bool
}

// Schema is the payload schema of one Go type.
type Schema struct {
	// JSON is one self-contained draft-07 object schema: properties in struct field
	// order, indented by two spaces, identical bytes on every run.
	JSON json.RawMessage
	// Warnings name fields whose schema encoding/json may not satisfy, in field
	// order, e.g. a pointer without omitempty.
	Warnings []string
}

// UnsupportedError reports a payload type, or a part of one, that cannot become a
// Novu payload schema.
type UnsupportedError struct {
	// Type is the Go type at fault: the payload type itself, or the type of the field
	// at Field.
	Type reflect.Type
	// Field is the Go path from the payload type to the fault, e.g.
	// "OrderPayload.Items[].Parent"; "[]" steps into a slice, array or map value.
	Field string
	// Reason says what is wrong and how to fix it.
	Reason string
}

func (e *UnsupportedError) Error() string { return e.Field + ": " + e.Reason }

// UnsupportedErrors lists every fault of a payload type, in field order, when it has
// more than one: a type with an any field and a chan field is reported for both, so
// that one run of the generator names everything to fix. errors.As reaches each
// [*UnsupportedError] through Unwrap, the first one first.
type UnsupportedErrors []*UnsupportedError

// Error joins the faults' messages with "; ", so that the list reads as one line.
func (l UnsupportedErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the faults, for errors.Is and errors.As.
func (l UnsupportedErrors) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Generate returns the Novu payload schema of t, which must be a struct or a pointer
// to one. A failure is an [*UnsupportedError], or [UnsupportedErrors] when the type
// has several faults.
func Generate(t reflect.Type, opts Options) (s Schema, err error) {
	if t == nil {
		return Schema{}, &UnsupportedError{Field: "payload", Reason: "payload type is nil; want a struct type"}
	}
	root := t
	if root.Kind() == reflect.Pointer {
		root = root.Elem()
	}
	name := typeLabel(root)
	if root.Kind() != reflect.Struct {
		return Schema{}, &UnsupportedError{Type: t, Field: typeLabel(t),
			Reason: fmt.Sprintf("payload type %s is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)", t)}
	}
	if root == reflect.TypeFor[time.Time]() {
		return Schema{}, &UnsupportedError{Type: t, Field: name,
			Reason: "payload type time.Time is a JSON string; Novu's payload is a JSON object, so declare a struct with a time.Time field"}
	}

	w := &walker{opts: opts, onPath: map[reflect.Type]bool{}, at: name}
	// The library panics on types it cannot reflect, and JSONSchema methods are user
	// code; neither may take the generator down.
	defer func() {
		if r := recover(); r != nil {
			w.fail(t, w.at, fmt.Sprintf("cannot build a schema: %v", r))
			s, err = Schema{}, w.err()
		}
	}()
	// Walk before reflecting: a recursive type overflows the stack inside the library
	// (invopop/jsonschema#165), which no recover can catch.
	w.walk(root, name)
	if err := w.err(); err != nil {
		return Schema{}, err
	}
	w.at = name

	r := &jsonschema.Reflector{
		// Inline every type: Novu's schema may hold no $ref or $defs, and inlining also
		// avoids same-named types from two packages overwriting each other (#42).
		DoNotReference: true,
		// The root is the struct's object itself, not a $ref to it (#148).
		ExpandedStruct: true,
		// No $id derived from the Go package path.
		Anonymous:                 true,
		AllowAdditionalProperties: !opts.Strict,
		// Required unless omitempty/omitzero, as encoding/json omits (#59).
		RequiredFromJSONSchemaTags: false,
		// encoding/json never sends a negative unsigned integer, so the
		// schema says so: Novu's Ajv then refuses -1 for a uint field.
		Mapper: mapper,
	}
	js := r.ReflectFromType(root)
	// Drop what ReflectFromType adds at the root; the package-level
	// jsonschema.Version is left alone, as other users of the library may rely on it.
	js.Version = ""
	js.ID = ""
	js.Definitions = nil

	raw, err := json.Marshal(js)
	if err != nil {
		return Schema{}, &UnsupportedError{Type: t, Field: name, Reason: fmt.Sprintf("cannot encode schema: %v", err)}
	}
	if err := checkDraft07(raw); err != nil {
		return Schema{}, &UnsupportedError{Type: t, Field: name, Reason: err.Error()}
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return Schema{}, &UnsupportedError{Type: t, Field: name, Reason: fmt.Sprintf("cannot indent schema: %v", err)}
	}
	return Schema{JSON: out.Bytes(), Warnings: w.warnings}, nil
}

// err returns the faults found so far as Generate returns them, or nil.
func (w *walker) err() error {
	switch len(w.errs) {
	case 0:
		return nil
	case 1:
		return w.errs[0]
	}
	return w.errs
}

// typeLabel names t at the start of a field path: its own name when it has one.
func typeLabel(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

// mapper gives free-form fields and unsigned integers the schemas the
// library does not.
func mapper(t reflect.Type) *jsonschema.Schema {
	if s := freeForm(t); s != nil {
		return s
	}
	return unsigned(t)
}

// freeForm maps a free-form field to an explicit schema: any (an empty
// interface) and json.RawMessage hold any JSON value, written {} (the
// library writes an empty schema as true, a boolean schema, where Novu's
// tooling expects an object at every property; a non-nil Extras keeps it
// from doing so and adds no keyword); a string-keyed map of them is an
// object with any keys and values, written with additionalProperties: true
// so that the openness is said, not implied. Template references below
// such a field cannot be checked, and validate accepts them unchecked.
func freeForm(t reflect.Type) *jsonschema.Schema {
	switch {
	case isFreeValue(t):
		return &jsonschema.Schema{Extras: map[string]any{}}
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && isFreeValue(t.Elem()):
		return &jsonschema.Schema{Type: "object", AdditionalProperties: jsonschema.TrueSchema}
	}
	return nil
}

// isFreeValue reports a type that holds any JSON value.
func isFreeValue(t reflect.Type) bool {
	return t == rawMessageType || t.Kind() == reflect.Interface && t.NumMethod() == 0
}

// unsigned maps the unsigned integer kinds to an integer schema with minimum
// 0 (the library gives them a bare integer). A type with a JSONSchema or
// JSONSchemaExtend method is left to the library, since a Mapper's schema
// would replace what the method says. Field tags still apply on top.
func unsigned(t reflect.Type) *jsonschema.Schema {
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	default:
		return nil
	}
	if t.Implements(schemaHookType) || t.Implements(extendHookType) || t.Implements(protoEnumType) {
		return nil
	}
	return &jsonschema.Schema{Type: "integer", Minimum: json.Number("0")}
}
