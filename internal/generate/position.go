package generate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/payloadschema"
)

// positioner turns the file:line a declaration recorded at run time
// (runtime.Caller in dsl) into file:line:col, by finding the call of that dsl
// function on that line in the syntax tree.
type positioner struct {
	l     *loaded
	files map[string]fileInfo                // by absolute file name
	calls map[string]map[int][]*ast.CallExpr // by file, then by the line of "("
}

func newPositioner(l *loaded) *positioner {
	return &positioner{l: l, files: l.syntaxFiles(), calls: map[string]map[int][]*ast.CallExpr{}}
}

// callsOn returns the calls in file whose "(" is on line, indexing the file
// on first use: a package may declare hundreds of workflows in one file.
func (p *positioner) callsOn(name string, f *ast.File, line int) []*ast.CallExpr {
	idx, ok := p.calls[name]
	if !ok {
		idx = map[int][]*ast.CallExpr{}
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				l := p.l.fset.Position(c.Lparen).Line
				idx[l] = append(idx[l], c)
			}
			return true
		})
		p.calls[name] = idx
	}
	return idx[line]
}

// file returns the syntax of name, parsing files that go/packages did not
// load (a step built by a helper in another package of the module).
func (p *positioner) file(name string) (fileInfo, bool) {
	if fi, ok := p.files[name]; ok {
		return fi, true
	}
	f, err := parser.ParseFile(p.l.fset, name, nil, parser.SkipObjectResolution)
	if err != nil {
		return fileInfo{}, false
	}
	p.files[name] = fileInfo{file: f}
	return p.files[name], true
}

// fileName maps a recorded file name to an absolute one. Under -trimpath,
// runtime.Caller reports module-path-relative names.
func (p *positioner) fileName(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	if rest, ok := strings.CutPrefix(name, p.l.modPath+"/"); ok {
		return filepath.Join(p.l.modRoot, filepath.FromSlash(rest))
	}
	return name
}

// call finds the call of dsl function pos.Func on pos.Line. When the line
// holds several (var B, C = dsl.Define(...), dsl.Define(...)), the one inside
// in, the declaring variable's own initial value, wins; a call outside it (a
// step built by a helper) is still found when it is the only candidate. It
// returns nil when there is none to be found (the position then has no
// column).
func (p *positioner) call(pos dsl.Pos, in ast.Node) (*ast.CallExpr, fileInfo) {
	fi, ok := p.file(p.fileName(pos.File))
	if !ok {
		return nil, fileInfo{}
	}
	var first *ast.CallExpr
	for _, c := range p.callsOn(p.fileName(pos.File), fi.file, pos.Line) {
		id := nameIdent(c.Fun)
		if id == nil || id.Name != pos.Func || !isDSL(fi.info, id) {
			continue
		}
		if in != nil && in.Pos() <= c.Pos() && c.End() <= in.End() {
			return c, fi
		}
		if first == nil {
			first = c
		}
	}
	return first, fi
}

// nameIdent returns the identifier that names the function of a call
// (dsl.Email, Email, dsl.Define[P], w.Step), or the field an embedded
// type gives its name to (Base in Base, *Base, pkg.Base and Base[T]).
func nameIdent(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.IndexExpr:
		return nameIdent(e.X)
	case *ast.IndexListExpr:
		return nameIdent(e.X)
	case *ast.ParenExpr:
		return nameIdent(e.X)
	case *ast.StarExpr:
		return nameIdent(e.X)
	}
	return nil
}

// isDSL reports whether id refers to an object of package dsl; without type
// information (a file go/packages did not load) the name has to do.
func isDSL(info *types.Info, id *ast.Ident) bool {
	if info == nil {
		return true
	}
	obj := info.Uses[id]
	if obj == nil {
		return false
	}
	if f, ok := obj.(*types.Func); ok {
		obj = f.Origin()
	}
	return obj.Pkg() != nil && obj.Pkg().Path() == dslPath
}

// position returns pos with a column: that of the call's function
// expression (dsl.Email), or of the method name in a chain. in is the
// declaring variable's initial value (nil when unknown), which tells apart
// calls that share a line.
func (p *positioner) position(pos dsl.Pos, in ast.Node, fallback token.Position) token.Position {
	if pos.File == "" {
		return fallback
	}
	c, _ := p.call(pos, in)
	if c == nil {
		return token.Position{Filename: p.fileName(pos.File), Line: pos.Line}
	}
	return p.l.fset.Position(callStart(c))
}

func callStart(c *ast.CallExpr) token.Pos {
	fun := c.Fun
	for {
		switch e := fun.(type) {
		case *ast.IndexExpr:
			fun = e.X
			continue
		case *ast.IndexListExpr:
			fun = e.X
			continue
		}
		break
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if _, isPkg := sel.X.(*ast.Ident); !isPkg {
			return sel.Sel.Pos() // a method in a chain: dsl.Email(...).\n\tSubject(...)
		}
	}
	return fun.Pos()
}

