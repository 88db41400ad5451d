package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/payloadschema"
)

// payloadschemaPath is the import path of package payloadschema, found like dslPath.
var payloadschemaPath = reflect.TypeFor[payloadschema.Options]().PkgPath()

// report is what the probe prints for one workflow variable: everything only
// running the declaration can tell.
type report struct {
	Definition  dsl.Definition  `json:"definition"`
	Problems    []dsl.Problem   `json:"problems"`
	Positions   dsl.Positions   `json:"positions"`
	PayloadType string          `json:"payloadType"`
	Schema      json.RawMessage `json:"schema"`
	Warnings    []string        `json:"warnings"`
	// SchemaErrors are the reasons the payload type cannot become a
	// schema, one a field (payloadschema.UnsupportedError).
	SchemaErrors []schemaError `json:"schemaErrors"`
}

// schemaError is one payloadschema.UnsupportedError: Field is the Go path
// to the fault (OrderPayload.Items[].Parent), Reason what is wrong there.
// Steps is Field after the payload struct's name (.Items[].Parent), which
// only the probe can cut off reliably: it has the reflect.Type that
// payloadschema named, and the name may itself hold dots and brackets.
type schemaError struct {
	Field  string `json:"field"`
	Steps  string `json:"steps"`
	Reason string `json:"reason"`
}

// probe is the second stage of loading (ent's): payload schemas need real
// reflect.Types, so a throwaway main imports the declaring packages, asks
// each workflow for its definition, problems and positions, builds its
// payload schema, and writes the lot as JSON. It is compiled inside the
// user's module, with that module's go.mod as is, and removed afterwards,
// also when ctx is cancelled (an interrupt): the build and the run are
// killed, and the deferred removal still runs.
//
// Another package cannot name an unexported variable, so for those the
// build adds, through -overlay (nothing is written into the user's
// directories), a file to the declaring package with an exported function
// that returns the variable.
func probe(ctx context.Context, l *loaded) ([]report, error) {
	dir, err := os.MkdirTemp(l.modRoot, ".novugen-")
	if err != nil {
		return nil, fmt.Errorf("creating the probe directory: %w", err)
	}
	defer os.RemoveAll(dir)

	if err := os.WriteFile(filepath.Join(dir, "main.go"), probeSource(l.vars), 0o644); err != nil {
		return nil, fmt.Errorf("writing the probe: %w", err)
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
	pkgs := strings.Join(l.pkgPaths(), ", ")
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
	var reports []report
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&reports); err != nil {
		return nil, fmt.Errorf("decoding the probe's reports: %w", err)
	}
	if len(reports) != len(l.vars) {
		return nil, fmt.Errorf("the probe reported %d workflows, want %d", len(reports), len(l.vars))
	}
	for i := range reports {
		if err := reports[i].unquote(); err != nil {
			return nil, fmt.Errorf("decoding the probe's reports: %s: %w", l.vars[i].name, err)
		}
	}
	return reports, nil
}

// unquote undoes the probe's exact: the strings of the definition, and the
// steps problems name, come back byte for byte as declared, invalid UTF-8
// included, for internal/validate to find.
func (r *report) unquote() error {
	var failed error
	un := func(s *string) {
		if failed != nil {
			return
		}
		u, err := strconv.Unquote(*s)
		if err != nil {
			failed = fmt.Errorf("%s is not a quoted string", *s)
			return
		}
		*s = u
	}
	d := &r.Definition
	un(&d.WorkflowID)
	un(&d.Name)
	un(&d.Description)
	for i := range d.Tags {
		un(&d.Tags[i])
	}
	for i := range d.Steps {
		s := &d.Steps[i]
		un(&s.StepID)
		un(&s.Name)
		if s.ControlValues != nil {
			v, err := unquoteAll(s.ControlValues)
			if err != nil && failed == nil {
				failed = err
			}
			s.ControlValues, _ = v.(map[string]any)
		}
	}
	for i := range r.Problems {
		un(&r.Problems[i].Step)
	}
	return failed
}

