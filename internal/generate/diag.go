package generate

import (
	"cmp"
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
)

// Diagnostic is one problem (or warning) found in the declarations. One
// without a file has no position and formats as "novugen: message".
type Diagnostic struct {
	Pos     token.Position // Filename absolute, as loaded
	Warning bool
	Message string
}

// Format renders d with its file relative to root when it lies inside it.
func (d Diagnostic) Format(root string) string {
	msg := d.Message
	if d.Warning {
		msg = "warning: " + msg
	}
	if d.Pos.Filename == "" {
		return "novugen: " + msg
	}
	return posString(root, d.Pos) + ": " + msg
}

// posString formats pos as file:line:col, relative to root.
func posString(root string, pos token.Position) string {
	s := relPath(root, pos.Filename)
	if pos.Line > 0 {
		s += fmt.Sprintf(":%d", pos.Line)
		if pos.Column > 0 {
			s += fmt.Sprintf(":%d", pos.Column)
		}
	}
	return s
}

// relPath returns file relative to root, with forward slashes, or file itself
// when it lies outside root.
func relPath(root, file string) string {
	if root == "" || !filepath.IsAbs(file) {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(root, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}

// Messages returns r's diagnostics formatted relative to the module root,
// deduplicated and sorted by file, line, column and message, so that they
// read the same whatever order they were found in.
func (r *Result) Messages() []string {
	ds := slices.Clone(r.Diagnostics)
	slices.SortFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(relPath(r.Root, a.Pos.Filename), relPath(r.Root, b.Pos.Filename)),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Format(r.Root), b.Format(r.Root)),
		)
	})
	var msgs []string
	for _, d := range ds {
		if s := d.Format(r.Root); len(msgs) == 0 || msgs[len(msgs)-1] != s {
			msgs = append(msgs, s)
		}
	}
	return msgs
}

// Failed reports whether any diagnostic is an error rather than a
// warning: then r has no files.
func (r *Result) Failed() bool {
	return slices.ContainsFunc(r.Diagnostics, func(d Diagnostic) bool { return !d.Warning })
}
