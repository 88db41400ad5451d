package generate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/draft07"
	liquidrender "github.com/novugen/novugen/internal/render"
)

// checkExamples validates every example payload of w against its payload
// schema as Novu's Ajv would (draft-07, formats asserted): an example Novu
// would refuse shows nothing true in a preview. Each fault is reported at
// the deepest part of the example's literal that the source shows.
func checkExamples(p *positioner, w workflow) []Diagnostic {
	if len(w.rep.Examples) == 0 || len(w.rep.SchemaErrors) > 0 || w.schema == nil {
		return nil
	}
	define := p.position(w.rep.Positions.Workflow, w.v.value, w.v.pos)
	sch, err := draft07.Compile(w.schema)
	if err != nil {
		return []Diagnostic{{Pos: define, Message: w.label("", "") + fmt.Sprintf("payload schema of %s: %v", w.rep.PayloadType, err)}}
	}
	var ds []Diagnostic
	for _, ex := range w.rep.Examples {
		label := w.label("", "") + fmt.Sprintf("example %q: ", ex.Name)
		// Numbers as json.Number, as the validator reads them: an int64
		// does not turn into a float on the way.
		dec := json.NewDecoder(bytes.NewReader(ex.Payload))
		dec.UseNumber()
		var inst any
		if err := dec.Decode(&inst); err != nil {
			ds = append(ds, Diagnostic{Pos: p.examplePosition(ex, w.v.value, nil, define), Message: label + fmt.Sprintf("the payload is not JSON: %v", err)})
			continue
		}
		if _, ok := inst.(map[string]any); !ok {
			ds = append(ds, Diagnostic{Pos: p.examplePosition(ex, w.v.value, nil, define), Message: label + "the payload encodes as " + string(ex.Payload) + ", not a JSON object"})
			continue
		}
		err = sch.Validate(inst)
		if err == nil {
			continue
		}
		faults := draft07.Faults(err)
		if faults == nil {
			ds = append(ds, Diagnostic{Pos: p.examplePosition(ex, w.v.value, nil, define), Message: label + err.Error()})
		}
		for _, f := range faults {
			ds = append(ds, Diagnostic{Pos: p.examplePosition(ex, w.v.value, f.Location, define),
				Message: label + f.Path() + ": " + f.Message + " (the generated payload schema refuses it)"})
		}
	}
	return ds
}

// examplePosition places a fault at location (JSON keys and indexes) in
// the example ex: the WithExamples call's argument, then its Payload
// field, then the fields and elements that lead to the fault, as far as
// the literal spells them out. Go field names match their JSON names but
// for case often enough to follow them by name; where they do not, the
// position stays at the last part found.
func (p *positioner) examplePosition(ex dsl.DeclaredExample, in ast.Node, location []string, fallback token.Position) token.Position {
	call := p.position(ex.Pos, in, fallback)
	c, _ := p.call(ex.Pos, in)
	if c == nil || ex.Arg >= len(c.Args) || c.Ellipsis.IsValid() {
		return call
	}
	at := c.Args[ex.Arg]
	found := at
	if kv := keyIn(at, "Payload"); kv != nil {
		found, at = kv, kv.Value
		for _, seg := range location {
			next := elementIn(at, seg)
			if next == nil {
				break
			}
			found = next
			if kv, ok := next.(*ast.KeyValueExpr); ok {
				at = kv.Value
			} else {
				at = next
			}
		}
	}
	return p.l.fset.Position(found.Pos())
}

// literal returns the composite literal e is, or takes the address of.
func literal(e ast.Expr) *ast.CompositeLit {
	for {
		switch x := e.(type) {
		case *ast.CompositeLit:
			return x
		case *ast.UnaryExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// keyIn returns the key: value of the composite literal e whose key is
// key, ignoring case.
func keyIn(e ast.Expr, key string) *ast.KeyValueExpr {
	lit := literal(e)
	if lit == nil {
		return nil
	}
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && strings.EqualFold(id.Name, key) {
				return kv
			}
			if bl, ok := kv.Key.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if s, err := strconv.Unquote(bl.Value); err == nil && s == key {
					return kv // a map literal
				}
			}
		}
	}
	return nil
}

// elementIn returns what seg names in the literal e: a keyed field or map
// entry, or, for an index, the element at that place of a slice literal.
func elementIn(e ast.Expr, seg string) ast.Expr {
	if kv := keyIn(e, seg); kv != nil {
		return kv
	}
	lit := literal(e)
	n, err := strconv.Atoi(seg)
	if lit == nil || err != nil || n < 0 || n >= len(lit.Elts) {
		return nil
	}
	if _, keyed := lit.Elts[n].(*ast.KeyValueExpr); keyed {
		return nil // [2]T{1: x}: the place is not the index
	}
	return lit.Elts[n]
}

// exampleRun is what rendering a workflow with one example showed: the
// steps whose skip condition holds for it.
type exampleRun struct {
	name    string
	skipped []string
	// steps are the rendered controls of every step, in step order.
	steps []renderedStep
	data  map[string]any // what the templates saw, for the layouts
}

