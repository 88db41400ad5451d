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
	"github.com/novugen/novugen/internal/importer"
	"github.com/novugen/novugen/internal/novu"
)

const importUsage = "usage: novugen import -out dir [-only id,...] [-force]"

// runImport is novugen import: it reads the workflows of NOVU_SECRET_KEY's
// environment and writes one Go file per workflow into -out. It returns
// the exit status: 0 when every selected workflow was written, 1 when one
// could not be read, expressed or written (the others are still written),
// 2 for a usage error.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("novugen import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "the package `dir` to write into (created when missing)")
	only := fs.String("only", "", "import only these workflows: comma-separated `ids`")
	force := fs.Bool("force", false, "overwrite files that exist")
	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "novugen import: %s\n%s\n", fmt.Sprintf(format, args...), importUsage)
		return cli.ExitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, importUsage)
			fmt.Fprintln(stdout, "\nEnvironment: NOVU_SECRET_KEY (the key of the environment to read), NOVU_API_URL (default "+novu.DefaultBaseURL+")")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return cli.ExitOK
		}
		return usageErr("%v", err)
	}
	env, envErr := novu.ReadEnv(getenv)
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case *out == "":
		return usageErr("-out is required: the directory of the package that will declare the workflows, e.g. -out workflows")
	case env.Key == "":
		return usageErr("%v", novu.NoKeyError("the secret key of the environment to import from"))
	}
	var ids []string
	if s := strings.TrimSpace(*only); s != "" {
		for id := range strings.SplitSeq(s, ",") {
			if id = strings.TrimSpace(id); id == "" {
				return usageErr("-only %q: empty workflow id", *only)
			}
			ids = append(ids, id)
		}
	}

	if envErr != nil {
		return usageErr("%v", envErr)
	}
	client, err := novu.New(novu.Config{BaseURL: env.BaseURL, Key: env.Key})
	if err != nil {
		return usageErr("%v", err)
	}
	ws, failed := readWorkflows(ctx, client, ids, stderr)

	// The files the import writes do not count as taken names when they
	// may be replaced: a second -force run gives the same names.
	planned := map[string]bool{}
	read := make([]string, len(ws))
	for i, w := range ws {
		read[i] = w.WorkflowID
	}
	for _, n := range importer.FileNames(read) {
		planned[n] = true
	}
	pkg, taken, err := importer.Package(*out, func(name string) bool { return *force && planned[name] })
	if err != nil {
		fmt.Fprintf(stderr, "novugen import: %v\n", err)
		return cli.ExitFailure
	}
	files, errs := importer.Import(ws, pkg, taken)
	for _, e := range errs {
		fmt.Fprintf(stderr, "novugen import: %v\n", e)
	}
	failed = failed || len(errs) > 0
	if len(files) > 0 {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			fmt.Fprintf(stderr, "novugen import: %v\n", err)
			return cli.ExitFailure
		}
	}
	for _, f := range files {
		path := filepath.Join(*out, f.Name)
		if _, err := os.Stat(path); err == nil && !*force {
			fmt.Fprintf(stderr, "novugen import: workflow %q: %s exists; pass -force to overwrite it\n", f.WorkflowID, path)
			failed = true
			continue
		}
		if err := os.WriteFile(path, f.Source, 0o644); err != nil {
			fmt.Fprintf(stderr, "novugen import: workflow %q: %v\n", f.WorkflowID, err)
			failed = true
			continue
		}
		for _, n := range f.Notes {
			fmt.Fprintf(stderr, "novugen import: note: %s\n", n)
		}
		fmt.Fprintf(stdout, "%s: workflow %q as %s\n", path, f.WorkflowID, f.Var)
	}
	if failed {
		return cli.ExitFailure
	}
	return cli.ExitOK
}

// readWorkflows lists the environment's workflows and reads each one (or
// only those in ids), sorted by workflowId. A workflow that cannot be read
// is reported and left out; failed says so.
func readWorkflows(ctx context.Context, c *novu.Client, ids []string, stderr io.Writer) (ws []novu.Workflow, failed bool) {
	list, err := c.ListWorkflows(ctx, novu.ListOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "novugen import: listing workflows: %v\n", err)
		return nil, true
	}
	var want []string
	for _, s := range list {
		if len(ids) == 0 || slices.Contains(ids, s.WorkflowID) {
			want = append(want, s.WorkflowID)
		}
	}
	for _, id := range ids {
		if !slices.Contains(want, id) {
			fmt.Fprintf(stderr, "novugen import: -only: no workflow %q in the environment\n", id)
			failed = true
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	for _, id := range want {
		w, err := c.GetWorkflow(ctx, id, "")
		if err != nil {
			fmt.Fprintf(stderr, "novugen import: workflow %q: %v\n", id, err)
			failed = true
			continue
		}
		ws = append(ws, *w)
	}
	return ws, failed
}
