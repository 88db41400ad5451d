package main

import (
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
		if diff := cmp.Diff(c.want, fieldSteps(c.path)); diff != "" {
			t.Errorf("fieldSteps(%q) (-want +got):\n%s", c.path, diff)
		}
	}
}
