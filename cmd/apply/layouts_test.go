package main

import (
	"testing"

	"github.com/novugen/novugen/dsl"
)

// A registry's layout is planned field by field before the workflows,
// created in Development, carried to Production by the sync of the
// workflow that uses it, and a changed body shows as a line diff with the
// workflow synced to carry it. Golden: testdata/output/TestLayoutPlanShowsItsFieldDiff.txtar.
func TestLayoutPlanShowsItsFieldDiff(t *testing.T) {
	h := newCmdHarness(t, withProduction)
	h.g.hide(h.srv.URL(), "$NOVU_API_URL")

	reg := genRegistry(t)
	used := false
	for i, w := range reg.Workflows {
		for j, s := range w.Steps {
			if s.Type == dsl.TypeEmail && !used {
				reg.Workflows[i].Steps[j].ControlValues["layoutId"] = "brand"
				used = true
			}
		}
	}
	if !used {
		t.Fatal("no example workflow has an email step")
	}
	reg.Layouts = []dsl.LayoutDef{{LayoutID: "brand", Name: "Brand", EditorType: "html",
		Body: "<html>\n<body>\n<h1>Hello</h1>\n{{ content }}\n</body>\n</html>"}}
	path := writeRegistry(t, reg)
	h.g.hide(path, "$REGISTRY")

	r := h.record("apply", "-registry", path, "-to", "Production")
	if r.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if l := h.srv.Layouts("Production"); len(l) != 1 || l[0].Controls.Values.Email == nil {
		t.Fatalf("Production layouts after apply: %+v", l)
	}

	reg.Layouts[0].Body = "<html>\n<body>\n<h1>Hello again</h1>\n{{ content }}\n</body>\n</html>"
	path = writeRegistry(t, reg)
	h.g.hide(path, "$REGISTRY")
	h.srv.ResetCounts()
	r = h.record("changed-plan", "-registry", path, "-to", "Production", "-plan", "-detailed-exitcode")
	if r.code != 2 || h.srv.Counts().Writes() != 0 {
		t.Fatalf("plan of a changed layout: exit %d, %d writes; want 2 and none\n%s", r.code, h.srv.Counts().Writes(), r.stdout)
	}
	if r = h.run("-registry", path, "-to", "Production"); r.code != 0 {
		t.Fatalf("apply of the change: exit %d\n%s", r.code, r.stderr)
	}
	h.srv.ResetCounts()
	if r = h.run("-registry", path, "-to", "Production", "-plan", "-detailed-exitcode"); r.code != 0 || h.srv.Counts().Writes() != 0 {
		t.Errorf("after the change: exit %d, %d writes; want 0 and none\n%s", r.code, h.srv.Counts().Writes(), r.stdout)
	}
}
