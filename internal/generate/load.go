package generate

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/entry"
	"github.com/novugen/novugen/internal/goname"
	"github.com/novugen/novugen/payloadschema"
	"github.com/novugen/novugen/registry"
	"golang.org/x/tools/go/packages"
)

// dslPath, registryPath, payloadschemaPath and entryPath are the import
// paths of the packages the generator reads and the probe imports, taken
// from one of their types rather than spelled out, so a fork or a vendored
// copy is recognised too (ent finds its own path the same way). dsl's is
// taken from a type of its own: dsl.Definition is an alias of
// registry.Workflow.
var (
	dslPath           = reflect.TypeFor[dsl.Settings]().PkgPath()
	registryPath      = reflect.TypeFor[registry.File]().PkgPath()
	payloadschemaPath = reflect.TypeFor[payloadschema.Options]().PkgPath()
	entryPath         = reflect.TypeFor[entry.Report]().PkgPath()
)

// workflowVar is one package-level variable of type dsl.Workflow[P].
type workflowVar struct {
	pkgPath string
	pkgName string
	name    string
	pos     token.Position
	payload types.Type // P, to find the fields a payload schema error names
	value   ast.Expr   // its initial value, to tell apart Define calls sharing a line; nil for var a, b = f()

	// For an unexported variable: the exported function, added to its
	// package only for the probe's build, that returns it, and the
	// package's directory.
	accessor string
	dir      string
}

// loaded is what the first stage, go/packages, knows about the user's code.
type loaded struct {
	modPath string // module path of the loaded packages
	modRoot string // its directory
	pkgs    []*packages.Package
	vars    []workflowVar
	fset    *token.FileSet
	// env are the dsl.EnvVar constants of the packages, in the order found.
	env []envConst
	// diags are errors in how workflows are declared that do not stop the
	// probe (an unexported variable, a workflow assigned to _): they print
	// together with what the probe and the checks find.
	diags []Diagnostic
}

// loadMode asks for the import graph too (NeedImports): type checking
// lists every dependency anyway (go list -deps), and importsOutput needs it.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
	packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedModule

// load runs go/packages on patterns from dir. It returns the packages'
// errors as diagnostics, which stop generation before the probe; errors that
// do not are in loaded.diags. It fails only when there is nothing to report on.
func load(ctx context.Context, dir string, patterns []string) (*loaded, []Diagnostic, error) {
	fset := token.NewFileSet()
	cfg := &packages.Config{Context: ctx, Mode: loadMode, Dir: dir, Fset: fset}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, nil, fmt.Errorf("loading %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		return nil, nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	l := &loaded{pkgs: pkgs, fset: fset}
	for _, p := range pkgs {
		if p.Module != nil {
			l.modRoot, l.modPath = p.Module.Dir, p.Module.Path
			break
		}
	}

	var diags []Diagnostic
	for _, p := range pkgs { // the named packages only, not every dependency in their Imports
		diags = append(diags, packageErrors(p)...)
	}
	if len(diags) > 0 {
		return l, diags, nil
	}

	for _, p := range pkgs {
		if p.Module == nil {
			return nil, nil, fmt.Errorf("package %s is not in a module; novugen runs the declarations inside their module", p.PkgPath)
		}
		if p.Module.Dir != l.modRoot {
			return nil, nil, fmt.Errorf("packages %s and %s are in different modules (%s, %s); run novugen once per module",
				pkgs[0].PkgPath, p.PkgPath, l.modPath, p.Module.Path)
		}
		if p.Name == "main" {
			return nil, nil, fmt.Errorf("package %s is a command (package main), which cannot be imported; declare workflows in an importable package", p.PkgPath)
		}
	}

	for _, p := range pkgs {
		l.declarations(p)
	}
	if len(l.vars) == 0 {
		if len(l.diags) > 0 { // only workflows the generator cannot read
			return l, l.diags, nil
		}
		paths := make([]string, len(pkgs))
		for i, p := range pkgs {
			paths[i] = p.PkgPath
		}
		sort.Strings(paths)
		return nil, nil, fmt.Errorf("no workflows declared in %s: declare package-level variables with dsl.Define", strings.Join(paths, ", "))
	}
	return l, nil, nil
}

// declarations finds p's package-level workflow variables. An unexported
// one is an error, but it is still probed (through an accessor, see probe),
// so that its findings print with the rest. A workflow assigned to _ or
// stored inside another value is an error too: it would never be generated,
// and its mistakes would pass unseen.
func (l *loaded) declarations(p *packages.Package) {
	scope := p.Types.Scope()
	index := map[*types.Var]int{} // position in l.vars

	for _, name := range scope.Names() { // sorted
		l.envVar(scope.Lookup(name))
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || !isWorkflow(v.Type()) {
			continue
		}
		wv := workflowVar{
			pkgPath: p.PkgPath, pkgName: p.Name, name: name, pos: l.fset.Position(v.Pos()),
			payload: types.Unalias(v.Type()).(*types.Named).TypeArgs().At(0),
		}
		if !v.Exported() {
			l.diags = append(l.diags, Diagnostic{Pos: wv.pos, Message: fmt.Sprintf(
				"%s: workflow variable is not exported, so it is not generated; rename it %s",
				name, exported(name))})
			wv.accessor = accessorName(scope, name)
			// The package's directory from its files: a position may follow a //line directive.
			wv.dir = filepath.Dir(p.GoFiles[0])
		}
		l.vars = append(l.vars, wv)
		index[v] = len(l.vars) - 1
	}

	for _, f := range p.Syntax {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if len(vs.Values) != len(vs.Names) {
					continue // var a, b = f(): no Define call to see
				}
				for i, id := range vs.Names {
					v, ok := p.TypesInfo.Defs[id].(*types.Var)
					if !ok {
						continue
					}
					if j, ok := index[v]; ok {
						l.vars[j].value = vs.Values[i]
					}
					l.hidden(p.TypesInfo, id, v, vs.Values[i])
				}
			}
		}
	}
}

