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
		{"OrderID", `json:"-,"`, false, false, Field{Skip: true}},
		{"OrderID", `json:"orderId" jsonschema:"-"`, false, false, Field{Skip: true}},
		{"orderID", `json:"orderId"`, false, false, Field{Skip: true}},
		{"Base", ``, true, true, Field{Inline: true}},
		{"base", ``, true, true, Field{Inline: true}},
		{"Base", `json:"base"`, true, true, Field{Name: "base", Tagged: true}},
		{"Base", `json:",inline"`, false, true, Field{Inline: true}},
		{"Code", `json:",inline"`, false, false, Field{Skip: true}},
		{"Code", ``, true, false, Field{Name: "Code"}},
	} {
		if got := JSONField(c.name, c.tag, c.anon, c.strc); got != c.want {
			t.Errorf("JSONField(%q, %q, anonymous %v, struct %v) = %+v, want %+v", c.name, c.tag, c.anon, c.strc, got, c.want)
		}
	}
}
