package generate

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/testenv"
)

// TestProbeTemplatesRenderGoFiles: the probe's main, with packages read by
// name and through accessors, and an accessor file, come out as gofmt'd Go.
func TestProbeTemplatesRenderGoFiles(t *testing.T) {
	vars := []workflowVar{
		{pkgPath: "example.com/user/shop", pkgName: "shop", name: "OrderShipped"},
		{pkgPath: "example.com/user/billing", pkgName: "billing", name: "invoiceDue", accessor: "NovugenProbe_invoiceDue"},
		{pkgPath: "example.com/user/shop", pkgName: "shop", name: "CartAbandoned"},
	}
	for _, c := range []struct {
		name string
		data any
		want []string
	}{
		{"main", newProbeData(vars), []string{
			`dsl "github.com/novugen/novugen/dsl"`,
			`p0 "example.com/user/billing"`,
			`p1 "example.com/user/shop"`,
			"entry.Of(p1.OrderShipped),\n\t\tentry.Of(p0.NovugenProbe_invoiceDue().(dsl.Declaration)),\n\t\tentry.Of(p1.CartAbandoned),\n",
		}},
		{"main", newProbeData(vars[:1]), []string{`entry "github.com/novugen/novugen/entry"` + "\n\n\tp0 "}},
		{"accessors", &accessorData{Package: "billing", Vars: []probeVar{{Name: "invoiceDue", Accessor: "NovugenProbe_invoiceDue"}, {Name: "late", Accessor: "NovugenProbe_late"}}}, []string{
			"package billing\n",
			"func NovugenProbe_invoiceDue() any { return invoiceDue }\n\nfunc NovugenProbe_late() any { return late }\n",
		}},
	} {
		var b bytes.Buffer
		if err := probeTmpl.ExecuteTemplate(&b, c.name, c.data); err != nil {
			t.Fatal(err)
		}
		src := b.String()
		formatted, err := format.Source(b.Bytes())
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, src)
		}
		if diff := cmp.Diff(string(formatted), src); diff != "" {
			t.Errorf("%s is not gofmt'd (-gofmt +rendered):\n%s", c.name, diff)
		}
		for _, w := range c.want {
			if !strings.Contains(src, w) {
				t.Errorf("%s lacks %q:\n%s", c.name, w, src)
			}
		}
		if c.name == "main" && len(c.data.(probeData).Vars) == 1 && strings.Contains(src, "/dsl\"") {
			t.Errorf("main imports dsl without an accessor to need it:\n%s", src)
		}
	}
}

// TestGenerateReturnsFilesAndDiagnostics: the library writes nothing; it
// returns the files, or the diagnostics at their file:line:col.
func TestGenerateReturnsFilesAndDiagnostics(t *testing.T) {
	dir := testenv.ModuleTempDir(t, "shop")
	src := `package shop

import "github.com/novugen/novugen/dsl"

type Payload struct {
	OrderID string ` + "`json:\"orderId\"`" + `
}

var OrderShipped = dsl.Define[Payload]("order-shipped", dsl.Settings{Name: "Order shipped", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Order {{payload.orderId}}"}),
)
`
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "shop.go"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "gen")
	cfg := Config{Dir: dir, Patterns: []string{"."}, Out: out}

	write(src)
	r, err := Generate(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed() || len(r.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %q", r.Messages())
	}
	if _, ok := r.Files[JSONFile]; !ok || len(r.Files) != 3 || !bytes.HasPrefix(r.Files[GoFile], []byte(Header+"\n")) ||
		!bytes.HasPrefix(r.Files[CatalogFile], []byte(catalogHeader+"\n")) {
		t.Errorf("files: %d, %s missing or %s or %s without its header", len(r.Files), JSONFile, GoFile, CatalogFile)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("Generate created %s", out)
	}

	write(strings.Replace(src, "{{payload.orderId}}", "{{payload.ordrId}}", 1))
	r, err = Generate(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	rel := filepath.ToSlash(filepath.Join("internal/generate", dir, "shop.go")) // from the module root
	want := []string{rel + `:10:50: OrderShipped: workflow "order-shipped", step "notice", control "body": {{payload.ordrId}} names no field of the payload; did you mean "orderId"?`}
	if diff := cmp.Diff(want, r.Messages()); diff != "" || !r.Failed() || r.Files != nil {
		t.Errorf("failed %v, %d files; messages (-want +got):\n%s", r.Failed(), len(r.Files), diff)
	}
}
