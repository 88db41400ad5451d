package generate

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/template"

	"github.com/novugen/novugen/entry"
)

//go:embed probe.tmpl
var probeTemplates string

// probeTmpl renders the probe's main package ("main") and the accessor
// files of unexported variables ("accessors").
var probeTmpl = template.Must(template.New("probe").Parse(probeTemplates))

// probe is the second stage of loading (ent's): payload schemas need real
// reflect.Types, so a throwaway main (probe.tmpl) imports the declaring
// packages, runs each workflow through entry.Of (its definition, payload
// schema, problems and positions) and writes the reports with
// entry.Marshal, which probe reads back with entry.Unmarshal: one type at
// both ends. It is compiled inside the
// user's module, with that module's go.mod as is, and removed afterwards,
// also when ctx is cancelled (an interrupt): the build and the run are
// killed, and the deferred removal still runs.
//
// Another package cannot name an unexported variable, so for those the
// build adds, through -overlay (nothing is written into the user's
// directories), a file to the declaring package with an exported function
// that returns the variable.
func probe(ctx context.Context, l *loaded) ([]entry.Report, error) {
	dir, err := os.MkdirTemp(l.modRoot, ".novugen-")
	if err != nil {
		return nil, fmt.Errorf("creating the probe directory: %w", err)
	}
	defer os.RemoveAll(dir)

	if err := renderFile(filepath.Join(dir, "main.go"), "main", newProbeData(l.vars)); err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(l.modRoot, filepath.Join(dir, "main.go"))
	if err != nil {
		return nil, err
	}
	// Built, then run, rather than go run: cancelling go run would leave
	// the program it started running, since go run outlives an interrupt
	// to wait for it. A file argument rather than a package path: the
	// directory's leading dot keeps it out of ./... patterns and makes it
	// no valid import path.
	exe := filepath.Join(dir, "probe")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	args := []string{"build", "-o", exe}
	if overlay, err := writeAccessors(dir, l.vars); err != nil {
		return nil, err
	} else if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	pkgs := strings.Join(pkgPaths(l.vars), ", ")
	build := exec.CommandContext(ctx, "go", append(args, "./"+filepath.ToSlash(rel))...)
	build.Dir = l.modRoot
	if msg, err := output(ctx, build); err != nil {
		return nil, fmt.Errorf("building the probe for %s failed:\n%s", pkgs, msg)
	}
	out := filepath.Join(dir, "reports.json")
	run := exec.CommandContext(ctx, exe, out)
	run.Dir = l.modRoot
	if msg, err := output(ctx, run); err != nil {
		return nil, fmt.Errorf("running the declarations in %s failed:\n%s", pkgs, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("reading the probe's reports: %w", err)
	}
	reports, err := entry.Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("decoding the probe's reports: %w", err)
	}
	if len(reports) != len(l.vars) {
		return nil, fmt.Errorf("the probe reported %d workflows, want %d", len(reports), len(l.vars))
	}
	return reports, nil
}

// writeAccessors writes, into the probe directory dir, the accessor files
// of the unexported variables in vars and the overlay file that puts each
// into its package's directory, and returns the overlay file's name; ""
// when every variable is exported.
func writeAccessors(dir string, vars []workflowVar) (string, error) {
	byDir := map[string]*accessorData{} // by package directory
	var dirs []string
	for _, v := range vars {
		if v.accessor == "" {
			continue
		}
		a, ok := byDir[v.dir]
		if !ok {
			a = &accessorData{Package: v.pkgName}
			byDir[v.dir] = a
			dirs = append(dirs, v.dir)
		}
		a.Vars = append(a.Vars, probeVar{Name: v.name, Accessor: v.accessor})
	}
	if len(dirs) == 0 {
		return "", nil
	}
	replace := map[string]string{}
	for i, d := range dirs {
		src := filepath.Join(dir, fmt.Sprintf("access%d.go", i))
		if err := renderFile(src, "accessors", byDir[d]); err != nil {
			return "", err
		}
		replace[filepath.Join(d, freeName(d, "novugen_probe_access"))] = src
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlay, data, 0o644); err != nil {
		return "", fmt.Errorf("writing the probe: %w", err)
	}
	return overlay, nil
}

// freeName returns base.go, or base2.go, ..., whichever does not exist in
// dir: the overlay adds a file; it must not replace one of the user's.
func freeName(dir, base string) string {
	name := base + ".go"
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(dir, name)); os.IsNotExist(err) {
			return name
		}
		name = fmt.Sprintf("%s%d.go", base, i)
	}
}

// output runs cmd and returns what it printed, stdout and stderr together:
// the user's init code may print, and must not corrupt the reports, which
// go to a file. On failure the text says why: the output, the exit status,
// or the interrupt that stopped it.
func output(ctx context.Context, cmd *exec.Cmd) (string, error) {
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	if err == nil {
		return "", nil
	}
	why := err.Error() // exit status 2, signal: killed
	if ctx.Err() != nil {
		why = "interrupted"
	}
	return strings.TrimSpace(strings.TrimSpace(buf.String()) + "\n" + why), err
}

// pkgPaths returns the import paths of the packages that declare vars,
// sorted.
func pkgPaths(vars []workflowVar) []string {
	var paths []string
	for _, v := range vars {
		if !slices.Contains(paths, v.pkgPath) {
			paths = append(paths, v.pkgPath)
		}
	}
	slices.Sort(paths)
	return paths
}

// probeData is what probe.tmpl's "main" renders: every import path is
// quoted by the template, and every name is a Go identifier.
type probeData struct {
	DSL, Entry string // import paths
	Accessors  bool   // some variable is read through an accessor (dsl is imported)
	Packages   []probePackage
	Vars       []probeVar
}

type probePackage struct{ Alias, Path string }

// probeVar is a workflow variable: read by Name, or, unexported, through
// the function Accessor of its package.
type probeVar struct{ Alias, Name, Accessor string }

// accessorData is what probe.tmpl's "accessors" renders for one package.
type accessorData struct {
	Package string
	Vars    []probeVar
}

func newProbeData(vars []workflowVar) probeData {
	d := probeData{DSL: dslPath, Entry: entryPath}
	alias := map[string]string{}
	for _, path := range pkgPaths(vars) { // sorted, as gofmt sorts imports
		alias[path] = fmt.Sprintf("p%d", len(alias))
		d.Packages = append(d.Packages, probePackage{Alias: alias[path], Path: path})
	}
	for _, v := range vars {
		d.Vars = append(d.Vars, probeVar{Alias: alias[v.pkgPath], Name: v.name, Accessor: v.accessor})
		d.Accessors = d.Accessors || v.accessor != ""
	}
	return d
}

// renderFile writes probe.tmpl's template name, executed with data, to file.
func renderFile(file, name string, data any) error {
	var b bytes.Buffer
	if err := probeTmpl.ExecuteTemplate(&b, name, data); err != nil {
		return fmt.Errorf("rendering the probe: %w", err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the probe: %w", err)
	}
	return nil
}
