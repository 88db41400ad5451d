package payloadschema_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	santhosh "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/novugen/novugen/internal/draft07"
	"github.com/novugen/novugen/payloadschema"
)

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
