package generate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/entry"
	"github.com/novugen/novugen/internal/validate"
)

// workflow is one declaration after the probe: its variable, what running it
// reported, its definition with the payload schema filled in (the entry
// written), and the schema its templates are checked against: the same one,
// or the payload type's when the definition sends none (dsl.NoSchema).
type workflow struct {
	v      workflowVar
	rep    entry.Report
	def    dsl.Definition
	schema json.RawMessage
	// runs are the examples rendered, each with the steps it skips.
	runs []exampleRun
}

// checked is the definition internal/validate checks: def with the schema
// the payload references are checked against.
func (w workflow) checked() dsl.Definition {
	d := w.def
	d.PayloadSchema = w.schema
	return d
}

// check turns the probe's reports into definitions and every problem found
// in them: payload types that cannot become a schema, builder misuse recorded
// by dsl, and internal/validate's findings, each at its position.
func check(l *loaded, reports []entry.Report) ([]workflow, []dsl.LayoutDef, []Diagnostic) {
	p := newPositioner(l)
	var ds []Diagnostic
	wfs := make([]workflow, len(reports))
	for i, r := range reports {
		w := workflow{v: l.vars[i], rep: r, def: r.Definition}
		define := p.position(r.Positions.Workflow, w.v.value, w.v.pos)
		if len(r.SchemaErrors) > 0 {
			for _, e := range r.SchemaErrors {
				ds = append(ds, Diagnostic{Pos: p.fieldPosition(w.v.payload, e.Steps, define), Message: w.label("", "") + fmt.Sprintf(
					"payload type %s cannot become a JSON schema: %v", r.PayloadType, e)})
			}
			// Check the templates' payload paths against what the Go type
			// shows, so that their mistakes come in this run too.
			w.schema = outline(w.v.payload)
		} else {
			// A declaration with dsl.NoSchema sends none; its type's
			// schema is only for checking the templates.
			raw, sent := r.Definition.PayloadSchema, r.TypeSchema == nil
			if !sent {
				raw = r.TypeSchema
			}
			schema, err := recheck(raw)
			if err != nil {
				ds = append(ds, Diagnostic{Pos: define, Message: w.label("", "") + fmt.Sprintf(
					"payload schema of %s: %v", r.PayloadType, err)})
			}
			w.schema = schema
			if sent {
				w.def.PayloadSchema = schema
			}
		}
		for _, warn := range r.Warnings {
			ds = append(ds, Diagnostic{Pos: define, Warning: true, Message: w.label("", "") + fmt.Sprintf(
				"payload type %s: %s", r.PayloadType, warn)})
		}
		for _, pr := range r.Problems {
			ds = append(ds, Diagnostic{Pos: p.position(pr.Pos, w.v.value, define), Message: w.label(pr.Step, "") + pr.Message})
		}
		if eds := checkExamples(p, w); len(eds) > 0 {
			ds = append(ds, eds...)
		} else if len(r.SchemaErrors) == 0 {
			var rds []Diagnostic
			w.runs, rds = renderExamples(p, w, l.envNames())
			ds = append(ds, rds...)
		}
		wfs[i] = w
	}

	defs := make([]dsl.Definition, len(wfs))
	byID := map[string][]int{}
	for i, w := range wfs {
		defs[i] = w.checked()
		byID[w.def.WorkflowID] = append(byID[w.def.WorkflowID], i)
	}
	env := l.envNames()
	for _, f := range validate.Registry(defs, env...) {
		idx := slices.DeleteFunc(slices.Clone(byID[f.WorkflowID]), func(i int) bool {
			// A variable left at its zero value has only its Problem to
			// show; what validate says of its empty definition is noise.
			return wfs[i].rep.Positions.Workflow.File == ""
		})
		if len(idx) == 0 && len(byID[f.WorkflowID]) > 0 {
			continue
		}
		switch len(idx) {
		case 0:
			ds = append(ds, Diagnostic{Message: f.Error()})
		case 1:
			ds = append(ds, wfs[idx[0]].finding(p, f)...)
		default:
			ds = append(ds, ambiguous(p, wfs, idx, f, env)...)
		}
	}
	layouts, lds := checkLayouts(p, reports)
	return wfs, layouts, append(ds, lds...)
}

