package dsl_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
)

func TestDefineLayoutIsNamedByItsStepsAndReportedOnce(t *testing.T) {
	brand := dsl.DefineLayout("brand", dsl.LayoutSettings{Name: "Brand", Body: "<html><body>{{ content }}</body></html>", TranslationEnabled: true})
	w := dsl.Define[struct{}]("wf", dsl.Settings{Name: "Wf", Active: dsl.Active},
		dsl.Email("a", "A", dsl.EmailControls{Subject: "A", Layout: brand}),
		dsl.Email("b", "B", dsl.EmailControls{Subject: "B", Layout: brand}),
		dsl.Email("c", "C", dsl.EmailControls{Subject: "C", Layout: dsl.LayoutID("elsewhere")}),
	)
	steps := w.Definition().Steps
	if steps[0].ControlValues["layoutId"] != "brand" || steps[1].ControlValues["layoutId"] != "brand" {
		t.Errorf("steps name %v and %v, want brand", steps[0].ControlValues["layoutId"], steps[1].ControlValues["layoutId"])
	}
	got := w.Layouts()
	if len(got) != 1 {
		t.Fatalf("Layouts() = %+v, want brand once (a LayoutID is not declared here)", got)
	}
	want := dsl.LayoutDef{LayoutID: "brand", Name: "Brand", Body: "<html><body>{{ content }}</body></html>", EditorType: "html", IsTranslationEnabled: true}
	if diff := cmp.Diff(want, got[0].Def); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	if got[0].Pos.Func != "DefineLayout" || got[0].Pos.Line == 0 {
		t.Errorf("position %+v, want the DefineLayout call", got[0].Pos)
	}
}
