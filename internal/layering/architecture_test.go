package layering

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestArchitectureTable: the table under "Packages and imports" in
// docs/ARCHITECTURE.md has one row per rule, in any order, with the rule's
// layer and, in "may import", exactly its allowed packages and third-party
// modules, each in backticks. The job column is prose and is not read.
func TestArchitectureTable(t *testing.T) {
	const path = "../../docs/ARCHITECTURE.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := table(string(data), "## Packages and imports")
	if err != nil {
		t.Fatalf("docs/ARCHITECTURE.md: %v", err)
	}
	seen := map[string]bool{}
	for _, row := range rows {
		name, ok := single(row.cells["package"])
		if !ok {
			t.Errorf("docs/ARCHITECTURE.md:%d: the package cell %q is not one name in backticks", row.line, row.cells["package"])
			continue
		}
		if seen[name] {
			t.Errorf("docs/ARCHITECTURE.md:%d: %s has a second row", row.line, name)
		}
		seen[name] = true
		r, ok := rules[name]
		if !ok {
			t.Errorf("docs/ARCHITECTURE.md:%d: %s has no rule in internal/layering", row.line, name)
			continue
		}
		if got := row.cells["layer"]; got != r.layer {
			t.Errorf("docs/ARCHITECTURE.md:%d: %s is in layer %q; its rule says %q", row.line, name, got, r.layer)
		}
		var allow, third []string
		for _, n := range backticked(row.cells["may import"]) {
			if first, _, _ := strings.Cut(n, "/"); strings.Contains(first, ".") {
				third = append(third, n) // a module path: its first element is a domain
			} else {
				allow = append(allow, n)
			}
		}
		if want := slices.Sorted(slices.Values(r.allow)); !slices.Equal(slices.Sorted(slices.Values(allow)), want) {
			t.Errorf("docs/ARCHITECTURE.md:%d: %s may import %v; its rule says %v", row.line, name, allow, want)
		}
		if want := slices.Sorted(slices.Values(r.third)); !slices.Equal(slices.Sorted(slices.Values(third)), want) {
			t.Errorf("docs/ARCHITECTURE.md:%d: %s may import third-party %v; its rule says %v", row.line, name, third, want)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(rules)) {
		if !seen[name] {
			t.Errorf("docs/ARCHITECTURE.md: no row for %s, which has a rule", name)
		}
	}
}

type row struct {
	line  int
	cells map[string]string // by header, trimmed
}

// table reads the first Markdown table after the heading.
func table(doc, heading string) ([]row, error) {
	lines := strings.Split(doc, "\n")
	start := slices.Index(lines, heading)
	if start < 0 {
		return nil, fmt.Errorf("no heading %q", heading)
	}
	var header []string
	var rows []row
	for i := start + 1; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(l, "|") {
			if header != nil {
				break // the table ended
			}
			if strings.HasPrefix(l, "#") {
				break
			}
			continue
		}
		cells := split(l)
		switch {
		case header == nil:
			header = cells
		case strings.Trim(strings.Join(cells, ""), "-: ") == "": // the delimiter row
		default:
			if len(cells) != len(header) {
				return nil, fmt.Errorf("line %d has %d cells, the header %d (a | inside a cell must be written \\|)", i+1, len(cells), len(header))
			}
			r := row{line: i + 1, cells: map[string]string{}}
			for j, h := range header {
				r.cells[h] = cells[j]
			}
			rows = append(rows, r)
		}
	}
	for _, want := range []string{"package", "layer", "may import"} {
		if !slices.Contains(header, want) {
			return nil, fmt.Errorf("the table after %q has no %q column (header %q)", heading, want, header)
		}
	}
	return rows, nil
}

// split cuts a table line at the pipes that are not escaped.
func split(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

var code = regexp.MustCompile("`([^`]*)`")

// backticked lists the code spans of a cell.
func backticked(cell string) []string {
	var out []string
	for _, m := range code.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// single is the one code span a cell is made of.
func single(cell string) (string, bool) {
	n := backticked(cell)
	if len(n) != 1 || "`"+n[0]+"`" != cell {
		return "", false
	}
	return n[0], true
}