// checkLayouts gathers the layouts the workflows use, each once by
// layoutId, and places internal/validate's findings on them at the field
// of the DefineLayout call (or the call). Two DefineLayout calls with one
// layoutId are a finding at both.
func checkLayouts(p *positioner, reports []entry.Report) ([]dsl.LayoutDef, []Diagnostic) {
	var defs []dsl.LayoutDef
	var at []dsl.Pos
	for _, r := range reports {
		for _, dl := range r.Layouts {
			// The same declaration reaches here through every workflow
			// that uses it; another one with its layoutId is a duplicate,
			// which validate reports.
			seen := false
			for i := range defs {
				seen = seen || (defs[i] == dl.Def && at[i] == dl.Pos)
			}
			if !seen {
				defs, at = append(defs, dl.Def), append(at, dl.Pos)
			}
		}
	}
	var ds []Diagnostic
	for _, f := range validate.Layouts(defs) {
		for i, d := range defs {
			if d.LayoutID != f.LayoutID {
				continue
			}
			pos := p.controlPosition(at[i], nil, f.Field, p.position(at[i], nil, token.Position{}))
			ds = append(ds, Diagnostic{Pos: pos, Message: f.Error()})
			if f.Field == "layoutId" && strings.Contains(f.Message, "must be unique") {
				continue // said at every declaration
			}
			break
		}
	}
	return defs, ds
}

// ambiguous places a finding about a workflowId that several variables
// declare. A finding one declaration has on its own belongs to that one;
// the rest (the duplicate itself) is reported at every declaration, each
// naming the others.
func ambiguous(p *positioner, wfs []workflow, idx []int, f validate.Finding, env []string) []Diagnostic {
	var ds []Diagnostic
	for _, i := range idx {
		if slices.Contains(validate.Definition(wfs[i].checked(), env...), f) {
			ds = append(ds, wfs[i].finding(p, f)...)
		}
	}
	if len(ds) > 0 {
		return ds
	}
	pos := make([]token.Position, len(idx))
	for k, i := range idx {
		pos[k] = p.position(wfs[i].rep.Positions.Workflow, wfs[i].v.value, wfs[i].v.pos)
	}
	for k, i := range idx {
		var others []string
		for j, q := range pos {
			if j != k {
				others = append(others, posString(p.l.modRoot, q))
			}
		}
		// validate names the duplicates by index, which means nothing here.
		d := Diagnostic{Pos: pos[k], Message: wfs[i].label("", "") + "workflowId is declared more than once: also at " + strings.Join(others, ", ")}
		ds = append(ds, d)
	}
	return ds
}

// finding places f at the control's key, the step call, or the Define call,
// whichever it is about. A stepId several steps share is reported at each.
func (w workflow) finding(p *positioner, f validate.Finding) []Diagnostic {
	define := p.position(w.rep.Positions.Workflow, w.v.value, w.v.pos)
	msg := w.label(f.StepID, f.Control) + f.Message
	var ds []Diagnostic
	if f.StepID != "" {
		for i, s := range w.def.Steps {
			if s.StepID == f.StepID && i < len(w.rep.Positions.Steps) {
				ds = append(ds, Diagnostic{Pos: p.controlPosition(w.rep.Positions.Steps[i], w.v.value, f.Control, define), Message: msg})
			}
		}
	}
	if len(ds) == 0 {
		ds = append(ds, Diagnostic{Pos: define, Message: msg})
	}
	return ds
}

// label starts a message: the variable, then the workflow, step and control.
func (w workflow) label(step, control string) string {
	s := fmt.Sprintf("%s: workflow %q", w.v.name, w.def.WorkflowID)
	if step != "" {
		s += fmt.Sprintf(", step %q", step)
	}
	if control != "" {
		s += fmt.Sprintf(", control %q", control)
	}
	return s + ": "
}

// recheck verifies that the schema the probe built is one JSON object of
// type object (the probe compiles against the user's module; this is
// novugen's own guard), and indents it the same way every time. Keywords Novu
// cannot resolve ($ref, $defs, ...) are internal/validate's to report, the
// same check cmd/apply makes on a registry file.
func recheck(raw json.RawMessage) (json.RawMessage, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	root, ok := v.(map[string]any)
	if !ok || root["type"] != "object" {
		return nil, fmt.Errorf("the root is not a schema of type object")
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
