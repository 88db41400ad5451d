package generate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/diagram"
	"github.com/novugen/novugen/registry"
	"github.com/rogpeppe/go-internal/txtar"
)

func TestCatalogHeaderSaysWhatHeaderSays(t *testing.T) {
	if want := "<!-- " + strings.TrimPrefix(Header, "// ") + " -->"; catalogHeader != want {
		t.Errorf("catalogHeader = %q, want %q", catalogHeader, want)
	}
}

// TestCatalogCellsStayInTheirCell: nothing a name or comment holds ends a
// table cell, opens markup, or becomes HTML.
func TestCatalogCellsStayInTheirCell(t *testing.T) {
	for in, want := range map[string]string{
		"a | b":               `a \| b`,
		"*bold* _it_ `code`":  "\\*bold\\* \\_it\\_ \\`code\\`",
		"<b>x</b> & [l](u) #": `&lt;b&gt;x&lt;/b&gt; &amp; \[l\](u) \#`,
		"two\nlines\t here":   "two lines here",
		`back\slash ~`:        `back\\slash \~`,
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := code("a|b`c"); got != "`a\\|b'c`" {
		t.Errorf("code = %q", got)
	}
}

// TestCatalogDiagramsAreTheValidatedFlowcharts: every Mermaid block of the
// catalogs this repository commits (the example workflows' and the golden
// cases') is internal/diagram's flowchart of the workflow under whose
// heading it stands, which internal/diagram's tests check for Mermaid's
// structure; and every workflow of the registry beside it has one.
func TestCatalogDiagramsAreTheValidatedFlowcharts(t *testing.T) {
	block := regexp.MustCompile("(?s)\n## ([^\n]+)\n.*?```mermaid\n(.*?)```\n")
	checked := 0
	for _, out := range committedOutputs(t) {
		dir, md, data := out.dir, out.files[CatalogFile], out.files[JSONFile]
		if md == nil {
			t.Errorf("%s: no %s", dir, CatalogFile)
			continue
		}
		var reg registry.File
		if err := json.Unmarshal(data, &reg); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		seen := map[string]bool{}
		for _, m := range block.FindAllStringSubmatch(string(md), -1) {
			id := m[1]
			found := false
			for _, w := range reg.Workflows {
				if w.WorkflowID == id {
					found = true
					if want := diagram.Flowchart(w, nil); m[2] != want {
						t.Errorf("%s: %s: diagram\n%s\nwant\n%s", dir, id, m[2], want)
					}
				}
			}
			if !found {
				t.Errorf("%s: section %q names no workflow of the registry", dir, id)
			}
			seen[id] = true
			checked++
		}
		for _, w := range reg.Workflows {
			if !seen[w.WorkflowID] {
				t.Errorf("%s: %s has no diagram", dir, w.WorkflowID)
			}
		}
	}
	if checked < 8 {
		t.Errorf("checked %d diagrams; is the search broken?", checked)
	}
}

// generated is what the generator wrote to one directory, by file name.
type generated struct {
	dir   string
	files map[string][]byte
}

// committedOutputs returns the generator outputs this repository commits:
// the want/ sections of the cmd/novugen golden archives, and gen/.
func committedOutputs(t *testing.T) []generated {
	t.Helper()
	var outputs []generated
	archives, _ := filepath.Glob("../../cmd/novugen/testdata/golden/*.txtar")
	for _, file := range archives {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		out := generated{dir: file + ": want", files: map[string][]byte{}}
		for _, f := range ar.Files {
			if name, ok := strings.CutPrefix(f.Name, "want/"); ok {
				out.files[name] = f.Data
			}
		}
		if len(out.files) > 0 {
			outputs = append(outputs, out)
		}
	}
	gen := generated{dir: "../../gen", files: map[string][]byte{}}
	for _, name := range []string{CatalogFile, JSONFile} {
		data, err := os.ReadFile(filepath.Join(gen.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		gen.files[name] = data
	}
	return append(outputs, gen)
}
