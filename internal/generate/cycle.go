package generate

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// importsOutput reports every import by which a package that declares
// workflows reaches the package novugen writes into (outDir), directly or
// through other packages of the module. The registry.go written there
// imports each declaring package to list its workflows, so such an import
// is an import cycle: once the registry exists, Go refuses it ("import
// cycle not allowed", at a place that does not say what to change), and
// before that novugen would write a registry that cannot compile. Each
// diagnostic is at the declaring package's import, names the chain to the
// generated package with the file:line:col of every further import, and
// says what to do instead. When there is one, the load errors of the named
// packages that do not reach the output package follow: only the errors
// the cycle causes are left out.
//
// The chain is found in the import graph go/packages loaded, read from
// the module's import declarations: packages.Package.Imports is kept
// acyclic by dropping the edge that closes a cycle, which is the edge
// wanted here when the generated package was visited first (novugen
// ./..., where gen sorts before workflows). Only the module's own packages
// are followed: a chain through another module (a go.work neighbour, a
// replace) is left to Go's own "import cycle not allowed".
func (l *loaded) importsOutput(outDir string) []Diagnostic {
	target := l.outputPath(outDir)
	if target == "" {
		return nil
	}
	byPath := map[string]*packages.Package{}
	packages.Visit(l.pkgs, nil, func(p *packages.Package) { byPath[p.PkgPath] = p })
	if _, ok := byPath[target]; !ok {
		return nil // nothing loaded imports it
	}

	declaring := map[string]*packages.Package{}
	for _, p := range l.pkgs {
		if p.PkgPath != target && workflowVarName(p) != "" {
			declaring[p.PkgPath] = p
		}
	}
	g := &importGraph{l: l, byPath: byPath, fset: token.NewFileSet(), specs: map[string][]importSpec{}}
	next := g.towards(target, declaring)

	var diags []Diagnostic
	for _, p := range slices.SortedFunc(maps.Values(declaring), func(a, b *packages.Package) int { return strings.Compare(a.PkgPath, b.PkgPath) }) {
		for _, s := range g.imports(p) {
			if s.path != target {
				if _, ok := next[s.path]; !ok {
					continue
				}
			}
			chain := []string{p.PkgPath, s.path}
			var hops []token.Position // hops[i]: where chain[i+1] imports chain[i+2]
			for cur := s.path; cur != target; {
				h := next[cur]
				chain = append(chain, h.path)
				hops = append(hops, h.pos)
				cur = h.path
			}
			diags = append(diags, Diagnostic{Pos: s.pos, Message: l.cycleMessage(chain, hops, workflowVarName(p))})
		}
	}
	if len(diags) == 0 {
		return nil
	}
	// A named package whose imports never reach the output package has
	// errors of its own, not the cycle's: they are reported beside it.
	for _, p := range l.pkgs {
		if !g.reaches(p, target) {
			diags = append(diags, packageErrors(p)...)
		}
	}
	return diags
}

// reaches reports whether p is target or imports it, directly or not,
// following the module's import declarations (cycles included, which
// packages.Package.Imports leaves out).
func (g *importGraph) reaches(p *packages.Package, target string) bool {
	seen := map[string]bool{}
	var walk func(path string) bool
	walk = func(path string) bool {
		if path == target {
			return true
		}
		q, ok := g.byPath[path]
		if !ok || seen[path] || q.Module == nil || q.Module.Dir != g.l.modRoot {
			return false
		}
		seen[path] = true
		for _, s := range g.imports(q) {
			if walk(s.path) {
				return true
			}
		}
		return false
	}
	return walk(p.PkgPath)
}

// cycleMessage says that chain[0], a declaring package, reaches the
// generated package chain[len-1] through the packages between, where
// hops[i] is the import of chain[i+2] by chain[i+1]; example is one of
// chain[0]'s workflow variables.
func (l *loaded) cycleMessage(chain []string, hops []token.Position, example string) string {
	decl, target := chain[0], chain[len(chain)-1]
	var b strings.Builder
	fmt.Fprintf(&b, "%s imports %s", decl, chain[1])
	for i, p := range chain[2:] {
		fmt.Fprintf(&b, ", which imports %s (%s)", p, posString(l.modRoot, hops[i]))
	}
	gen := path.Base(target)
	fmt.Fprintf(&b, ", the package novugen writes the registry into, whose registry.go imports %s: an import cycle. "+
		"A package that declares workflows cannot import its generated package, directly or not: "+
		"take a workflowId from the workflow variable itself (%s.ID()) rather than from %s, or move the code ",
		decl, example, gen)
	if holder := chain[len(chain)-2]; holder != decl {
		fmt.Fprintf(&b, "of %s ", holder)
	}
	fmt.Fprintf(&b, "that needs %s into a package that %s does not import", gen, decl)
	return b.String()
}

