// Package payloadschema turns a workflow's payload Go type into the JSON Schema that
// Novu stores as the workflow's payloadSchema. It is the only code in novugen that
// configures github.com/invopop/jsonschema.
//
// With validatePayload on, Novu validates every trigger's payload with Ajv's draft-07
// class in strict mode. [Generate] therefore returns one self-contained object schema:
// nested types are inlined, and the result has no $schema, $id, $ref, $defs or
// definitions, and no keyword outside draft-07. Generate checks its own output for
// this before returning it.
//
// # Mapping
//
// The payload's fields follow encoding/json, since that is what sends the payload:
//
//   - The JSON name comes from the json tag, which every exported field needs (a
//     field without one is an error naming it: the Go name would silently become
//     part of the payload contract); `json:"-"` and unexported fields are skipped;
//     embedded structs (and pointers to them) are flattened. The inline json option,
//     which encoding/json v1 ignores, is an error (it would flatten a field that is
//     sent nested), as are a non-struct embedded without a json name, an
//     embedded unexported non-struct, which encoding/json never sends, and
//     `json:"-,"`, which it sends under the key "-" (tag it `json:"-"` to skip
//     the field, or name it).
//   - `jsonschema:"-"` leaves a field out of the schema while encoding/json still
//     sends it: by default the object accepts the key unchecked; under
//     [Options.Strict] that would make Novu refuse every trigger, so it is an error
//     there (drop the tag to describe the field, or use `json:"-"` to stop sending it).
//   - A field is required unless its json tag has omitempty or omitzero. The
//     `jsonschema:"required"` tag also makes a field required. The required list keeps
//     struct field order, so the bytes are stable.
//   - Structs, pointers to structs, slices, arrays and maps with string (or
//     encoding.TextMarshaler) keys nest as objects and arrays; a map's values become
//     its additionalProperties. time.Time is
//     a string with format date-time; []byte is a base64 string.
//   - Unsigned integers (uint to uint64, and named types of them) are integers with
//     minimum 0, so a trigger sending -1 fails validation; a minimum tag replaces the
//     0, and a type with a JSONSchema or JSONSchemaExtend method keeps its own schema.
//   - jsonschema tags that stay within draft-07 work as invopop documents them, for
//     example `jsonschema:"description=Order number,minLength=1"` or
//     `jsonschema:"minimum=0,maximum=100"`. `jsonschema:"nullable"` accepts null.
//     jsonschema_extras is rejected: it can write any keyword.
//
// # Enums
//
// A field lists its values in its tag: `jsonschema:"enum=standard,enum=express"`
// (strings and numbers). A named type used in many places gives itself a schema with a
// JSONSchema method on a value receiver:
//
//	type Tier string
//
//	func (Tier) JSONSchema() *jsonschema.Schema {
//		return &jsonschema.Schema{Type: "string", Enum: []any{"free", "pro"}}
//	}
//
// invopop/jsonschema silently ignores JSONSchema and JSONSchemaExtend on a pointer
// receiver (upstream issue #102), and does not infer enums from a type's constants
// (#128); Generate reports the pointer-receiver case as an error rather than emit a
// schema without the enum.
//
// # Extra keys
//
// By default an object accepts keys its struct does not declare (no
// additionalProperties: false). A producer that starts sending a new key before the
// workflow carrying it has been applied would otherwise have its triggers rejected
// with 400 by Novu, which turns a harmless deploy-order difference into lost
// notifications. [Options.Strict] writes additionalProperties: false on every
// struct's object, for workflows whose owners prefer to catch misspelt keys at the
// cost of that coupling (Novu's own examples use false).
//
// # What cannot become a schema
//
// Recursive types (invopop overflows the stack inlining them, #165, and a $ref is not
// allowed), chan, func, complex, unsafe.Pointer, uintptr, interfaces with methods,
// url.URL (encoding/json sends an object, the library says string), maps with non-string keys and JSON names used
// twice in one object are reported as an [*UnsupportedError] naming the field path,
// for example `OrderPayload.Items[].Parent: recursive type workflows.Item ...`.
// A type with several such fields is reported for each of them, as
// [UnsupportedErrors]. Generate checks the type graph before calling the library, so
// none of these crashes the generator.
//
// # Free-form fields
//
// A field of type any or json.RawMessage holds any JSON value and is written {}
// (not the boolean schema true); a string-keyed map of them is an open object,
// {"type":"object","additionalProperties":true}, in strict mode too. The schema
// checks such a field for its shape only, and template references below it
// ({{payload.metadata.campaign}}) are accepted unchecked.
//
// # Warnings
//
// Some types produce a valid schema that encoding/json may not satisfy. A pointer
// without omitempty is required and not nullable, yet encoding/json sends null for a
// nil pointer; such fields are listed in [Schema.Warnings], as are required fields
// promoted from an embedded pointer (a nil one sends none of them), fields without a
// json tag, and types with their own MarshalJSON or MarshalText. (A nil slice or map
// without omitempty is sent as null too; it is not warned about, because required
// lists and maps are the common, deliberate case.)
package payloadschema
