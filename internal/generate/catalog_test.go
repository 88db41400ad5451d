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
	dirs, _ := filepath.Glob("../../cmd/novugen/testdata/*/want")
	dirs = append(dirs, "../../gen")
	block := regexp.MustCompile("(?s)\n## ([^\n]+)\n.*?```mermaid\n(.*?)```\n")
	checked := 0
	for _, dir := range dirs {
		md, err := os.ReadFile(filepath.Join(dir, CatalogFile))
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, JSONFile))
		if err != nil {
			t.Fatal(err)
		}
		var reg registry.File
		if err := json.Unmarshal(data, &reg); err != nil {
			t.Fatal(err)
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
