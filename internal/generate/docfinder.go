package generate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/novugen/novugen/payloadschema"
)

// docFinder reads the doc comments of payload struct fields from the
// source: the packages go/packages loaded, and other files of the module
// parsed on demand (a type from another package of the module, which
// go/packages gave as export data).
type docFinder struct {
	l      *loaded
	syntax map[string]parsedFile // by file name; a zero value when it cannot be parsed
}

type parsedFile struct {
	file *ast.File
	fset *token.FileSet
}

func newDocFinder(l *loaded) *docFinder {
	d := &docFinder{l: l, syntax: map[string]parsedFile{}}
	for name, fi := range l.syntaxFiles() {
		d.syntax[name] = parsedFile{fi.file, l.fset}
	}
	return d
}

// fields maps the JSON path of every field of t (as payloadRows writes
// it) to its doc comment, or its line comment when it has none.
func (d *docFinder) fields(t types.Type) map[string]string {
	docs := map[string]string{}
	seen := map[types.Type]bool{}
	var walk func(t types.Type, prefix string)
	walk = func(t types.Type, prefix string) {
		if t == nil {
			return
		}
		t = derefAll(t)
		if seen[t] {
			return // recursive: not a schema anyway
		}
		seen[t] = true
		defer delete(seen, t)
		switch u := t.Underlying().(type) {
		case *types.Slice:
			walk(u.Elem(), prefix+"[]")
		case *types.Array:
			walk(u.Elem(), prefix+"[]")
		case *types.Struct:
			for i := range u.NumFields() {
				f := u.Field(i)
				// Options only decide whether a field left out of the
				// schema is refused or skipped; either way it has no row.
				_, st := structOf(f.Type())
				jf := payloadschema.JSONField(f.Name(), reflect.StructTag(u.Tag(i)), f.Embedded(), st != nil, payloadschema.Options{})
				if jf.Skip || jf.Invalid != "" {
					continue // not in the schema; an invalid field fails the workflow
				}
				if jf.Inline {
					walk(f.Type(), prefix) // its fields join this object
					continue
				}
				path := jf.Name
				if prefix != "" {
					path = prefix + "." + jf.Name
				}
				doc := d.doc(f)
				if doc == "" {
					doc = d.typeDoc(f.Type())
				}
				if doc != "" {
					docs[path] = doc
				}
				walk(f.Type(), path)
			}
		}
	}
	walk(t, "")
	return docs
}

// typeDoc is the doc comment of the struct type a field holds (directly,
// through pointers, or as the elements of a slice), for a field without a
// comment of its own: Shipment Shipment is documented at type Shipment.
func (d *docFinder) typeDoc(t types.Type) string {
	for {
		t = derefAll(t)
		switch u := t.Underlying().(type) {
		case *types.Slice:
			t = u.Elem()
			continue
		case *types.Array:
			t = u.Elem()
			continue
		}
		break
	}
	named, ok := t.(*types.Named)
	if !ok {
		return ""
	}
	if _, isStruct := named.Underlying().(*types.Struct); !isStruct {
		return ""
	}
	obj := named.Obj()
	pos, pf := d.source(obj.Pos())
	if pf.file == nil {
		return ""
	}
	text := ""
	for _, decl := range pf.file.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, spec := range g.Specs {
			ts := spec.(*ast.TypeSpec)
			if ts.Name.Name != obj.Name() || pf.fset.Position(ts.Name.Pos()).Line != pos.Line {
				continue
			}
			switch {
			case ts.Doc != nil:
				text = ts.Doc.Text()
			case len(g.Specs) == 1 && g.Doc != nil:
				text = g.Doc.Text()
			}
		}
	}
	return strings.Join(strings.Fields(text), " ")
}

// source returns the position of p and the syntax of its file, parsed
// with comments; a zero parsedFile outside the module or when the file
// cannot be parsed.
func (d *docFinder) source(p token.Pos) (token.Position, parsedFile) {
	pos := d.l.fset.Position(p)
	if pos.Filename == "" || pos.Line == 0 || d.l.modRoot == "" || !filepath.IsLocal(filepath.FromSlash(relPath(d.l.modRoot, pos.Filename))) {
		return pos, parsedFile{}
	}
	pf, ok := d.syntax[pos.Filename]
	if !ok {
		fset := token.NewFileSet()
		if file, err := parser.ParseFile(fset, pos.Filename, nil, parser.ParseComments|parser.SkipObjectResolution); err == nil {
			pf = parsedFile{file, fset}
		}
		d.syntax[pos.Filename] = pf
	}
	return pos, pf
}

// doc returns the comment of the struct field f, on one line: its doc
// comment, else its line comment; "" outside the module.
func (d *docFinder) doc(f *types.Var) string {
	pos, pf := d.source(f.Pos())
	if pf.file == nil {
		return ""
	}
	text := ""
	ast.Inspect(pf.file, func(n ast.Node) bool {
		fld, ok := n.(*ast.Field)
		if !ok || text != "" {
			return text == ""
		}
		for _, id := range fld.Names {
			if id.Name == f.Name() && pf.fset.Position(id.Pos()).Line == pos.Line {
				switch {
				case fld.Doc != nil:
					text = fld.Doc.Text()
				case fld.Comment != nil:
					text = fld.Comment.Text()
				default:
					text = " " // found, undocumented: stop looking
				}
				return false
			}
		}
		return true
	})
	return strings.Join(strings.Fields(text), " ")
}

// structOf reports a struct type or a pointer to one, what
// payloadschema.JSONField calls structType: it returns t without its
// pointer and the struct, or a nil struct.
func structOf(t types.Type) (types.Type, *types.Struct) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, _ := t.Underlying().(*types.Struct)
	return t, st
}
