package workflows_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"iter"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/workflows"
)

// all is every workflow the package declares, as go generate found them:
// a new one is covered here without being listed, and
// TestEveryDeclarationIsGenerated fails when gen has not caught up with the
// package's source.
var all = gen.Declarations

func TestExamplesAreWellBuilt(t *testing.T) {
	for _, w := range all {
		if p := w.Problems(); len(p) != 0 {
			t.Errorf("%s: problems: %v", w.Definition().WorkflowID, p)
		}
	}
}

// The examples are what the documents name; their ids and step order are
// the contract with the services that trigger them.
func TestExampleShapes(t *testing.T) {
	type step struct {
		ID   string
		Type dsl.StepType
	}
	want := map[string][]step{
		"payout-initiated": {{"notice", dsl.TypeInApp}, {"receipt", dsl.TypeEmail}},
		"weekly-digest":    {{"collect", dsl.TypeDigest}, {"summary", dsl.TypeEmail}},
		"order-shipped":    {{"shipped", dsl.TypeInApp}, {"wait-for-carrier", dsl.TypeDelay}, {"details", dsl.TypeEmail}},
	}
	got := map[string][]step{}
	for _, w := range all {
		d := w.Definition()
		if !d.Active {
			t.Errorf("%s is not active", d.WorkflowID)
		}
		for _, s := range d.Steps {
			got[d.WorkflowID] = append(got[d.WorkflowID], step{s.StepID, s.Type})
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("workflows (-want +got):\n%s", diff)
	}
}

// payloadRef finds payload references in templates ({{ payload.a.b }},
// {% for x in payload.items %}, {% if payload.x %}) and skip conditions.
// A payload preceded by a dot is a digested event's (e.payload.title), not
// the trigger's.
var payloadRef = regexp.MustCompile(`(?:^|[^.\w])payload((?:\.\w+)+)`)

// TestExamplesReferOnlyToPayloadFields is the examples' own guard, which
// needs no generator (workflows imports only dsl): an example that names a
// field its payload lacks would teach the wrong thing. go generate checks
// every template fully with internal/validate.
func TestExamplesReferOnlyToPayloadFields(t *testing.T) {
	refs := 0
	for _, w := range all {
		d := w.Definition()
		for _, s := range d.Steps {
			for _, text := range texts(s.ControlValues) {
				for _, m := range payloadRef.FindAllStringSubmatch(text, -1) {
					refs++
					if !hasPath(w.PayloadType(), strings.Split(m[1][1:], ".")) {
						t.Errorf("%s step %s: payload%s names no field of %v", d.WorkflowID, s.StepID, m[1], w.PayloadType())
					}
				}
			}
		}
	}
	if refs < 20 {
		t.Errorf("found only %d payload references; is the pattern broken?", refs)
	}
}

func TestDigestEventsReferOnlyToPayloadFields(t *testing.T) {
	d := workflows.WeeklyDigest.Definition()
	body := d.Steps[1].ControlValues["body"].(string)
	refs := regexp.MustCompile(`\be\.payload\.([A-Za-z0-9_]+)`).FindAllStringSubmatch(body, -1)
	if len(refs) == 0 {
		t.Fatal("the digest email reads no event fields")
	}
	for _, m := range refs {
		if !hasPath(workflows.WeeklyDigest.PayloadType(), []string{m[1]}) {
			t.Errorf("e.payload.%s names no field of WeeklyDigestPayload", m[1])
		}
	}
}

// texts returns every string inside a control value, nested ones too: an
// object's values and a list's items alike.
func texts(v any) []string {
	var inside iter.Seq[any]
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		inside = maps.Values(v)
	case []any:
		inside = slices.Values(v)
	default:
		return nil
	}
	var out []string
	for e := range inside {
		out = append(out, texts(e)...)
	}
	return out
}

// hasPath follows json names through structs, pointers and slices.
func hasPath(t reflect.Type, path []string) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if len(path) == 0 {
		return true
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == path[0] {
			return hasPath(f.Type, path[1:])
		}
	}
	return false
}

// TestEveryDeclarationIsGenerated reads the package's source for the
// workflows it declares (package-level variables set by dsl.Define) and
// requires gen to hold each, so that the tests above, which iterate over
// gen, cannot miss one that go generate has not yet been run for.
func TestEveryDeclarationIsGenerated(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					id, err := definedID(v)
					if err != nil {
						t.Errorf("%s: %v", fset.Position(v.Pos()), err)
					} else if id != "" {
						declared = append(declared, id)
					}
				}
			}
		}
	}
	slices.Sort(declared)
	if len(declared) == 0 {
		t.Fatal("found no dsl.Define in the package's source; is the search broken?")
	}
	if !slices.Equal(declared, gen.IDs) {
		t.Errorf("the source declares %v, gen holds %v: run go generate ./...", declared, gen.IDs)
	}
}

// definedID returns the workflowId of a dsl.Define[P]("id", ...) call,
// examples added or not, "" when e is not one.
func definedID(e ast.Expr) (string, error) {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return "", nil
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "WithExamples" {
		return definedID(sel.X)
	}
	fun := call.Fun
	if ix, ok := fun.(*ast.IndexExpr); ok {
		fun = ix.X
	}
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Define" {
		return "", nil
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "dsl" {
		return "", nil
	}
	if len(call.Args) == 0 {
		return "", errors.New("dsl.Define without arguments")
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", errors.New("dsl.Define's workflowId is not a string literal; this test cannot tell which workflow it declares")
	}
	return strconv.Unquote(lit.Value)
}

// TestEveryWorkflowHasExamples: the catalog and the previews show each
// workflow with a payload of its own; go generate has checked them against
// the schema.
func TestEveryWorkflowHasExamples(t *testing.T) {
	for _, w := range all {
		if len(w.Examples()) == 0 {
			t.Errorf("%s has no examples: add them with WithExamples", w.Definition().WorkflowID)
		}
	}
}
