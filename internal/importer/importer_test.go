package importer_test

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/importer"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

func TestFileNames(t *testing.T) {
	got := importer.FileNames([]string{"order-shipped", "order_shipped", "Order.Shipped", "weekly_test", "build-linux", "---"})
	want := []string{"order_shipped.go", "order_shipped_2.go", "order_shipped_3.go", "weekly_test_workflow.go", "build_linux_workflow.go", "workflow.go"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("FileNames = %v, want %v", got, want)
	}
}

// TestNamesNeverCollide: names the package holds, and names an earlier
// workflow of the same import took, are skipped; a workflow that fails
// gives its names back.
func TestNamesNeverCollide(t *testing.T) {
	bad := workflow("order-shipped", []byte(`{"type":"object","properties":{"a":{"type":"string","if":{}}}}`))
	ok := workflow("order-shipped", []byte(`{"type":"object","properties":{"a":{"type":"string"}}}`))
	taken := map[string]bool{"OrderShipped": true, "OrderShippedPayload": true}
	files, errs := importer.Import([]novu.Workflow{bad, ok, ok}, "workflows", taken)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `workflow "order-shipped", payload field a: keyword "if" has no Go spelling`) {
		t.Fatalf("errors %v, want one naming the keyword", errs)
	}
	if len(files) != 2 || files[0].Var != "OrderShipped2" || files[1].Var != "OrderShipped3" {
		t.Fatalf("files %+v, want OrderShipped2 and OrderShipped3", files)
	}
	if src := string(files[1].Source); !strings.Contains(src, "var OrderShipped3 = dsl.Define[OrderShipped3Payload](") {
		t.Errorf("source:\n%s", src)
	}
}

// TestUnexpressible: each control or setting the dsl would send otherwise
// is an error naming workflow, step and field.
func TestUnexpressible(t *testing.T) {
	schema := []byte(`{"type":"object","properties":{"a":{"type":"string"}}}`)
	for _, tt := range []struct {
		name string
		edit func(w *novu.Workflow)
		want string
	}{
		{"empty control", func(w *novu.Workflow) { w.Steps[0].ControlValues["body"] = "" },
			`workflow "w", step "s", control "body": "" is not sent by the dsl`},
		{"false flag", func(w *novu.Workflow) {
			w.Steps[0] = novu.Step{StepID: "s", Name: "S", Type: registry.TypeHTTPRequest, ControlValues: map[string]any{"method": "GET", "url": "https://x", "continueOnFailure": false}}
		}, `workflow "w", step "s", control "continueOnFailure": false is not sent by the dsl`},
		{"fractional amount", func(w *novu.Workflow) {
			w.Steps[0] = novu.Step{StepID: "s", Name: "S", Type: registry.TypeDelay, ControlValues: map[string]any{"type": "regular", "amount": 1.5, "unit": "hours"}}
		}, `workflow "w", step "s", control "amount": 1.5 is not a whole number`},
		{"unknown unit", func(w *novu.Workflow) {
			w.Steps[0] = novu.Step{StepID: "s", Name: "S", Type: registry.TypeDelay, ControlValues: map[string]any{"type": "regular", "amount": 1.0, "unit": "fortnights"}}
		}, `workflow "w", step "s", control "unit": "fortnights" is not one of the dsl's constants for Unit`},
		{"var with default", func(w *novu.Workflow) {
			w.Steps[0].ControlValues["skip"] = map[string]any{"var": []any{"payload.a", "x"}}
		}, `workflow "w", step "s", control "skip": {"var":["payload.a","x"]}: dsl.Var takes a path string only`},
		{"unknown step type", func(w *novu.Workflow) { w.Steps[0].Type = "carrier_pigeon" },
			`workflow "w", step "s", type: step type "carrier_pigeon" has no dsl constructor`},
		{"missing channel", func(w *novu.Workflow) { delete(w.Preferences.Default.Channels, registry.ChannelPush) },
			`workflow "w", preferences.workflow.channels.push: absent, and the dsl always sends all five channels`},
		{"odd severity", func(w *novu.Workflow) { w.Severity = "critical" },
			`workflow "w", severity: "critical" is none of none, low, medium, high`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := workflow("w", schema)
			tt.edit(&w)
			files, errs := importer.Import([]novu.Workflow{w}, "workflows", map[string]bool{})
			if len(files) != 0 {
				t.Errorf("a file was written:\n%s", files[0].Source)
			}
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			if len(msgs) != 1 || !strings.HasPrefix(msgs[0], tt.want) {
				t.Errorf("errors %q, want one starting %q", msgs, tt.want)
			}
		})
	}
}

