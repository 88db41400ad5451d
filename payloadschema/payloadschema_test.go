package payloadschema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	santhosh "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/novugen/novugen/internal/draft07"
	"github.com/novugen/novugen/payloadschema"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json from the current output")

type schemaCase struct {
	name     string // golden file testdata/<name>.json
	typ      reflect.Type
	opts     payloadschema.Options
	warnings []string
}

var schemaCases = []schemaCase{
	{name: "flat", typ: reflect.TypeFor[Flat]()},
	{name: "nested", typ: reflect.TypeFor[Nested]()},
	{name: "pointer_to_struct", typ: reflect.TypeFor[PointerToStruct]()},
	{name: "pointer_root", typ: reflect.TypeFor[*Flat]()},
	{name: "slice_of_structs", typ: reflect.TypeFor[SliceOfStructs]()},
	{name: "map", typ: reflect.TypeFor[Maps]()},
	{name: "time", typ: reflect.TypeFor[Times]()},
	{name: "enum", typ: reflect.TypeFor[Enums]()},
	{name: "omitempty", typ: reflect.TypeFor[Optionality]()},
	{name: "pointer_without_omitempty", typ: reflect.TypeFor[PointerWithoutOmitEmpty](), warnings: []string{
		`PointerWithoutOmitEmpty.Coupon: pointer without omitempty is required and may not be null, but encoding/json sends null for a nil pointer; add omitempty (or omitzero), or ` + "`jsonschema:\"nullable\"`",
	}},
	{name: "embedded", typ: reflect.TypeFor[Embedded]()},
	{name: "embedded_pointer", typ: reflect.TypeFor[EmbeddedNilable](), warnings: []string{
		"EmbeddedNilable.Trace.TraceID: is required, but encoding/json sends none of the fields of the embedded pointer EmbeddedNilable.Trace when it is nil; add omitempty, or embed the struct by value",
	}},
	{name: "text_map_keys", typ: reflect.TypeFor[WithTextKeys]()},
	{name: "tags", typ: reflect.TypeFor[Tagged]()},
	{name: "marshaler", typ: reflect.TypeFor[WithStamp](), warnings: []string{
		"WithStamp.At: payloadschema_test.Stamp has its own MarshalJSON or MarshalText, but its schema follows its Go type; give payloadschema_test.Stamp a JSONSchema method on a value receiver",
	}},
	{name: "unsigned", typ: reflect.TypeFor[Unsigned]()},
	{name: "free_form", typ: reflect.TypeFor[FreeForm]()},
	{name: "free_form_strict", typ: reflect.TypeFor[FreeForm](), opts: payloadschema.Options{Strict: true}},
	{name: "order", typ: reflect.TypeFor[OrderPayload]()},
	{name: "order_strict", typ: reflect.TypeFor[OrderPayload](), opts: payloadschema.Options{Strict: true}},
	{name: "nested_strict", typ: reflect.TypeFor[Nested](), opts: payloadschema.Options{Strict: true}},
}

func generate(t testing.TB, c schemaCase) payloadschema.Schema {
	t.Helper()
	s, err := payloadschema.Generate(c.typ, c.opts)
	if err != nil {
		t.Fatalf("Generate(%s): %v", c.typ, err)
	}
	return s
}

