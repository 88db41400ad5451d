// Package importer turns workflows read from Novu into Go source declaring
// them with package dsl: one file per workflow, a payload type built from
// the workflow's payload schema and the dsl.Define value with every setting
// and every step's controls. It is the library behind novugen import.
//
// The promise is a round trip: the imported source, run through go generate,
// gives a registry entry that cmd/apply finds unchanged against the
// workflow it was read from. What the dsl cannot say is an *Error naming
// workflow, step and field, and that workflow is not imported: a file that
// would lose something silently is worse than none.
package importer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/novugen/novugen/internal/goname"
	"github.com/novugen/novugen/internal/novu"
)

const dslPath = "github.com/novugen/novugen/dsl"

func dsl(name string) *jen.Statement { return jen.Qual(dslPath, name) }

// File is the Go source of one imported workflow.
type File struct {
	WorkflowID string
	Name       string // file name, e.g. order_shipped.go
	Var        string // the workflow variable, e.g. OrderShipped
	Source     []byte // gofmt'd
	// Notes are what the Go types keep only as comments and tags (enums,
	// formats, patterns), one line each, naming the field, and the
	// ownership tags left out.
	Notes []string
}

// Error is a part of a workflow the dsl cannot express.
type Error struct {
	WorkflowID string
	Step       string // stepId; empty for the workflow itself
	Field      string // control, setting or payload path
	Msg        string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "workflow %q", e.WorkflowID)
	if e.Step != "" {
		fmt.Fprintf(&b, ", step %q", e.Step)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", %s", e.Field)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Package reads the package in dir, if any: its name (the directory's base
// name when it has no Go files) and every top-level name it declares, so
// imported names never collide with them. Files the import would replace
// (skip) are left out of the names.
func Package(dir string, skip func(file string) bool) (name string, taken map[string]bool, err error) {
	taken = map[string]bool{}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return "", nil, err
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || skip(filepath.Base(f)) {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return "", nil, err
		}
		name = af.Name.Name
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					taken[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						taken[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							taken[n.Name] = true
						}
					}
				}
			}
		}
	}
	if name == "" {
		abs, err := filepath.Abs(dir) // "." names the current directory
		if err != nil {
			return "", nil, err
		}
		name = filepath.Base(abs)
	}
	if !token.IsIdentifier(name) || token.IsKeyword(name) {
		return "", nil, fmt.Errorf("%s: its base name %q is not a Go package name", dir, name)
	}
	return name, taken, nil
}

// FileName is the file a workflow is written to: its workflowId in lower
// case, with every run of other characters than letters and digits as one
// underscore (order-shipped → order_shipped.go). A name go build would
// ignore or treat specially (_test, a leading _ or .) is kept out.
func FileName(workflowID string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(workflowID) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			continue
		}
		under = true
	}
	n := b.String()
	if n == "" {
		n = "workflow"
	}
	if strings.HasSuffix(n, "_test") {
		n += "_workflow"
	}
	for _, goos := range []string{"_linux", "_windows", "_darwin", "_js", "_wasm", "_amd64", "_arm64", "_386", "_arm"} {
		if strings.HasSuffix(n, goos) {
			n += "_workflow"
			break
		}
	}
	return n + ".go"
}

// FileNames are the files of the workflows, in their order: FileName's,
// with _2, _3, ... added where two workflowIds give the same name
// (order-shipped and order_shipped).
func FileNames(workflowIDs []string) []string {
	used := map[string]bool{}
	out := make([]string, len(workflowIDs))
	for i, id := range workflowIDs {
		base := strings.TrimSuffix(FileName(id), ".go")
		n := base + ".go"
		for j := 2; used[n]; j++ {
			n = base + "_" + strconv.Itoa(j) + ".go"
		}
		used[n] = true
		out[i] = n
	}
	return out
}

