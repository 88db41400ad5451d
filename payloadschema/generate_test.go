package payloadschema_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/payloadschema"
)

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
			testenv.Golden(t, filepath.Join("testdata", c.name+".json"), append(bytes.Clone(s.JSON), '\n'))
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
