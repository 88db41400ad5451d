// Package generate is novugen's generator as a library: it loads the
// packages that declare workflows (go/packages), runs their declarations
// in a throwaway probe program built in their module, checks what they
// report, places every finding at its file:line:col, and renders the
// generated package (registry.go and registry.json). [Generate] returns
// the files to write and the diagnostics; it prints nothing and writes
// only the probe's directory, which it removes. [Write] and [Diff] put the
// files in place or compare them with what is there. cmd/novugen is the
// command around it.
package generate

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/novugen/novugen/dsl"
)

// Config says what to generate.
type Config struct {
	// Dir is the directory Patterns are resolved from; "" is the current one.
	Dir string
	// Patterns are go list patterns naming the declaring packages.
	Patterns []string
	// Out is the output directory, whose base name is the generated
	// package's name; "" is gen under the module root.
	Out string
}

// Result is the outcome of one generation: the files to write, or the
// diagnostics that stop it (warnings may come with files).
type Result struct {
	Root        string            // module root: diagnostics print relative to it
	Dir         string            // output directory
	Display     string            // the output directory as the user should see it
	Files       map[string][]byte // by name; nil when a diagnostic is an error
	Diagnostics []Diagnostic

	// What WritePreview renders: the workflows with their examples
	// rendered, and the layouts declared in Go.
	wfs     []workflow
	layouts []dsl.LayoutDef
}

// Generate loads cfg.Patterns, runs and checks the declarations, and
// renders the output for cfg.Out. The error is for what stops it before
// any declaration can be judged (the packages cannot be listed, the probe
// cannot be built or run, cancelling ctx); mistakes in the declarations,
// their compile errors included, are diagnostics.
func Generate(ctx context.Context, cfg Config) (*Result, error) {
	dir := cfg.Dir
	if dir == "" {
		dir = "."
	}
	l, diags, err := load(ctx, dir, cfg.Patterns)
	if err != nil {
		return nil, err
	}
	g := &Result{Root: l.modRoot, Dir: cfg.Out, Display: cfg.Out}
	if cfg.Out == "" {
		g.Dir = filepath.Join(l.modRoot, "gen")
		g.Display = relPath(mustAbs(dir), g.Dir)
	}
	// Declarations that import the generated package make an import cycle.
	// Go's errors then say "import cycle not allowed", or before the first
	// run that gen cannot be imported, and the uses of gen fail: the cycle
	// is reported at the imports that make it, in place of those errors.
	if cycle := l.importsOutput(g.Dir); len(cycle) > 0 {
		diags = cycle
	}
	if len(diags) > 0 {
		root := l.modRoot
		if root == "" {
			root = mustAbs(dir)
		}
		return &Result{Root: root, Diagnostics: diags}, nil
	}
	pkgName, err := PackageName(g.Dir)
	if err != nil {
		return nil, err
	}

	reports, err := probe(ctx, l)
	if err != nil {
		return nil, err
	}
	wfs, layouts, diags := check(l, reports)
	g.Diagnostics = append(slices.Clip(l.diags), diags...)
	if g.Failed() {
		return g, nil
	}
	src, err := sourcesOf(ctx, l, g.Dir)
	if err != nil {
		return nil, err
	}
	files, rdiags, err := render(pkgName, registryOwner(l, g.Dir, wfs), src, l.envNames(), wfs, layouts)
	if err != nil {
		return nil, err
	}
	g.Diagnostics = append(g.Diagnostics, rdiags...)
	if files != nil {
		files[CatalogFile] = catalog(l, wfs)
		g.wfs, g.layouts = wfs, layouts
	}
	g.Files = files
	return g, nil
}

// registryOwner names the registry for ownership (dsl.Registry.Owner): the
// import path of the generated package, which stays the same as workflows
// and packages come and go. When the output is not inside the module (a
// test's temporary directory), the declaring packages' import paths stand
// in for it.
func registryOwner(l *loaded, outDir string, wfs []workflow) string {
	if p := l.outputPath(outDir); p != "" {
		return p
	}
	var pkgs []string
	for _, w := range wfs {
		pkgs = append(pkgs, w.v.pkgPath)
	}
	slices.Sort(pkgs)
	return strings.Join(slices.Compact(pkgs), ",")
}

// mustAbs is dir made absolute, or dir as given when it cannot be:
// filepath.Abs fails only when the working directory cannot be read, and
// then nothing better is known.
func mustAbs(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}
