package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

const usage = "usage: novugen [-out dir] [-check] [package ...]"

// run is the whole command, so tests can call it: it returns the exit status
// (0 success, 1 findings or failure, 2 usage).
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("novugen", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // our own messages, prefixed with the tool's name
	out := fs.String("out", "", "output `dir` (default: gen under the module root)")
	check := fs.Bool("check", false, "compare the output with -out, write nothing; exit 1 with a diff when stale")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "novugen: %v\n%s\n", err, usage)
		return 2
	}
	if *out != "" {
		if _, err := outputPackage(*out); err != nil {
			fmt.Fprintf(stderr, "novugen: %v\n", err)
			return 2
		}
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}

	// An interrupt (Ctrl-C, a cancelled CI job) stops the probe instead of
	// novugen, so that the probe directory is still removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g, err := generate(ctx, ".", patterns, *out)
	if err != nil {
		fmt.Fprintf(stderr, "novugen: %v\n", err)
		return 1
	}
	if printDiags(stderr, g.root, g.diags) {
		return 1
	}
	if *check {
		d, err := stale(g.dir, g.display, g.files)
		if err != nil {
			fmt.Fprintf(stderr, "novugen: %v\n", err)
			return 1
		}
		if len(d) > 0 {
			fmt.Fprintf(stderr, "novugen: %s is out of date; run go generate\n", g.display)
			stderr.Write(d)
			return 1
		}
		return 0
	}
	if err := write(g.dir, g.files); err != nil {
		fmt.Fprintf(stderr, "novugen: writing %s: %v\n", g.display, err)
		return 1
	}
	return 0
}

// generated is the outcome of one generation: the files to write, or the
// problems that stop it (warnings may accompany files).
type generated struct {
	root    string // module root, for relative positions
	dir     string // output directory
	display string // the output directory as the user should see it
	files   map[string][]byte
	diags   []diag
}

// generate loads patterns from dir, runs and checks the declarations, and
// renders the output for outDir (empty: gen under the module root).
func generate(ctx context.Context, dir string, patterns []string, outDir string) (*generated, error) {
	l, diags, err := load(ctx, dir, patterns)
	if err != nil {
		return nil, err
	}
	if len(diags) > 0 {
		root := l.modRoot
		if root == "" {
			root = mustAbs(dir)
		}
		return &generated{root: root, diags: diags}, nil
	}
	g := &generated{root: l.modRoot, dir: outDir, display: outDir}
	if outDir == "" {
		g.dir = filepath.Join(l.modRoot, "gen")
		g.display = relPath(mustAbs(dir), g.dir)
	}
	pkgName, err := outputPackage(g.dir)
	if err != nil {
		return nil, err
	}

	reports, err := probe(ctx, l)
	if err != nil {
		return nil, err
	}
	wfs, diags := check(l, reports)
	g.diags = append(slices.Clip(l.diags), diags...)
	for _, d := range g.diags {
		if !d.warning {
			return g, nil
		}
	}
	src, err := sourcesOf(ctx, l, g.dir)
	if err != nil {
		return nil, err
	}
	files, rdiags, err := render(pkgName, registryOwner(l, g.dir, wfs), src, wfs)
	if err != nil {
		return nil, err
	}
	g.diags = append(g.diags, rdiags...)
	g.files = files
	return g, nil
}

// registryOwner names the registry for ownership (dsl.Registry.Owner): the
// import path of the generated package, which stays the same as workflows
// and packages come and go. When the output is not inside the module (a
// test's temporary directory), the declaring packages' import paths stand
// in for it.
func registryOwner(l *loaded, outDir string, wfs []workflow) string {
	if l.modPath != "" {
		if rel, err := filepath.Rel(l.modRoot, mustAbs(outDir)); err == nil && filepath.IsLocal(rel) {
			return path.Join(l.modPath, filepath.ToSlash(rel))
		}
	}
	var pkgs []string
	for _, w := range wfs {
		pkgs = append(pkgs, w.v.pkgPath)
	}
	slices.Sort(pkgs)
	return strings.Join(slices.Compact(pkgs), ",")
}

func mustAbs(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		if wd, werr := os.Getwd(); werr == nil {
			return wd
		}
		return dir
	}
	return abs
}
