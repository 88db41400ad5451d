package validate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

func TestLayoutsEditorTypes(t *testing.T) {
	doc := `{"type":"doc","content":[]}`
	for _, tt := range []struct {
		name string
		l    registry.Layout
		want []string
	}{
		{"block with Maily JSON", registry.Layout{LayoutID: "b", Name: "B", EditorType: "block", Body: doc}, nil},
		{"block with HTML", registry.Layout{LayoutID: "b", Name: "B", EditorType: "block", Body: "<html><body>{{ content }}</body></html>"},
			[]string{`layout "b", field "body": under editorType "block" the body must be a Maily JSON document ({"type": "doc", ...}); Novu refuses anything else`}},
		{"unknown editor", registry.Layout{LayoutID: "b", Name: "B", EditorType: "markdown", Body: "x"},
			[]string{`layout "b", field "editorType": editorType "markdown" is not "html" or "block"`}},
		{"no name", registry.Layout{LayoutID: "b", EditorType: "html", Body: "<html><body>{{ content }}</body></html>"},
			[]string{`layout "b", field "name": name is empty; Novu requires one`}},
		{"bad id", registry.Layout{LayoutID: "b b", Name: "B", EditorType: "html", Body: "<html><body>{{ content }}</body></html>"},
			[]string{`layout "b b", field "layoutId": id "b b" has " " at byte 1; ` + idRule}},
		{"content below", registry.Layout{LayoutID: "b", Name: "B", EditorType: "html", Body: "<html><body>{{ content.x }}</body></html>"},
			[]string{`layout "b", field "body": {{content.x}} reads below content, which is the step's rendered body, a string`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range Layouts([]registry.Layout{tt.l}) {
				got = append(got, f.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
