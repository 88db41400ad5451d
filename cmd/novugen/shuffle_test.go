package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestGenerateIgnoresDeclarationAndFileOrder generates the valid golden
// case as written, with every declaration reversed in one file, and with
// each declaration in a file of its own named in reverse order: the bytes
// must not change.
func TestGenerateIgnoresDeclarationAndFileOrder(t *testing.T) {
	t.Parallel()
	dir, _ := readCase(t, "valid").extract(t)
	decls := topLevelDecls(t, dir)
	const preamble = "package valid\n\nimport \"github.com/novugen/novugen/dsl\"\n\nvar _ dsl.Settings\n\n"

	variants := map[string]map[string]string{
		"as written": {},
		"reversed":   {"all.go": preamble},
		"split":      {},
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		variants["as written"][filepath.Base(f)] = string(data)
	}
	for i := len(decls) - 1; i >= 0; i-- {
		variants["reversed"]["all.go"] += decls[i] + "\n\n"
	}
	for i, d := range decls {
		variants["split"][fmt.Sprintf("z%03d.go", len(decls)-i)] = preamble + d + "\n"
	}

	var first []byte
	for _, name := range []string{"as written", "reversed", "split"} {
		clearDir(t, dir)
		for file, src := range variants[name] {
			if err := os.WriteFile(filepath.Join(dir, file), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(t.TempDir(), "gen")
		var stderr bytes.Buffer
		if code := run(t.Context(), []string{"-out", out, "./" + filepath.ToSlash(dir)}, nil, &bytes.Buffer{}, &stderr); code != 0 {
			t.Fatalf("%s: exit status %d:\n%s", name, code, stderr.String())
		}
		got := concatDir(t, out)
		if first == nil {
			first = got
		} else if !bytes.Equal(got, first) {
			t.Errorf("%s: output differs from the declarations as written", name)
		}
	}
}

// topLevelDecls returns the source of every declaration but the imports in
// the package in dir, doc comments included, in file and source order.
func topLevelDecls(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	slices.Sort(files)
	var out []string
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				continue
			}
			start := d.Pos()
			if g, ok := d.(*ast.GenDecl); ok && g.Doc != nil {
				start = g.Doc.Pos()
			}
			out = append(out, string(src[fset.Position(start).Offset:fset.Position(d.End()).Offset]))
		}
	}
	return out
}

func clearDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
}

// concatDir returns every file in dir, named, in name order.
func concatDir(t *testing.T, dir string) []byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "== %s\n%s", e.Name(), data)
	}
	return b.Bytes()
}
