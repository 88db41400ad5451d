package generate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/draft07"
)

// checkExamples validates every example payload of w against its payload
// schema as Novu's Ajv would (draft-07, formats asserted): an example Novu
// would refuse shows nothing true in a preview. Each fault is reported at
// the deepest part of the example's literal that the source shows.
func checkExamples(p *positioner, w workflow) []Diagnostic {
	if len(w.rep.Examples) == 0 || len(w.rep.SchemaErrors) > 0 || w.def.PayloadSchema == nil {
		return nil
	}
	define := p.position(w.rep.Positions.Workflow, w.v.value, w.v.pos)
	sch, err := draft07.Compile(w.def.PayloadSchema)
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