// Import writes the source of each workflow into package pkg. taken holds
// the names the package already declares; the names Import gives are added
// to it. Workflows are handled in the order given; one that cannot be
// expressed adds its errors and no file.
func Import(ws []novu.Workflow, pkg string, taken map[string]bool) ([]File, []error) {
	var files []File
	var errs []error
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.WorkflowID
	}
	names := FileNames(ids)
	for i := range ws {
		f, werrs := importOne(&ws[i], pkg, taken)
		if len(werrs) > 0 {
			errs = append(errs, werrs...)
			continue
		}
		f.Name = names[i]
		files = append(files, f)
	}
	return files, errs
}

// importer holds one workflow's import.
type importer struct {
	wf    *novu.Workflow
	step  string
	errs  []error
	notes []string
	taken map[string]bool
	mine  map[string]bool // names given in this workflow, released on failure
	decls []jen.Code      // payload types, outermost first

	inferred bool // the payload type is inferred: the workflow sends no schema
}

func (im *importer) fail(field, format string, args ...any) {
	im.errs = append(im.errs, &Error{WorkflowID: im.wf.WorkflowID, Step: im.step, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (im *importer) note(field, format string, args ...any) {
	im.notes = append(im.notes, fmt.Sprintf("workflow %q, payload field %s: %s", im.wf.WorkflowID, field, fmt.Sprintf(format, args...)))
}

// name reserves a Go name for base, adding a number on a collision.
func (im *importer) name(base string) string {
	n := base
	for i := 2; im.taken[n]; i++ {
		n = base + strconv.Itoa(i)
	}
	im.taken[n] = true
	im.mine[n] = true
	return n
}

func importOne(wf *novu.Workflow, pkg string, taken map[string]bool) (File, []error) {
	im := &importer{wf: wf, taken: taken, mine: map[string]bool{}}
	varName := im.name(goname.Exported(wf.WorkflowID, "Workflow"))
	payloadName := im.name(strings.TrimSuffix(varName, "Workflow") + "Payload")
	strict := im.payload(payloadName, wf.PayloadSchema)
	settings := im.settings(strict)
	steps := im.steps()
	if len(im.errs) > 0 {
		for n := range im.mine {
			delete(taken, n)
		}
		return File{}, im.errs
	}

	f := jen.NewFile(pkg)
	f.HeaderComment("Imported from Novu by novugen import; edit freely, it is yours now.")
	f.ImportName(dslPath, "dsl")
	for _, d := range im.decls {
		f.Add(d)
		f.Line()
	}
	doc := fmt.Sprintf("%s declares the workflow %q.", varName, wf.WorkflowID)
	if wf.Description != "" {
		doc = fmt.Sprintf("%s declares the workflow %q: %s", varName, wf.WorkflowID, wf.Description)
	}
	f.Comment(doc)
	args := append([]jen.Code{jen.Lit(wf.WorkflowID), settings}, lines(steps)...)
	f.Var().Id(varName).Op("=").Qual(dslPath, "Define").Types(jen.Id(payloadName)).Call(args...)
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return File{}, []error{&Error{WorkflowID: wf.WorkflowID, Msg: fmt.Sprintf("rendering the Go source: %v", err)}}
	}
	return File{WorkflowID: wf.WorkflowID, Var: varName, Source: buf.Bytes(), Notes: im.notes}, nil
}

// lines puts each element on a line of its own, as gofmt keeps a literal
// written that way: {\n a,\n b,\n}.
func lines(items []jen.Code) []jen.Code {
	out := make([]jen.Code, 0, len(items)+1)
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	return append(out, jen.Line())
}

// fields builds a composite literal body of key: value pairs in the order
// given, one a line.
type fields struct{ items []jen.Code }

func (f *fields) add(key string, v jen.Code) {
	f.items = append(f.items, jen.Id(key).Op(":").Add(v))
}

func (f *fields) code() []jen.Code {
	if len(f.items) == 0 {
		return nil
	}
	return lines(f.items)
}