// TestNovuFilledFalse: the disableOutputSanitization: false that Novu and
// the official SDK fill in on Inbox and email steps imports as the dsl's
// zero value (it left the control out), true as the field set.
func TestNovuFilledFalse(t *testing.T) {
	w := workflow("w", []byte(`{"type":"object","properties":{"a":{"type":"string"}}}`))
	w.Steps = []novu.Step{
		{StepID: "inbox", Name: "Inbox", Type: registry.TypeInApp, ControlValues: map[string]any{"body": "x", "disableOutputSanitization": false}},
		{StepID: "mail", Name: "Mail", Type: registry.TypeEmail, ControlValues: map[string]any{"subject": "s", "body": "<p>x</p>", "editorType": "html", "disableOutputSanitization": false}},
		{StepID: "raw", Name: "Raw", Type: registry.TypeInApp, ControlValues: map[string]any{"body": "x", "disableOutputSanitization": true}},
	}
	files, errs := importer.Import([]novu.Workflow{w}, "workflows", map[string]bool{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	src := string(files[0].Source)
	for _, want := range []string{
		"dsl.InApp(\"inbox\", \"Inbox\", dsl.InAppControls{\n\t\tBody: \"x\",\n\t}),",
		`dsl.Email("mail", "Mail", dsl.EmailControls{`,
		`dsl.InApp("raw", "Raw", dsl.InAppControls{`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("source lacks %s:\n%s", want, src)
		}
	}
	if n := strings.Count(src, "DisableOutputSanitization: true"); n != 1 {
		t.Errorf("DisableOutputSanitization: true %d times, want once (step raw):\n%s", n, src)
	}
}

func TestPackage(t *testing.T) {
	if _, _, err := importer.Package(filepath.Join(t.TempDir(), "0-bad"), func(string) bool { return false }); err == nil ||
		!strings.Contains(err.Error(), `its base name "0-bad" is not a Go package name`) {
		t.Errorf("a directory named 0-bad: %v, want an error naming it", err)
	}
	dir := filepath.Join(t.TempDir(), "shop")
	t.Chdir(t.TempDir())
	name, taken, err := importer.Package(dir, func(string) bool { return false })
	if err != nil || name != "shop" || len(taken) != 0 {
		t.Fatalf("a missing directory: %q %v %v, want its base name", name, taken, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if name, _, err := importer.Package(".", func(string) bool { return false }); err != nil || name != "shop" {
		t.Errorf(`Package(".") in shop = %q, %v; want shop`, name, err)
	}
	src := "package shop\n\nconst A = 1\n\nvar B, C int\n\ntype D struct{}\n\nfunc E() {}\n\nfunc (D) M() {}\n"
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "replaced.go"), []byte("package shop\n\nvar R int\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	name, taken, err = importer.Package(dir, func(f string) bool { return f == "replaced.go" })
	want := map[string]bool{"A": true, "B": true, "C": true, "D": true, "E": true}
	if err != nil || name != "shop" || !maps.Equal(taken, want) {
		t.Errorf("Package = %q %v %v, want shop %v", name, taken, err, want)
	}
}

// A workflow apply created carries its registry's ownership tag. Imported
// verbatim, the tag would make go generate refuse the declaration (the
// form is reserved), and the README promises that imported workflows
// carry none: it is left out, with a note, and the other tags are kept.
func TestOwnershipTagsAreNotImported(t *testing.T) {
	w := workflow("w", []byte(`{"type":"object","properties":{"a":{"type":"string"}}}`))
	w.Tags = []string{"billing", "novugen:0123456789ab:0123456789", "NovuGen", "novugen:0123456789ab"}
	files, errs := importer.Import([]novu.Workflow{w}, "workflows", map[string]bool{})
	if len(errs) > 0 || len(files) != 1 {
		t.Fatalf("files %d, errors %v", len(files), errs)
	}
	src := string(files[0].Source)
	if strings.Contains(strings.ToLower(src), `"novugen`) || !strings.Contains(src, `"billing"`) {
		t.Errorf("source keeps an ownership tag or drops another:\n%s", src)
	}
	if notes := strings.Join(files[0].Notes, "\n"); !strings.Contains(notes, `"novugen:0123456789ab:0123456789"`) {
		t.Errorf("notes %q; want the dropped ownership tag named", notes)
	}
}