// outputPath is the import path of the package written into outDir, ""
// when outDir is not inside the module (no package of it can import it).
func (l *loaded) outputPath(outDir string) string {
	if l.modPath == "" {
		return ""
	}
	rel, err := filepath.Rel(l.modRoot, mustAbs(outDir))
	if err != nil || !filepath.IsLocal(rel) {
		return ""
	}
	return path.Join(l.modPath, filepath.ToSlash(rel))
}

// workflowVarName returns the first (sorted, exported first) package-level
// variable of p of type dsl.Workflow, "" when p declares none: only a
// package that declares one is imported by the registry.
func workflowVarName(p *packages.Package) string {
	if p.Types == nil {
		return ""
	}
	var found string
	scope := p.Types.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || !isWorkflow(v.Type()) {
			continue
		}
		if v.Exported() {
			return name
		}
		if found == "" {
			found = name
		}
	}
	return found
}

// importSpec is one import declaration: the path it imports, and where.
type importSpec struct {
	path string
	pos  token.Position
}

// importGraph is the import graph of the module's loaded packages, with
// the position of every import.
type importGraph struct {
	l      *loaded
	byPath map[string]*packages.Package
	fset   *token.FileSet // for the files go/packages did not parse
	specs  map[string][]importSpec
}

// imports returns p's imports, in file and position order: from its syntax
// when go/packages parsed it (the declaring packages), else by reading the
// import declarations of its files.
func (g *importGraph) imports(p *packages.Package) []importSpec {
	if s, ok := g.specs[p.PkgPath]; ok {
		return s
	}
	var files []*ast.File
	fset := g.l.fset
	if len(p.Syntax) > 0 {
		files = p.Syntax
	} else {
		fset = g.fset
		for _, name := range p.GoFiles {
			if f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly|parser.SkipObjectResolution); err == nil {
				files = append(files, f)
			}
		}
	}
	var specs []importSpec
	for _, f := range files {
		for _, is := range f.Imports {
			if ip, err := strconv.Unquote(is.Path.Value); err == nil {
				specs = append(specs, importSpec{path: ip, pos: fset.Position(is.Pos())})
			}
		}
	}
	slices.SortStableFunc(specs, func(a, b importSpec) int {
		return cmp.Or(strings.Compare(a.pos.Filename, b.pos.Filename), cmp.Compare(a.pos.Offset, b.pos.Offset))
	})
	g.specs[p.PkgPath] = specs
	return specs
}

// towards returns, for every package of the module that reaches target
// through packages that declare no workflows, its import on the shortest
// way there. A way through a declaring package is left out: that package
// is reported on its own, at its own import.
func (g *importGraph) towards(target string, declaring map[string]*packages.Package) map[string]importSpec {
	var inModule []*packages.Package
	for _, p := range g.byPath {
		if p.PkgPath != target && p.Module != nil && p.Module.Dir == g.l.modRoot && declaring[p.PkgPath] == nil {
			inModule = append(inModule, p)
		}
	}
	slices.SortFunc(inModule, func(a, b *packages.Package) int { return strings.Compare(a.PkgPath, b.PkgPath) })
	next := map[string]importSpec{}
	reached := map[string]bool{target: true}
	// Breadth first, backwards from target: each round adds the packages
	// one import further away.
	for grew := true; grew; {
		grew = false
		var round []string
		for _, p := range inModule {
			if reached[p.PkgPath] {
				continue
			}
			for _, s := range g.imports(p) {
				if reached[s.path] {
					next[p.PkgPath] = s
					round = append(round, p.PkgPath)
					break
				}
			}
		}
		for _, p := range round {
			reached[p], grew = true, true
		}
	}
	return next
}