// renderedStep is one step's string controls as the example renders them.
type renderedStep struct {
	controls []stringControl
	skipped  bool
}

// sampleSubscriber stands in for the subscriber in every rendering: the
// attributes Novu gives a template (docs/novu-api.md §8), with values.
var sampleSubscriber = map[string]any{
	"subscriberId": "subscriber-1", "firstName": "Ada", "lastName": "Lovelace",
	"email": "ada@example.com", "phone": "+15555550100", "avatar": "https://example.com/ada.png",
	"locale": "en_US", "data": map[string]any{},
}

// renderExamples renders every string control of every step of w with
// each example through internal/render, the engine Novu's is matched by,
// and evaluates each skip condition on it. A template that does not render
// is an error at its control; the runs say which steps each example skips.
func renderExamples(p *positioner, w workflow, env []string) ([]exampleRun, []Diagnostic) {
	define := p.position(w.rep.Positions.Workflow, w.v.value, w.v.pos)
	var runs []exampleRun
	var ds []Diagnostic
	// A template that fails fails alike with most examples: one diagnostic
	// per control and error, naming the examples.
	type failure struct {
		step         int
		control, err string
	}
	var order []failure
	examples := map[failure][]string{}
	for _, ex := range w.rep.Examples {
		data, err := exampleData(w.def, ex.Payload, env)
		if err != nil {
			ds = append(ds, Diagnostic{Pos: p.examplePosition(ex, w.v.value, nil, define), Message: w.label("", "") + fmt.Sprintf("example %q: %v", ex.Name, err)})
			continue
		}
		run := exampleRun{name: ex.Name, data: data}
		for i, s := range w.def.Steps {
			var rs renderedStep
			fail := func(control string, err error) {
				f := failure{i, control, err.Error()}
				if _, seen := examples[f]; !seen {
					order = append(order, f)
				}
				examples[f] = append(examples[f], fmt.Sprintf("%q", ex.Name))
			}
			if cond, ok := s.ControlValues["skip"]; ok && cond != nil {
				skip, err := liquidrender.Skip(cond, data)
				if err != nil {
					fail("skip", err)
				} else if skip {
					run.skipped = append(run.skipped, s.StepID)
					rs.skipped = true
				}
			}
			for _, c := range stringControls(s.ControlValues, "") {
				out, err := liquidrender.Template(c.value, data)
				if err != nil {
					fail(c.path, err)
				}
				rs.controls = append(rs.controls, stringControl{c.path, out})
			}
			run.steps = append(run.steps, rs)
		}
		runs = append(runs, run)
	}
	for _, f := range order {
		var at dsl.Pos
		if f.step < len(w.rep.Positions.Steps) {
			at = w.rep.Positions.Steps[f.step]
		}
		noun := "example"
		if len(examples[f]) > 1 {
			noun = "examples"
		}
		ds = append(ds, Diagnostic{Pos: p.controlPosition(at, w.v.value, f.control, define),
			Message: w.label(w.def.Steps[f.step].StepID, f.control) + fmt.Sprintf("does not render with %s %s: %s", noun, strings.Join(examples[f], ", "), f.err)})
	}
	return runs, ds
}

type stringControl struct{ path, value string }

// stringControls lists the strings of a step's controls, by wire path in
// key order, the skip condition left out (it is JSON Logic, not a
// template).
func stringControls(v any, path string) []stringControl {
	switch v := v.(type) {
	case string:
		return []stringControl{{path, v}}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			if path == "" && k == "skip" {
				continue
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var out []stringControl
		for _, k := range keys {
			out = append(out, stringControls(v[k], joinControl(path, k))...)
		}
		return out
	case []any:
		var out []stringControl
		for i, e := range v {
			out = append(out, stringControls(e, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	return nil
}

func joinControl(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// exampleData is what a template of def sees when it is triggered with
// payload: the payload, the sample subscriber, the workflow, each digest
// step having collected this one event, and each declared environment
// variable standing for itself (its value is set per environment in Novu).
func exampleData(def dsl.Definition, payload json.RawMessage, env []string) (map[string]any, error) {
	var p any
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("the payload is not JSON: %w", err)
	}
	steps := map[string]any{}
	for _, s := range def.Steps {
		if s.Type == dsl.TypeDigest {
			steps[s.StepID] = map[string]any{
				"events":     []any{map[string]any{"id": "event-1", "time": "2026-07-20T09:00:00.000Z", "payload": p}},
				"eventCount": 1.0,
			}
		}
	}
	envs := map[string]any{}
	for _, name := range env {
		envs[name] = "{{env." + name + "}}"
	}
	return map[string]any{
		"payload":    p,
		"subscriber": sampleSubscriber,
		"steps":      steps,
		"env":        envs,
		"workflow": map[string]any{
			"workflowId": def.WorkflowID, "name": def.Name, "description": def.Description,
			"tags": anyList(def.Tags), "severity": string(def.Severity),
		},
	}, nil
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
