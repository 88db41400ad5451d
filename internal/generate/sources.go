package generate

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/sources"
	"golang.org/x/tools/go/packages"
)

// sourcesOf records what the registry written to outDir is generated from
// (dsl.Sources), so that cmd/apply -registry can refuse a registry file
// whose declarations changed without go generate: the packages declaring
// workflows and every package of the same module they import, directly or
// not (payload types, shared templates and constants), each with its
// embedded files. Packages of other modules are pinned by go.mod and
// go.sum; novugen's own (dsl, registry, payloadschema) change with novugen's
// version, so they are left out even in novugen's own module. nil when
// outDir is not inside the module: the registry then cannot name the
// sources' place relative to itself.
func sourcesOf(ctx context.Context, l *loaded, outDir string) (*dsl.Sources, error) {
	if l.modRoot == "" {
		return nil, nil
	}
	out := mustAbs(outDir)
	if rel, err := filepath.Rel(l.modRoot, out); err != nil || !filepath.IsLocal(rel) && rel != "." {
		return nil, nil
	}
	root, err := filepath.Rel(out, l.modRoot)
	if err != nil {
		return nil, nil
	}
	// Names, files and imports only: go list -deps, with no type checking.
	cfg := &packages.Config{
		Context: ctx,
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedEmbedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Dir:     l.modRoot,
	}
	pkgs, err := packages.Load(cfg, pkgPaths(l.vars)...)
	if err != nil {
		return nil, fmt.Errorf("listing the packages the workflows import: %w", err)
	}
	s := &dsl.Sources{Root: filepath.ToSlash(root), Packages: []dsl.SourcePackage{}}
	var failed error
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if failed != nil || p.Module == nil || p.Module.Dir != l.modRoot || p.PkgPath == dslPath || p.PkgPath == registryPath || p.PkgPath == payloadschemaPath {
			return
		}
		dir := p.Dir
		if dir == "" && len(p.GoFiles) > 0 {
			dir = filepath.Dir(p.GoFiles[0])
		}
		rel, err := filepath.Rel(l.modRoot, dir)
		if err != nil || !filepath.IsLocal(rel) && rel != "." {
			failed = fmt.Errorf("package %s is in %s, outside its module's directory %s", p.PkgPath, dir, l.modRoot)
			return
		}
		sp := dsl.SourcePackage{Dir: filepath.ToSlash(rel)}
		for _, f := range p.EmbedFiles {
			e, err := filepath.Rel(dir, f)
			if err != nil || !filepath.IsLocal(e) {
				failed = fmt.Errorf("package %s embeds %s, outside its directory", p.PkgPath, f)
				return
			}
			sp.Embeds = append(sp.Embeds, filepath.ToSlash(e))
		}
		slices.Sort(sp.Embeds)
		sp.Embeds = slices.Compact(sp.Embeds)
		if sp.SHA256, err = sources.Digest(dir, sp.Embeds); err != nil {
			failed = fmt.Errorf("digesting package %s: %w", p.PkgPath, err)
			return
		}
		s.Packages = append(s.Packages, sp)
	})
	if failed != nil {
		return nil, failed
	}
	slices.SortFunc(s.Packages, func(a, b dsl.SourcePackage) int { return strings.Compare(a.Dir, b.Dir) })
	return s, nil
}
