package payloadschema

import (
	"errors"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFieldSteps(t *testing.T) {
	cases := []struct {
		path string
		want []string
	}{
		{"", nil},
		{".ID", []string{"ID"}},
		{".Items[].Parent", []string{"Items", "[]", "Parent"}},
		{".ByID[][]", []string{"ByID", "[]", "[]"}},
		{".Base.Données", []string{"Base", "Données"}},
		{"Order.ID", nil}, // the type's name left on: nothing to follow
		{".Page[shop.Item]", nil},
		{"..ID", nil},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, splitFieldPath(c.path)); diff != "" {
			t.Errorf("splitFieldPath(%q) (-want +got):\n%s", c.path, diff)
		}
	}
}

type page[T any] struct {
	Items []T `json:"items"`
}

type pageItem struct {
	Next chan int `json:"next"`
}

// TestFieldStepsCutsTheTypeName follows the field paths of Generate's own
// errors from payload types whose names hold dots, brackets and spaces.
func TestFieldStepsCutsTheTypeName(t *testing.T) {
	for _, c := range []struct {
		t    reflect.Type
		want []string
	}{
		{reflect.TypeFor[page[pageItem]](), []string{"Items", "[]", "Next"}},
		{reflect.TypeFor[*page[pageItem]](), []string{"Items", "[]", "Next"}},
		{reflect.TypeFor[struct {
			Inner struct {
				F func() `json:"f"`
			} `json:"inner"`
		}](), []string{"Inner", "F"}},
	} {
		_, err := Generate(c.t, Options{})
		var ue *UnsupportedError
		if !errors.As(err, &ue) {
			t.Fatalf("Generate(%s): %v, want an *UnsupportedError", c.t, err)
		}
		if diff := cmp.Diff(c.want, FieldSteps(c.t, ue.Field)); diff != "" {
			t.Errorf("FieldSteps(%s, %q) (-want +got):\n%s", c.t, ue.Field, diff)
		}
	}
	if got := FieldSteps(reflect.TypeFor[pageItem](), "pageItem"); got != nil {
		t.Errorf("FieldSteps at the type itself = %q, want nil", got)
	}
	if got := FieldSteps(reflect.TypeFor[int](), "int"); got != nil {
		t.Errorf("FieldSteps of a non-struct = %q, want nil", got)
	}
}

func TestJSONField(t *testing.T) {
	const refused = "refused"
	for _, c := range []struct {
		name       string
		tag        reflect.StructTag
		anon, strc bool
		want       Field
	}{
		{"OrderID", `json:"orderId"`, false, false, Field{Name: "orderId", Tagged: true}},
		{"OrderID", `json:"orderId,omitzero"`, false, false, Field{Name: "orderId", Tagged: true, Omitted: true}},
		{"OrderID", `json:",omitempty"`, false, false, Field{Name: "OrderID", Tagged: true, Omitted: true}},
		{"OrderID", ``, false, false, Field{Name: "OrderID"}},
		{"OrderID", `json:"-"`, false, false, Field{Skip: true}},
		// encoding/json sends these as "-"; the library skips them.
		{"OrderID", `json:"-,"`, false, false, Field{Invalid: refused}},
		{"OrderID", `json:"-,omitempty"`, false, false, Field{Invalid: refused}},
		{"orderID", `json:"-,"`, false, false, Field{Invalid: refused}},
		{"OrderID", `json:"orderId" jsonschema:"-"`, false, false, Field{Skip: true}},
		{"orderID", `json:"orderId"`, false, false, Field{Skip: true}},
		{"Base", ``, true, true, Field{Inline: true}},
		{"base", ``, true, true, Field{Inline: true}},
		{"Base", `json:"base"`, true, true, Field{Name: "base", Tagged: true}},
		{"Base", `json:",inline"`, true, true, Field{Inline: true}},
		{"base", `json:",inline"`, true, true, Field{Inline: true}},
		{"Code", ``, true, false, Field{Name: "Code"}},
		{"Code", `json:"code"`, true, false, Field{Name: "code", Tagged: true}},
		{"Code", `json:"-"`, true, false, Field{Skip: true}},
		// encoding/json v1 has no inline option: it sends these under
		// their names, where the library would flatten or drop them.
		{"Base", `json:",inline"`, false, true, Field{Invalid: refused}},
		{"Base", `json:"base,inline"`, false, true, Field{Invalid: refused}},
		{"Base", `json:"base,inline"`, true, true, Field{Invalid: refused}},
		{"Code", `json:",inline"`, false, false, Field{Invalid: refused}},
		{"Code", `json:",inline"`, true, false, Field{Invalid: refused}},
		{"base", `json:",inline"`, false, true, Field{Invalid: refused}},
		// Unexported: encoding/json sends none of these but an embedded
		// struct; refused where the library would describe them anyway.
		{"code", `json:",inline"`, false, false, Field{Skip: true}},
		{"code", ``, true, false, Field{Invalid: refused}},
		{"code", `json:"code"`, true, false, Field{Invalid: refused}},
		{"code", `json:",inline"`, true, false, Field{Skip: true}},
		{"code", `json:"-"`, true, false, Field{Skip: true}},
		{"base", `json:"base"`, true, true, Field{Name: "base", Tagged: true}},
	} {
		got := JSONField(c.name, c.tag, c.anon, c.strc, Options{})
		if got.Invalid != "" {
			// Generate's tests hold the messages.
			got.Invalid = refused
		}
		if got != c.want {
			t.Errorf("JSONField(%q, %q, anonymous %v, struct %v) = %+v, want %+v", c.name, c.tag, c.anon, c.strc, got, c.want)
		}
	}
}

// TestJSONFieldSchemaSkip: jsonschema:"-" leaves a field out of the schema.
// Where encoding/json sends it, that is an unchecked field in the default
// mode and a refused trigger under Strict; where it does not, both agree.
func TestJSONFieldSchemaSkip(t *testing.T) {
	for _, c := range []struct {
		name       string
		tag        reflect.StructTag
		anon, strc bool
		sent       bool
	}{
		{"Note", `json:"note" jsonschema:"-"`, false, false, true},
		{"Note", `json:"note,omitempty" jsonschema:"-,description=x"`, false, false, true},
		{"Note", `jsonschema:"-"`, false, false, true},
		{"Note", `json:"note,inline" jsonschema:"-"`, false, false, true},
		{"Base", `jsonschema:"-"`, true, true, true},
		{"base", `jsonschema:"-"`, true, true, true},
		{"base", `json:"base" jsonschema:"-"`, true, true, true},
		{"Code", `jsonschema:"-"`, true, false, true},
		{"note", `json:"note" jsonschema:"-"`, false, false, false},
		{"code", `jsonschema:"-"`, true, false, false},
		{"Note", `json:"-" jsonschema:"-"`, false, false, false},
	} {
		if got := JSONField(c.name, c.tag, c.anon, c.strc, Options{}); got != (Field{Skip: true}) {
			t.Errorf("JSONField(%q, %q, anonymous %v, struct %v) = %+v, want Skip", c.name, c.tag, c.anon, c.strc, got)
		}
		got := JSONField(c.name, c.tag, c.anon, c.strc, Options{Strict: true})
		if c.sent != (got.Invalid != "") || !c.sent && got != (Field{Skip: true}) {
			t.Errorf("strict JSONField(%q, %q, anonymous %v, struct %v) = %+v, want refused %v", c.name, c.tag, c.anon, c.strc, got, c.sent)
		}
	}
}
