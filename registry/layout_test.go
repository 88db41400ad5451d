package registry_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

func TestLayoutsRoundTripSortedAndStrict(t *testing.T) {
	reg := fixture()
	b := registry.Layout{LayoutID: "b", Name: "B", Body: "<html><body>{{ content }}</body></html>", EditorType: "html"}
	a := registry.Layout{LayoutID: "a", Name: "A", IsTranslationEnabled: true, Body: "<html><body>{{ content }} é</body></html>", EditorType: "html"}
	reg.Layouts = []registry.Layout{b, a}
	data, got := roundTrip(t, reg)
	if diff := cmp.Diff([]registry.Layout{a, b}, got.Layouts); diff != "" {
		t.Errorf("layouts (-want +got):\n%s", diff)
	}
	if reg.Layouts[0].LayoutID != "b" {
		t.Error("Marshal reordered the caller's slice")
	}
	bad := strings.Replace(string(data), `"editorType": "html"`, `"editorType": "html", "editor": "html"`, 1)
	if _, err := registry.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), `unknown field "editor"`) {
		t.Errorf("a misspelt layout field: err = %v, want unknown field", err)
	}

	// No layouts: no "layouts" key, so registries without them read as before.
	reg.Layouts = nil
	if data, err := reg.Marshal(); err != nil || bytes.Contains(data, []byte(`"layouts"`)) {
		t.Errorf("a registry without layouts writes %q (%v)", data, err)
	}
}