// controlPosition returns the position of control's key in the composite
// literal passed to the step call at pos (dsl control struct fields are named
// after their wire keys), or the step call's position when the control was
// not written there (a missing required control, say).
func (p *positioner) controlPosition(pos dsl.Pos, in ast.Node, control string, fallback token.Position) token.Position {
	step := p.position(pos, in, fallback)
	c, _ := p.call(pos, in)
	if c == nil || control == "" {
		return step
	}
	segs := strings.FieldsFunc(control, func(r rune) bool { return r == '.' || r == '[' || r == ']' })
	// Follow the wire path key by key (lookBackWindow, then amount); stop at
	// the deepest key that was written.
	var found *ast.KeyValueExpr
	roots := c.Args
	for _, seg := range segs {
		kv := findKey(roots, seg)
		if kv == nil {
			break
		}
		found, roots = kv, []ast.Expr{kv.Value}
	}
	if found == nil {
		return step
	}
	return p.l.fset.Position(found.Pos())
}

// findKey finds, among the composite literals in exprs, the key: value
// whose key is key, ignoring case; the shallowest first, so that a control's
// own key wins over a nested key of the same name.
func findKey(exprs []ast.Expr, key string) *ast.KeyValueExpr {
	level := exprs
	for len(level) > 0 {
		var next []ast.Expr
		for _, e := range level {
			switch e := e.(type) {
			case *ast.KeyValueExpr:
				if id, ok := e.Key.(*ast.Ident); ok && strings.EqualFold(id.Name, key) {
					return e
				}
				next = append(next, e.Value)
			case *ast.CompositeLit:
				next = append(next, e.Elts...)
			case *ast.UnaryExpr:
				next = append(next, e.X)
			case *ast.ParenExpr:
				next = append(next, e.X)
			case *ast.CallExpr: // dsl.Eq(...), a helper returning controls
				next = append(next, e.Args...)
			}
		}
		level = next
	}
	return nil
}

// fieldPosition returns the declaration of the struct field that steps
// lead to from the payload type (payloadschema.FieldSteps: Items, [],
// Parent), so that the error sits on the line to change. It returns fallback (the Define call) when the
// path ends at the payload type itself or at a field outside the module, or
// when go/types cannot follow it (a JSONSchemaAlias leads elsewhere).
func (p *positioner) fieldPosition(payload types.Type, steps []string, fallback token.Position) token.Position {
	if payload == nil {
		return fallback
	}
	t := payload
	var field *types.Var
	for _, step := range steps {
		t = derefAll(t)
		if step == payloadschema.ElemStep {
			switch u := t.Underlying().(type) {
			case *types.Slice:
				t = u.Elem()
			case *types.Array:
				t = u.Elem()
			case *types.Map:
				t = u.Elem()
			default:
				return fallback
			}
			continue
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return fallback
		}
		field = nil
		for f := range st.Fields() {
			if f.Name() == step {
				field = f
				break
			}
		}
		if field == nil {
			return fallback
		}
		t = field.Type()
	}
	if field == nil || !field.Pos().IsValid() {
		return fallback
	}
	pos := p.l.fset.Position(field.Pos())
	if rel := relPath(p.l.modRoot, pos.Filename); filepath.IsAbs(filepath.FromSlash(rel)) || pos.Line == 0 {
		return fallback // in another module: the Define call is what the user can change
	}
	if fi, ok := p.files[pos.Filename]; !ok || fi.info == nil {
		// A type of another package of the module comes from export data,
		// which keeps lines but not columns: find the field in the source.
		if col := p.fieldColumn(pos, field); col > 0 {
			pos.Column = col
		}
	}
	return pos
}

// fieldColumn returns the column of field's name (or of its type, for an
// embedded field) in the struct field declared on pos.Line of pos.Filename,
// or 0 when the source does not show it.
func (p *positioner) fieldColumn(pos token.Position, field *types.Var) int {
	fi, ok := p.file(pos.Filename)
	if !ok {
		return 0
	}
	col := 0
	ast.Inspect(fi.file, func(n ast.Node) bool {
		f, ok := n.(*ast.Field)
		if !ok || col > 0 {
			return col == 0
		}
		var ids []*ast.Ident
		if len(f.Names) > 0 {
			ids = f.Names
		} else if id := nameIdent(f.Type); id != nil {
			ids = []*ast.Ident{id}
		}
		for _, id := range ids {
			if q := p.l.fset.Position(id.Pos()); id.Name == field.Name() && q.Line == pos.Line {
				col = q.Column
				if len(f.Names) == 0 {
					col = p.l.fset.Position(f.Type.Pos()).Column // *Base: the star
				}
				return false
			}
		}
		return true
	})
	return col
}

// derefAll follows pointers: the payload schema does too.
func derefAll(t types.Type) types.Type {
	for {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return t
		}
		t = p.Elem()
	}
}