// hidden reports a workflow that variable v, initialised with value, keeps
// out of the generator's sight: v is _ (go/types puts it in no scope), or v
// is not a dsl.Workflow but holds Define calls (a slice of declarations, an
// interface variable).
func (l *loaded) hidden(info *types.Info, id *ast.Ident, v *types.Var, value ast.Expr) {
	if isWorkflow(v.Type()) {
		// var _ = OrderShipped only mentions a workflow declared elsewhere.
		if v.Name() == "_" && !isVarRef(info, value) {
			l.diags = append(l.diags, Diagnostic{Pos: l.fset.Position(id.Pos()), Message: fmt.Sprintf(
				"a dsl.Workflow assigned to _ is never generated; give it an exported name, e.g. %s", suggestion(info, value))})
		}
		return
	}
	ast.Inspect(value, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false // a function's body runs when called, not here
		}
		c, ok := n.(*ast.CallExpr)
		if !ok || !isDefine(info, c) {
			return true
		}
		l.diags = append(l.diags, Diagnostic{Pos: l.fset.Position(callStart(c)), Message: fmt.Sprintf(
			"this workflow is stored in %s, which is not a variable of type dsl.Workflow, so it is never generated; declare it as a variable of its own, e.g. %s",
			v.Name(), suggestion(info, c))})
		return true
	})
}

// isDefine reports whether c calls dsl.Define.
func isDefine(info *types.Info, c *ast.CallExpr) bool {
	id := nameIdent(c.Fun)
	return id != nil && id.Name == "Define" && isDSL(info, id)
}

// isVarRef reports whether e merely names a variable (OrderShipped,
// workflows.OrderShipped).
func isVarRef(info *types.Info, e ast.Expr) bool {
	e = ast.Unparen(e)
	if sel, ok := e.(*ast.SelectorExpr); ok {
		e = sel.Sel
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	_, isVar := info.Uses[id].(*types.Var)
	return isVar
}

// suggestion writes the declaration that value, a Define call, should
// have, named after its workflowId: var BuildFailed = dsl.Define[BuildPayload](...).
func suggestion(info *types.Info, value ast.Expr) string {
	name := "MyWorkflow"
	c, ok := ast.Unparen(value).(*ast.CallExpr)
	if !ok {
		return fmt.Sprintf("var %s = %s", name, types.ExprString(value))
	}
	if isDefine(info, c) && len(c.Args) > 0 {
		if lit, ok := c.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if id, err := strconv.Unquote(lit.Value); err == nil {
				name = goname.Exported(id, "Workflow")
			}
		}
	}
	return fmt.Sprintf("var %s = %s(...)", name, types.ExprString(c.Fun))
}

// accessorName returns an exported name, free in scope, for the function
// through which the probe reads the unexported variable name.
func accessorName(scope *types.Scope, name string) string {
	acc := "NovugenProbe_" + name
	for i := 2; scope.Lookup(acc) != nil; i++ {
		acc = fmt.Sprintf("NovugenProbe%d_%s", i, name)
	}
	return acc
}

// isWorkflow reports whether t is dsl.Workflow[P] for some P.
func isWorkflow(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Origin().Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == dslPath && obj.Name() == "Workflow"
}

// packageErrors returns p's errors as diagnostics. When go list reports that
// the package does not compile, type checking has said the same with
// positions, so the list error (a "# pkg" block) is left out.
func packageErrors(p *packages.Package) []Diagnostic {
	typed := slices.ContainsFunc(p.Errors, func(e packages.Error) bool { return e.Kind != packages.ListError })
	var ds []Diagnostic
	for _, e := range p.Errors {
		if typed && e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") {
			continue
		}
		ds = append(ds, packageError(e))
	}
	return ds
}

// packageError turns a go/packages error into a diagnostic. Errors without a
// position come as "-: message"; the prefix goes (ent's loadError does the same).
func packageError(e packages.Error) Diagnostic {
	msg := strings.TrimPrefix(e.Msg, "-: ")
	if e.Pos == "" || e.Pos == "-" {
		return Diagnostic{Message: msg}
	}
	return Diagnostic{Pos: parsePos(e.Pos), Message: msg}
}

// parsePos parses "file:line:col" or "file:line" as go/packages reports it.
func parsePos(s string) token.Position {
	var p token.Position
	parts := strings.Split(s, ":")
	nums := []int{}
	for len(parts) > 1 && len(nums) < 2 {
		var n int
		if _, err := fmt.Sscanf(parts[len(parts)-1], "%d", &n); err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		parts = parts[:len(parts)-1]
	}
	p.Filename = strings.Join(parts, ":")
	if len(nums) > 0 {
		p.Line = nums[0]
	}
	if len(nums) > 1 {
		p.Column = nums[1]
	}
	return p
}

// exported returns name with its first letter upper-cased.
func exported(name string) string {
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// syntaxFiles maps each loaded file's absolute name to its syntax and the
// type information of its package.
func (l *loaded) syntaxFiles() map[string]fileInfo {
	m := map[string]fileInfo{}
	for _, p := range l.pkgs {
		for _, f := range p.Syntax {
			m[l.fset.File(f.Pos()).Name()] = fileInfo{file: f, info: p.TypesInfo}
		}
	}
	return m
}

type fileInfo struct {
	file *ast.File
	info *types.Info
}