func unquoteAll(v any) (any, error) {
	switch v := v.(type) {
	case string:
		u, err := strconv.Unquote(v)
		if err != nil {
			return nil, fmt.Errorf("%s is not a quoted string", v)
		}
		return u, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			uk, err := strconv.Unquote(k)
			if err != nil {
				return nil, fmt.Errorf("key %s is not a quoted string", k)
			}
			if out[uk], err = unquoteAll(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			var err error
			if out[i], err = unquoteAll(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

// writeAccessors writes, into the probe directory dir, the accessor files
// of the unexported variables in vars and the overlay file that puts each
// into its package's directory, and returns the overlay file's name; ""
// when every variable is exported.
func writeAccessors(dir string, vars []workflowVar) (string, error) {
	srcs := map[string]*bytes.Buffer{} // by package directory
	var dirs []string
	for _, v := range vars {
		if v.accessor == "" {
			continue
		}
		b, ok := srcs[v.dir]
		if !ok {
			b = new(bytes.Buffer)
			fmt.Fprintf(b, "// Code generated by novugen for one run, and removed after it.\n\npackage %s\n", v.pkgName)
			srcs[v.dir] = b
			dirs = append(dirs, v.dir)
		}
		// any, not dsl.Declaration: an import could clash with the
		// package's own names, which share the file's scope.
		fmt.Fprintf(b, "\nfunc %s() any { return %s }\n", v.accessor, v.name)
	}
	if len(dirs) == 0 {
		return "", nil
	}
	replace := map[string]string{}
	for i, d := range dirs {
		src := filepath.Join(dir, fmt.Sprintf("access%d.go", i))
		if err := os.WriteFile(src, srcs[d].Bytes(), 0o644); err != nil {
			return "", fmt.Errorf("writing the probe: %w", err)
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

// pkgPaths returns the import paths of the packages that declare workflows,
// sorted.
func (l *loaded) pkgPaths() []string {
	var paths []string
	for _, v := range l.vars {
		if !slices.Contains(paths, v.pkgPath) {
			paths = append(paths, v.pkgPath)
		}
	}
	slices.Sort(paths)
	return paths
}

// probeSource returns the probe's main package for vars.
func probeSource(vars []workflowVar) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by novugen for one run, and removed after it.\n\npackage main\n\nimport (\n")
	b.WriteString("\t\"encoding/json\"\n\t\"errors\"\n\t\"fmt\"\n\t\"os\"\n\t\"reflect\"\n\t\"strconv\"\n\t\"strings\"\n\n")
	fmt.Fprintf(&b, "\tdsl %q\n\tpayloadschema %q\n", dslPath, payloadschemaPath)
	alias := map[string]string{}
	for _, v := range vars {
		if _, ok := alias[v.pkgPath]; !ok {
			alias[v.pkgPath] = fmt.Sprintf("p%d", len(alias))
			fmt.Fprintf(&b, "\t%s %q\n", alias[v.pkgPath], v.pkgPath)
		}
	}
	b.WriteString(`)

type report struct {
	Definition  dsl.Definition  ` + "`json:\"definition\"`" + `
	Problems    []dsl.Problem   ` + "`json:\"problems\"`" + `
	Positions   dsl.Positions   ` + "`json:\"positions\"`" + `
	PayloadType string          ` + "`json:\"payloadType\"`" + `
	Schema      json.RawMessage ` + "`json:\"schema\"`" + `
	Warnings    []string        ` + "`json:\"warnings\"`" + `
	SchemaErrors []schemaError  ` + "`json:\"schemaErrors\"`" + `
}

type schemaError struct {
	Field  string ` + "`json:\"field\"`" + `
	Steps  string ` + "`json:\"steps\"`" + `
	Reason string ` + "`json:\"reason\"`" + `
}

// steps cuts the payload struct's name, as payloadschema starts a field
// path with it, off field; "" when the fault is the payload type itself.
func steps(t reflect.Type, field string) string {
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return ""
	}
	name := t.Name()
	if name == "" {
		name = t.String()
	}
	rest, _ := strings.CutPrefix(field, name)
	return rest
}

// exact quotes every string of d a declaration sets, so that bytes that
// are not UTF-8 reach novugen as written: encoding/json would turn each
// into U+FFFD. novugen unquotes them before checking.
func exact(d dsl.Definition) dsl.Definition {
	d.WorkflowID = strconv.Quote(d.WorkflowID)
	d.Name = strconv.Quote(d.Name)
	d.Description = strconv.Quote(d.Description)
	for i := range d.Tags {
		d.Tags[i] = strconv.Quote(d.Tags[i])
	}
	for i := range d.Steps {
		s := &d.Steps[i]
		s.StepID = strconv.Quote(s.StepID)
		s.Name = strconv.Quote(s.Name)
		if s.ControlValues != nil {
			s.ControlValues = quoteAll(s.ControlValues).(map[string]any)
		}
	}
	return d
}

func quoteAll(v any) any {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[strconv.Quote(k)] = quoteAll(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = quoteAll(e)
		}
		return out
	}
	return v
}

func probe(d dsl.Declaration) (r report) {
	r.Definition = exact(d.Definition())
	r.Problems = d.Problems()
	for i := range r.Problems {
		r.Problems[i].Step = strconv.Quote(r.Problems[i].Step)
	}
	r.Positions = d.Positions()
	t := d.PayloadType()
	r.PayloadType = fmt.Sprint(t)
	s, err := payloadschema.Generate(t, payloadschema.Options{Strict: d.StrictPayload()})
	if err != nil {
		var list payloadschema.UnsupportedErrors
		var one *payloadschema.UnsupportedError
		switch {
		case errors.As(err, &list):
		case errors.As(err, &one):
			list = payloadschema.UnsupportedErrors{one}
		default:
			r.SchemaErrors = []schemaError{{Reason: err.Error()}}
		}
		for _, e := range list {
			r.SchemaErrors = append(r.SchemaErrors, schemaError{Field: e.Field, Steps: steps(t, e.Field), Reason: e.Reason})
		}
		return r
	}
	r.Schema, r.Warnings = s.JSON, s.Warnings
	return r
}

func main() {
	reports := []report{
`)
	for _, v := range vars {
		if v.accessor != "" {
			fmt.Fprintf(&b, "\t\tprobe(%s.%s().(dsl.Declaration)),\n", alias[v.pkgPath], v.accessor)
			continue
		}
		fmt.Fprintf(&b, "\t\tprobe(%s.%s),\n", alias[v.pkgPath], v.name)
	}
	b.WriteString(`	}
	data, err := json.Marshal(reports)
	if err != nil {
		fmt.Fprintln(os.Stderr, "novugen probe:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "novugen probe:", err)
		os.Exit(1)
	}
}
`)
	return b.Bytes()
}
