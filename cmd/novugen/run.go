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

	"github.com/novugen/novugen/internal/version"
)

const usage = "usage: novugen [-out dir] [-check] [-version] [package ...]"

// run is the whole command, so tests can call it: it returns the exit status
// (0 success, 1 findings or failure, 2 usage).
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("novugen", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // our own messages, prefixed with the tool's name
	out := fs.String("out", "", "output `dir` (default: gen under the module root)")
	check := fs.Bool("check", false, "compare the output with -out, write nothing; exit 1 with a diff when stale")
	showVersion := fs.Bool("version", false, "print the module version and VCS revision novugen was built from, and exit")
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
	if *showVersion {
		fmt.Fprintln(stdout, version.Line("novugen"))
		return 0
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
	if err := checkDirs(patterns, len(fs.Args()) == 0); err != nil {
		fmt.Fprintf(stderr, "novugen: %v\n%s\n", err, usage)
		return 2
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

// checkDirs makes a package argument that names a directory without Go
// files, or no directory at all, a usage error that says what to pass:
// go/packages would fail with "no Go files in ...", which reads like a
// problem of the code rather than of the command line. It looks only at
// arguments that are directories (., ./x, ../x, /x, without ...); import
// paths and patterns are go/packages' to resolve. implicit says that no
// argument was given and "." stands in for it.
func checkDirs(patterns []string, implicit bool) error {
	const what = "pass the directory of the package that declares the workflows, e.g. novugen -out gen ./workflows (or . in that directory, as a //go:generate line does)"
	for _, p := range patterns {
		if strings.Contains(p, "...") || !(p == "." || p == ".." || filepath.IsAbs(p) ||
			strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../")) {
			continue
		}
		fi, err := os.Stat(p)
		switch {
		case err != nil && os.IsNotExist(err):
			return fmt.Errorf("%s: no such directory; %s", p, what)
		case err != nil:
			return err
		case !fi.IsDir():
			return fmt.Errorf("%s is a file, not a package directory; %s", p, what)
		}
		files, err := filepath.Glob(filepath.Join(p, "*.go"))
		if err != nil {
			return err
		}
		if slices.ContainsFunc(files, func(f string) bool { return !strings.HasSuffix(f, "_test.go") }) {
			continue
		}
		if implicit {
			return fmt.Errorf("no package given, and the current directory (%s) has no Go files to read; %s", mustAbs(p), what)
		}
		return fmt.Errorf("%s: no Go files in %s; %s", p, mustAbs(p), what)
	}
	return nil
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
