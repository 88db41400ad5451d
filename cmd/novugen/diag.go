package main

import (
	"cmp"
	"fmt"
	"go/token"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// diag is one problem (or warning) to print. A diag without a file has no
// position and prints as "novugen: message".
type diag struct {
	pos     token.Position // Filename absolute, as loaded
	warning bool
	msg     string
}

// format renders d with its file relative to root when it lies inside it.
func (d diag) format(root string) string {
	msg := d.msg
	if d.warning {
		msg = "warning: " + msg
	}
	if d.pos.Filename == "" {
		return "novugen: " + msg
	}
	return posString(root, d.pos) + ": " + msg
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

// printDiags prints ds deduplicated and sorted by file, line, column and
// message, so the output is the same whatever order they were found in, and
// reports whether any of them is an error.
func printDiags(w io.Writer, root string, ds []diag) (failed bool) {
	ds = slices.Clone(ds)
	slices.SortFunc(ds, func(a, b diag) int {
		return cmp.Or(
			cmp.Compare(relPath(root, a.pos.Filename), relPath(root, b.pos.Filename)),
			cmp.Compare(a.pos.Line, b.pos.Line),
			cmp.Compare(a.pos.Column, b.pos.Column),
			cmp.Compare(a.format(root), b.format(root)),
		)
	})
	last := ""
	for _, d := range ds {
		s := d.format(root)
		if s == last {
			continue
		}
		last = s
		fmt.Fprintln(w, s)
		if !d.warning {
			failed = true
		}
	}
	return failed
}
