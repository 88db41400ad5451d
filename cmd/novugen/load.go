package main

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/novugen/novugen/dsl"
	"golang.org/x/tools/go/packages"
)

// dslPath is the import path of package dsl, taken from one of its types
// rather than spelled out, so a fork or a vendored copy is recognised too
// (ent finds its own path the same way).
var dslPath = reflect.TypeFor[dsl.Definition]().PkgPath()

// workflowVar is one package-level variable of type dsl.Workflow[P].
type workflowVar struct {
	pkgPath string
	pkgName string
	name    string
	pos     token.Position
}

// loaded is what the first stage, go/packages, knows about the user's code.
type loaded struct {
	modPath string // module path of the loaded packages
	modRoot string // its directory
	pkgs    []*packages.Package
	vars    []workflowVar
	fset    *token.FileSet
}

const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedModule

// load runs go/packages on patterns from dir. It returns the packages'
// errors as diagnostics, and fails only when there is nothing to report on.
func load(ctx context.Context, dir string, patterns []string) (*loaded, []diag, error) {
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

	var diags []diag
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		diags = append(diags, packageErrors(p)...)
	})
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
		scope := p.Types.Scope()
		for _, name := range scope.Names() { // sorted
			v, ok := scope.Lookup(name).(*types.Var)
			if !ok || !isWorkflow(v.Type()) {
				continue
			}
			wv := workflowVar{pkgPath: p.PkgPath, pkgName: p.Name, name: name, pos: fset.Position(v.Pos())}
			if !v.Exported() {
				diags = append(diags, diag{pos: wv.pos, msg: fmt.Sprintf(
					"%s: workflow variable is not exported, so the generator cannot read it; rename it %s",
					name, exported(name))})
				continue
			}
			l.vars = append(l.vars, wv)
		}
	}
	if len(diags) > 0 {
		return l, diags, nil
	}
	if len(l.vars) == 0 {
		paths := make([]string, len(pkgs))
		for i, p := range pkgs {
			paths[i] = p.PkgPath
		}
		sort.Strings(paths)
		return nil, nil, fmt.Errorf("no workflows declared in %s: declare package-level variables with dsl.Define", strings.Join(paths, ", "))
	}
	return l, nil, nil
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
func packageErrors(p *packages.Package) []diag {
	typed := slices.ContainsFunc(p.Errors, func(e packages.Error) bool { return e.Kind != packages.ListError })
	var ds []diag
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
func packageError(e packages.Error) diag {
	msg := strings.TrimPrefix(e.Msg, "-: ")
	if e.Pos == "" || e.Pos == "-" {
		return diag{msg: msg}
	}
	return diag{pos: parsePos(e.Pos), msg: msg}
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
