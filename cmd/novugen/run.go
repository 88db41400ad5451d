package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/cli"
	"github.com/novugen/novugen/internal/generate"
	"github.com/novugen/novugen/internal/version"
)

const usage = "usage: novugen [-out dir] [-check] [-preview dir] [-version] [package ...]\n       novugen import -out dir [-only id,...] [-force]"

// run is the whole command but its signal handling, so tests can call it:
// args without the program name, environ as os.Environ gives it (only
// import reads it). It returns the exit status (0 success, 1 findings or
// failure, 2 usage). Cancelling ctx stops the generation.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "import" {
		env := cli.EnvMap(environ)
		return runImport(ctx, args[1:], func(k string) string { return env[k] }, stdout, stderr)
	}
	fs := flag.NewFlagSet("novugen", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // our own messages, prefixed with the tool's name
	out := fs.String("out", "", "output `dir` (default: gen under the module root)")
	check := fs.Bool("check", false, "compare the output with -out, write nothing; exit 1 with a diff when stale")
	preview := fs.String("preview", "", "also write each step rendered with each example to `dir` (index.html links them)")
	showVersion := fs.Bool("version", false, "print the module version and VCS revision novugen was built from, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return cli.ExitOK
		}
		fmt.Fprintf(stderr, "novugen: %v\n%s\n", err, usage)
		return cli.ExitUsage
	}
	if *showVersion {
		fmt.Fprintln(stdout, version.Line("novugen"))
		return cli.ExitOK
	}
	if *out != "" {
		if _, err := generate.PackageName(*out); err != nil {
			fmt.Fprintf(stderr, "novugen: %v\n", err)
			return cli.ExitUsage
		}
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	if err := checkDirs(patterns, len(fs.Args()) == 0); err != nil {
		fmt.Fprintf(stderr, "novugen: %v\n%s\n", err, usage)
		return cli.ExitUsage
	}

	g, err := generate.Generate(ctx, generate.Config{Patterns: patterns, Out: *out})
	if err != nil {
		fmt.Fprintf(stderr, "novugen: %v\n", err)
		return cli.ExitFailure
	}
	for _, msg := range g.Messages() {
		fmt.Fprintln(stderr, msg)
	}
	if g.Failed() {
		return cli.ExitFailure
	}
	if *preview != "" {
		if err := generate.WritePreview(*preview, g); err != nil {
			fmt.Fprintf(stderr, "novugen: -preview: %v\n", err)
			return cli.ExitFailure
		}
	}
	if *check {
		d, err := generate.Diff(g.Dir, g.Display, g.Files)
		if err != nil {
			fmt.Fprintf(stderr, "novugen: %v\n", err)
			return cli.ExitFailure
		}
		if len(d) > 0 {
			fmt.Fprintf(stderr, "novugen: %s is out of date; run go generate\n", g.Display)
			stderr.Write(d)
			return cli.ExitFailure
		}
		return cli.ExitOK
	}
	if err := generate.Write(g.Dir, g.Files); err != nil {
		fmt.Fprintf(stderr, "novugen: writing %s: %v\n", g.Display, err)
		return cli.ExitFailure
	}
	return cli.ExitOK
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
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		if implicit {
			return fmt.Errorf("no package given, and the current directory (%s) has no Go files to read; %s", abs, what)
		}
		return fmt.Errorf("%s: no Go files in %s; %s", p, abs, what)
	}
	return nil
}