func TestGenerateMatchesGoldens(t *testing.T) {
	for _, c := range schemaCases {
		t.Run(c.name, func(t *testing.T) {
			s := generate(t, c)
			golden := filepath.Join("testdata", c.name+".json")
			got := append(bytes.Clone(s.JSON), '\n')
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./payloadschema -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("schema differs from %s (-want +got):\n%s", golden, diff)
			}
			if diff := cmp.Diff(c.warnings, s.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGoldensAreSelfContainedDraft07Objects walks every key of every generated schema,
// independently of the package's own check.
func TestGoldensAreSelfContainedDraft07Objects(t *testing.T) {
	for _, c := range schemaCases {
		t.Run(c.name, func(t *testing.T) {
			var root map[string]any
			if err := json.Unmarshal(generate(t, c).JSON, &root); err != nil {
				t.Fatal(err)
			}
			if root["type"] != "object" {
				t.Errorf("root type = %v, want object", root["type"])
			}
			var walk func(v any, at string)
			walk = func(v any, at string) {
				switch v := v.(type) {
				case map[string]any:
					for k, child := range v {
						if strings.HasPrefix(k, "$") || k == "definitions" {
							t.Errorf("key %q at %s/", k, at)
						}
						walk(child, at+"/"+k)
					}
				case []any:
					for _, child := range v {
						walk(child, at+"/[]")
					}
				}
			}
			walk(root, "")
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, c := range schemaCases {
		first, second := generate(t, c), generate(t, c)
		if !bytes.Equal(first.JSON, second.JSON) {
			t.Errorf("%s: two runs differ:\n%s\n%s", c.name, first.JSON, second.JSON)
		}
	}
}

func TestStrictForbidsExtraKeysOnEveryObject(t *testing.T) {
	lax := generate(t, schemaCase{typ: reflect.TypeFor[Nested]()})
	if bytes.Contains(lax.JSON, []byte(`"additionalProperties"`)) {
		t.Errorf("default schema restricts extra keys:\n%s", lax.JSON)
	}
	strict := generate(t, schemaCase{typ: reflect.TypeFor[Nested](), opts: payloadschema.Options{Strict: true}})
	var objects, closed int
	var walk func(v any)
	walk = func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if m["type"] == "object" {
			objects++
			if m["additionalProperties"] == false {
				closed++
			}
		}
		if props, ok := m["properties"].(map[string]any); ok {
			for _, p := range props {
				walk(p)
			}
		}
	}
	var root any
	if err := json.Unmarshal(strict.JSON, &root); err != nil {
		t.Fatal(err)
	}
	walk(root)
	if objects != 3 || closed != objects {
		t.Errorf("strict schema: %d of %d objects closed, want 3 of 3:\n%s", closed, objects, strict.JSON)
	}
}

// compileDraft07 compiles a generated schema the way Novu's Ajv reads it: draft-07,
// formats asserted.
func compileDraft07(t *testing.T, schema json.RawMessage) *santhosh.Schema {
	t.Helper()
	s, err := draft07.Compile(schema)
	if err != nil {
		t.Fatalf("%v\n%s", err, schema)
	}
	return s
}

func validate(t *testing.T, s *santhosh.Schema, payload string) error {
	t.Helper()
	doc, err := santhosh.UnmarshalJSON(strings.NewReader(payload))
	if err != nil {
		t.Fatalf("bad test payload %s: %v", payload, err)
	}
	return s.Validate(doc)
}

func TestEveryGoldenCompilesAsDraft07(t *testing.T) {
	for _, c := range schemaCases {
		compileDraft07(t, generate(t, c).JSON)
	}
}

func TestPayloadsSentByEncodingJSONValidate(t *testing.T) {
	placed := time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC)
	values := []any{
		OrderPayload{OrderID: "o-1", Items: []LineItem{{SKU: "a", Quantity: 2}}, Tier: "pro", PlacedAt: placed},
		OrderPayload{
			OrderID: "o-2", Customer: Customer{Name: "Ada", Email: "ada@example.com"},
			Items: []LineItem{}, Total: Money{Amount: 1200, Currency: "EUR"}, Tier: "free", PlacedAt: placed,
			Shipping: &Address{Street: "1 Main St", City: "Oslo"}, Metadata: map[string]string{"source": "web"},
			Carrier: "dhl", GiftNote: "Enjoy", Expedited: true,
		},
		Flat{OrderID: "x", Secret: "never sent", internal: "not sent"},
		Maps{Labels: map[Label]string{"a": "b"}, Totals: map[string]Money{"eur": {Amount: 1}}},
		Times{PlacedAt: placed, DeliveredAt: &placed},
		Enums{Carrier: "ups", Priority: 2, Tier: "enterprise", Tiers: []Tier{"free"}},
		Embedded{Base: Base{ID: "e", CreatedAt: placed}, Audit: &Audit{Actor: "ci"}, Status: "ok"},
		Tagged{Title: "Hi", Score: 99.5, Code: "ABC", Count: 3},
		EmbeddedTaggedInline{Base: Base{ID: "e", CreatedAt: placed}, Status: "ok"},
		EmbeddedTaggedNote{Note: "hi"},
		SliceOfStructs{Items: []LineItem{{SKU: "s", Quantity: 1}}, Pair: [2]string{"a", "b"}, Raw: []byte("hi")},
		PointerWithoutOmitEmpty{Coupon: &Coupon{Code: "X"}},
		EmbeddedNilable{Trace: &Trace{TraceID: "t"}, Status: "ok"},
		WithTextKeys{ByKey: map[TextKey]int{{'a', 'b'}: 1}},
		Unsigned{Count: 0, Huge: 1 << 60, List: []uint{0, 7}, ByName: map[string]uint32{"a": 0}, AtLeast: 1, Level: 2},
		freeFormSample(),
		func() FreeForm { // null for any: any JSON value
			v := FreeForm{OrderID: "o", Metadata: map[string]any{}, Extra: nil}
			v.Source.Attrs = map[string]any{}
			return v
		}(),
	}
	for _, opts := range []payloadschema.Options{{}, {Strict: true}} {
		for _, v := range values {
			s := compileDraft07(t, generate(t, schemaCase{typ: reflect.TypeOf(v), opts: opts}).JSON)
			payload, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, s, string(payload)); err != nil {
				t.Errorf("%T (strict %v): payload %s rejected: %v", v, opts.Strict, payload, err)
			}
		}
	}
}

// freeFormSample fills every free-form field with nested values of every
// JSON type: a free-form field takes them all, in strict mode too.
func freeFormSample() FreeForm {
	blob := json.RawMessage(`[1, "two", {"three": null}]`)
	v := FreeForm{
		OrderID:  "o-1",
		Metadata: map[string]any{"campaign": "spring", "score": 9.5, "tags": []any{"a", true}, "deep": map[string]any{"x": nil}},
		Raw:      map[string]json.RawMessage{"k": json.RawMessage(`{"a":[1]}`)},
		Extra:    []any{1.0, "x", map[string]any{"y": false}},
		Blob:     blob,
		Opt:      &blob,
		Events:   []any{"a", 2.0, nil},
	}
	v.Source.Attrs = map[string]any{"ip": "10.0.0.1"}
	return v
}

// A free-form field is checked only for what it declares: an open object
// still refuses a non-object, and the fixed fields around it are checked.
func TestFreeFormFieldsCheckOnlyTheirShape(t *testing.T) {
	for _, opts := range []payloadschema.Options{{}, {Strict: true}} {
		s := compileDraft07(t, generate(t, schemaCase{typ: reflect.TypeFor[FreeForm](), opts: opts}).JSON)
		for _, bad := range []string{
			`{"orderId":"o","metadata":"not an object","extra":1,"source":{"attrs":{}}}`,
			`{"orderId":"o","metadata":{},"extra":1,"source":{"attrs":[1]}}`,
			`{"orderId":1,"metadata":{},"extra":1,"source":{"attrs":{}}}`,
			`{"orderId":"o","metadata":{},"source":{"attrs":{}}}`, // extra is required though free-form
		} {
			if err := validate(t, s, bad); err == nil {
				t.Errorf("strict %v: payload %s accepted", opts.Strict, bad)
			}
		}
	}
}

func TestBadPayloadsFailValidation(t *testing.T) {
	const good = `{"orderId":"o-1","customer":{"name":"Ada","email":"a@b.c"},"items":[{"sku":"a","quantity":1}],` +
		`"total":{"amount":5,"currency":"EUR"},"tier":"pro","placedAt":"2025-03-01T12:30:00Z","expedited":false}`
	lax := compileDraft07(t, generate(t, schemaCase{typ: reflect.TypeFor[OrderPayload]()}).JSON)
	strict := compileDraft07(t, generate(t, schemaCase{typ: reflect.TypeFor[OrderPayload](), opts: payloadschema.Options{Strict: true}}).JSON)

	if err := validate(t, lax, good); err != nil {
		t.Fatalf("good payload rejected: %v", err)
	}
	withExtra := strings.Replace(good, `{"orderId"`, `{"newKey":1,"orderId"`, 1)
	if err := validate(t, lax, withExtra); err != nil {
		t.Errorf("default schema rejected an extra key: %v", err)
	}

	bad := []struct{ name, payload string }{
		{"missing required", strings.Replace(good, `"orderId":"o-1",`, ``, 1)},
		{"missing nested required", strings.Replace(good, `"sku":"a",`, ``, 1)},
		{"wrong type", strings.Replace(good, `"expedited":false`, `"expedited":"no"`, 1)},
		{"wrong nested type", strings.Replace(good, `"amount":5`, `"amount":5.5`, 1)},
		{"not in enum", strings.Replace(good, `"tier":"pro"`, `"tier":"gold"`, 1)},
		{"tag enum", strings.Replace(good, `"tier":"pro"`, `"tier":"pro","carrier":"pigeon"`, 1)},
		{"below minimum", strings.Replace(good, `"quantity":1`, `"quantity":0`, 1)},
		{"empty string under minLength", strings.Replace(good, `"orderId":"o-1"`, `"orderId":""`, 1)},
		{"not a date-time", strings.Replace(good, `2025-03-01T12:30:00Z`, `yesterday`, 1)},
		{"null for required object", strings.Replace(good, `"customer":{"name":"Ada","email":"a@b.c"}`, `"customer":null`, 1)},
		{"wrong map value type", strings.Replace(good, `"expedited"`, `"metadata":{"a":1},"expedited"`, 1)},
		{"not an object", `[]`},
	}
	for _, b := range bad {
		if validate(t, lax, b.payload) == nil {
			t.Errorf("%s: accepted %s", b.name, b.payload)
		}
	}
	if validate(t, strict, withExtra) == nil {
		t.Errorf("strict schema accepted an extra key")
	}
	nestedExtra := strings.Replace(good, `"currency":"EUR"`, `"currency":"EUR","cents":true`, 1)
	if validate(t, strict, nestedExtra) == nil {
		t.Errorf("strict schema accepted an extra nested key")
	}
}

func TestGenerateRejectsTypesThatCannotBecomeASchema(t *testing.T) {
	// A struct type without a name is named by its text.
	const unexportedInlineName = `struct { audit payloadschema_test.Audit "json:\",inline\""; Status string "json:\"status\"" }`
	cases := []struct {
		name    string
		typ     reflect.Type
		field   string // UnsupportedError.Field
		message string // whole Error()
	}{
		{"recursive", reflect.TypeFor[TreeNode](), "TreeNode.Children[]",
			"TreeNode.Children[]: recursive type payloadschema_test.TreeNode: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID"},
		{"recursive through pointer", reflect.TypeFor[RecursiveDeep](), "RecursiveDeep.Items[].Parent",
			"RecursiveDeep.Items[].Parent: recursive type payloadschema_test.Item: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID"},
		{"recursive embedding", reflect.TypeFor[SelfEmbedding](), "SelfEmbedding.SelfEmbedding",
			"SelfEmbedding.SelfEmbedding: recursive type payloadschema_test.SelfEmbedding: it embeds itself, which Novu's inline payload schema cannot express; break the cycle"},
		{"untagged", reflect.TypeFor[WithUntagged](), "WithUntagged.OrderID",
			"WithUntagged.OrderID: has no json tag, so its JSON name would be the Go name \"OrderID\"; add one, e.g. `json:\"orderID\"`"},
		{"named inline", reflect.TypeFor[NamedInline](), "NamedInline.Audit",
			`NamedInline.Audit: encoding/json ignores the inline option and sends the field as the object "audit": embed the struct without a json name to flatten it, or drop ,inline to nest it`},
		{"unnamed inline", reflect.TypeFor[UnnamedInline](), "UnnamedInline.Audit",
			"UnnamedInline.Audit: encoding/json ignores the inline option and sends the field as the object \"Audit\": embed the struct without a json name to flatten it, or tag it `json:\"audit\"` instead to nest it"},
		{"unexported inline", unexportedInline, unexportedInlineName + ".audit",
			unexportedInlineName + ".audit: encoding/json ignores the inline option and sends no unexported field, but the schema would describe the struct's fields; embed the struct without a json name to flatten it, or drop ,inline to leave it out"},
		{"inline non-struct", reflect.TypeFor[InlineString](), "InlineString.Code",
			`InlineString.Code: encoding/json ignores the inline option and sends the field as "code", which the schema would leave out; drop ,inline`},
		{"json name -", reflect.TypeFor[DashName](), "DashName.Internal",
			"DashName.Internal: `json:\"-,\"` is encoding/json's name for a key literally named \"-\": it sends the field as \"-\", which the schema would leave out; tag it `json:\"-\"` to keep it out of the payload, or give it a json name"},
		{"embedded non-struct", reflect.TypeFor[EmbeddedNote](), "EmbeddedNote.Note",
			"EmbeddedNote.Note: is embedded without a json tag, so encoding/json sends it as a field named after its type, \"Note\"; give it a json name, e.g. `json:\"note\"`, or make it a named field with one"},
		{"embedded pointer to non-struct", reflect.TypeFor[EmbeddedNotePointer](), "EmbeddedNotePointer.Note",
			"EmbeddedNotePointer.Note: is embedded without a json tag, so encoding/json sends it as a field named after its type, \"Note\"; give it a json name, e.g. `json:\"note\"`, or make it a named field with one"},
		{"embedded unexported non-struct", reflect.TypeFor[EmbeddedUnexportedNonStruct](), "EmbeddedUnexportedNonStruct.memo",
			"EmbeddedUnexportedNonStruct.memo: encoding/json never sends an embedded field of an unexported non-struct type, but the schema would describe it as \"memo\"; tag it `json:\"-\"`, or make it an exported field with a json tag"},
		{"embedded pointer to unexported non-struct", reflect.TypeFor[EmbeddedUnexportedNonStructPointer](), "EmbeddedUnexportedNonStructPointer.memo",
			"EmbeddedUnexportedNonStructPointer.memo: encoding/json never sends an embedded field of an unexported non-struct type, but the schema would describe it as \"memo\"; tag it `json:\"-\"`, or make it an exported field with a json tag"},
		{"chan", reflect.TypeFor[WithChan](), "WithChan.Updates",
			"WithChan.Updates: chan string cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"func", reflect.TypeFor[WithFunc](), "WithFunc.Callback",
			"WithFunc.Callback: func() error cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"complex", reflect.TypeFor[WithComplex](), "WithComplex.Ratio",
			"WithComplex.Ratio: complex128 cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"unsafe pointer", reflect.TypeFor[WithUnsafe](), "WithUnsafe.Ptr",
			"WithUnsafe.Ptr: unsafe.Pointer cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"interface with methods", reflect.TypeFor[WithStringer](), "WithStringer.Label",
			"WithStringer.Label: fmt.Stringer is an interface with methods, which the schema cannot describe; use a concrete type, or any for a free-form value"},
		{"url", reflect.TypeFor[WithURL](), "WithURL.Link",
			"WithURL.Link: url.URL is sent by encoding/json as an object, but its schema says string; use a string field"},
		{"int map keys", reflect.TypeFor[WithIntKeys](), "WithIntKeys.ByID",
			"WithIntKeys.ByID: map key type int is not a string; a payload schema describes only string-keyed maps"},
		{"pointer receiver", reflect.TypeFor[WithPointerReceiver](), "WithPointerReceiver.Tier",
			"WithPointerReceiver.Tier: payloadschema_test.PointerTier has JSONSchema on a pointer receiver, which invopop/jsonschema ignores (issue #102); declare it on the value receiver"},
		{"extras", reflect.TypeFor[WithExtras](), "WithExtras.Name",
			"WithExtras.Name: jsonschema_extras can write keywords outside draft-07, which Novu's strict validator rejects; use jsonschema tags"},
		{"duplicate name", reflect.TypeFor[DuplicateName](), "DuplicateName.Identifier",
			`DuplicateName.Identifier: JSON name "id" is also used by DuplicateName.Base.ID; encoding/json would send only one of them, so rename one`},
		{"ref from tag", reflect.TypeFor[WithRefTag](), "WithRefTag",
			`WithRefTag: generated schema has keyword "$ref" at /properties/target/oneOf/0, which is not draft-07 or not allowed in a self-contained payload schema; check the jsonschema tags and JSONSchema methods there`},
		{"unknown format", reflect.TypeFor[WithUnknownFormat](), "WithUnknownFormat",
			"WithUnknownFormat: generated schema has format phone at /properties/phone~1mobile/format, which Novu's validator does not know; use one of binary, byte, date, date-time, double, duration, email, float, hostname, int32, int64, ipv4, ipv6, iso-date-time, iso-time, json-pointer, json-pointer-uri-fragment, password, regex, relative-json-pointer, time, uri, uri-reference, uri-template, url, uuid"},
		{"later draft keyword", reflect.TypeFor[WithDraftLater](), "WithDraftLater",
			`WithDraftLater: generated schema has keyword "deprecated" at /properties/old, which is not draft-07 or not allowed in a self-contained payload schema; check the jsonschema tags and JSONSchema methods there`},
		{"panicking method", reflect.TypeFor[WithPanicky](), "WithPanicky",
			"WithPanicky: cannot build a schema: boom"},
		{"string root", reflect.TypeFor[string](), "string",
			"string: payload type string is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"slice root", reflect.TypeFor[[]OrderPayload](), "[]payloadschema_test.OrderPayload",
			"[]payloadschema_test.OrderPayload: payload type []payloadschema_test.OrderPayload is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"pointer to pointer root", reflect.TypeFor[**OrderPayload](), "**payloadschema_test.OrderPayload",
			"**payloadschema_test.OrderPayload: payload type **payloadschema_test.OrderPayload is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"any root", reflect.TypeFor[any](), "interface {}",
			"interface {}: payload type interface {} is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"time root", reflect.TypeFor[time.Time](), "Time",
			"Time: payload type time.Time is a JSON string; Novu's payload is a JSON object, so declare a struct with a time.Time field"},
		{"struct that is a string", reflect.TypeFor[StringRoot](), "StringRoot",
			"StringRoot: generated schema is not of type object; Novu's payload is a JSON object"},
		{"nil", nil, "payload", "payload: payload type is nil; want a struct type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := payloadschema.Generate(c.typ, payloadschema.Options{})
			if err == nil {
				t.Fatalf("Generate succeeded:\n%s", s.JSON)
			}
			// One fault comes as itself, not as a list of one.
			ue, ok := err.(*payloadschema.UnsupportedError)
			if !ok {
				t.Fatalf("error %T %v is not an *UnsupportedError", err, err)
			}
			if ue.Field != c.field {
				t.Errorf("Field = %q, want %q", ue.Field, c.field)
			}
			if diff := cmp.Diff(c.message, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if s.JSON != nil || s.Warnings != nil {
				t.Errorf("failed Generate returned a schema: %+v", s)
			}
		})
	}
}

// TestSchemaSkipIsRefusedOnlyWhenStrict: a field tagged jsonschema:"-" is
// still sent. The default schema accepts the extra key, so the field is
// merely unchecked; a strict one would have Novu refuse every trigger
// carrying it, so Generate refuses the field instead.
func TestSchemaSkipIsRefusedOnlyWhenStrict(t *testing.T) {
	sent, err := json.Marshal(Unchecked{ID: "o-1", Note: "fragile"})
	if err != nil {
		t.Fatal(err)
	}
	lax, err := payloadschema.Generate(reflect.TypeFor[Unchecked](), payloadschema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(lax.JSON, []byte(`"note"`)) {
		t.Errorf("schema describes the jsonschema:\"-\" field:\n%s", lax.JSON)
	}
	if err := validate(t, compileDraft07(t, lax.JSON), string(sent)); err != nil {
		t.Errorf("default schema rejected %s: %v", sent, err)
	}

	// What the library would write under Strict, the same object without
	// "note" and closed, refuses what encoding/json sends.
	closed, err := payloadschema.Generate(reflect.TypeFor[struct {
		ID string `json:"id"`
	}](), payloadschema.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if validate(t, compileDraft07(t, closed.JSON), string(sent)) == nil {
		t.Fatalf("closed schema accepted %s; the refusal below has no reason", sent)
	}

	for _, c := range []struct {
		typ     reflect.Type
		message string
	}{
		{reflect.TypeFor[Unchecked](), "Unchecked.Note: `jsonschema:\"-\"` leaves the field out of the schema, but encoding/json sends it as \"note\", and with the strict option (Settings.StrictPayload) Novu refuses every trigger carrying an undeclared key; drop `jsonschema:\"-\"` to describe it, tag it `json:\"-\"` if it should not be sent, or drop the strict option to accept it unchecked"},
		{reflect.TypeFor[UncheckedEmbedded](), "UncheckedEmbedded.Base: `jsonschema:\"-\"` leaves the field out of the schema, but encoding/json sends the embedded struct's fields, and with the strict option (Settings.StrictPayload) Novu refuses every trigger carrying an undeclared key; drop `jsonschema:\"-\"` to describe it, tag it `json:\"-\"` if it should not be sent, or drop the strict option to accept it unchecked"},
	} {
		if _, err := payloadschema.Generate(c.typ, payloadschema.Options{}); err != nil {
			t.Errorf("default Generate(%s): %v", c.typ, err)
		}
		s, err := payloadschema.Generate(c.typ, payloadschema.Options{Strict: true})
		if err == nil {
			t.Errorf("strict Generate(%s) succeeded:\n%s", c.typ, s.JSON)
			continue
		}
		if diff := cmp.Diff(c.message, err.Error()); diff != "" {
			t.Errorf("strict Generate(%s) message (-want +got):\n%s", c.typ, diff)
		}
	}
}

func TestGenerateReportsEveryFault(t *testing.T) {
	_, err := payloadschema.Generate(reflect.TypeFor[ManyFaults](), payloadschema.Options{})
	var list payloadschema.UnsupportedErrors
	if !errors.As(err, &list) {
		t.Fatalf("error %T %v is not an UnsupportedErrors", err, err)
	}
	type fault struct{ Field, Reason string }
	var got []fault
	for _, e := range list {
		got = append(got, fault{e.Field, e.Reason})
	}
	want := []fault{
		{"ManyFaults.Data", "fmt.Stringer is an interface with methods, which the schema cannot describe; use a concrete type, or any for a free-form value"},
		{"ManyFaults.Events", "chan string cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"ManyFaults.Tree.Children[]", "recursive type payloadschema_test.TreeNode: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID"},
		{"ManyFaults.Nested.Updates", "chan string cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"ManyFaults.Identifier", `JSON name "id" is also used by ManyFaults.Base.ID; encoding/json would send only one of them, so rename one`},
		{"ManyFaults.Counts", "map key type int is not a string; a payload schema describes only string-keyed maps"},
		{"ManyFaults.Counts[]", "complex64 cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("faults (-want +got):\n%s", diff)
	}

	// The first fault stays reachable as an *UnsupportedError, and the
	// message names every fault on one line.
	var first *payloadschema.UnsupportedError
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As found %v, want the first fault %v", first, list[0])
	}
	msgs := make([]string, len(want))
	for i, f := range want {
		msgs[i] = f.Field + ": " + f.Reason
	}
	if diff := cmp.Diff(strings.Join(msgs, "; "), err.Error()); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
}

func BenchmarkGenerate(b *testing.B) {
	typ := reflect.TypeFor[OrderPayload]()
	var size int
	for b.Loop() {
		s, err := payloadschema.Generate(typ, payloadschema.Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(s.JSON)
	}
	b.ReportMetric(float64(size), "schema-bytes")
}

// The generator may build several workflows' schemas at once; run with -race.
func TestGenerateIsSafeForConcurrentUse(t *testing.T) {
	want := generate(t, schemaCase{typ: reflect.TypeFor[OrderPayload]()}).JSON
	done := make(chan json.RawMessage)
	for range 4 {
		go func() {
			s, _ := payloadschema.Generate(reflect.TypeFor[OrderPayload](), payloadschema.Options{})
			done <- s.JSON
		}()
	}
	for range 4 {
		if got := <-done; !bytes.Equal(got, want) {
			t.Errorf("concurrent run differs:\n%s", got)
		}
	}
}

// Ajv must refuse a negative number for an unsigned field, wherever it sits.
func TestNegativeUnsignedFailsValidation(t *testing.T) {
	s := compileDraft07(t, generate(t, schemaCase{typ: reflect.TypeFor[Unsigned]()}).JSON)
	const good = `{"count":0,"small":0,"medium":0,"large":0,"huge":0,"maybe":0,"list":[0],"byName":{"a":0},"named":0,"atLeast":1,"level":1}`
	if err := validate(t, s, good); err != nil {
		t.Fatalf("good payload rejected: %v", err)
	}
	for _, field := range []string{`"count":0`, `"small":0`, `"huge":0`, `"maybe":0`, `"list":[0]`, `"byName":{"a":0}`, `"named":0`} {
		bad := strings.Replace(good, field, strings.Replace(field, "0", "-1", 1), 1)
		if err := validate(t, s, bad); err == nil {
			t.Errorf("payload %s accepted, want a minimum error", bad)
		}
	}
	if err := validate(t, s, strings.Replace(good, `"atLeast":1`, `"atLeast":0`, 1)); err == nil {
		t.Error("atLeast 0 accepted; the minimum=1 tag must win over the unsigned minimum 0")
	}
}

// The refused fields are refused because encoding/json sends them other
// than the library would describe them; this pins what it sends, as the
// errors say.
func TestRefusedFieldsAreSentAsTheErrorsSay(t *testing.T) {
	note := Note("n")
	for _, c := range []struct {
		v    any
		want string
	}{
		{NamedInline{Audit: Audit{Actor: "a"}, Status: "s"}, `{"audit":{"actor":"a"},"status":"s"}`},
		{UnnamedInline{Audit: &Audit{Actor: "a"}}, `{"Audit":{"actor":"a"}}`},
		{InlineString{Code: "c"}, `{"code":"c"}`},
		{EmbeddedNote{Note: "n", Status: "s"}, `{"Note":"n","status":"s"}`},
		{EmbeddedNotePointer{Note: &note}, `{"Note":"n"}`},
		{EmbeddedUnexportedNonStruct{memo: "m", Status: "s"}, `{"status":"s"}`},
		{EmbeddedUnexportedNonStructPointer{memo: new(memo), Status: "s"}, `{"status":"s"}`},
	} {
		got, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("encoding/json sends %T as %s, want %s", c.v, got, c.want)
		}
	}
}
