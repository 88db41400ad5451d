package dsl

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Cond is a JSONLogic expression (jsonlogic.com), the form of a step's skip
// control (docs/novu-api.md §7.3): when it evaluates to true, Novu skips the step.
// Build it with Var and the operators below; the zero Cond means "no
// condition" and sends no skip key.
//
//	dsl.And(dsl.Eq(dsl.Var("payload.tier"), "pro"), dsl.Gt(dsl.Var("payload.amount"), 4))
//
// gives {"and": [{"==": [{"var": "payload.tier"}, "pro"]}, {">": [{"var": "payload.amount"}, 4]}]}.
//
// Operands may be a Cond, a string, a bool, a number, nil, or a slice or
// string-keyed map of those. Anything else is recorded as a Problem of the
// step that uses the condition.
type Cond struct {
	v        any // wire form; nil for the zero Cond
	problems []string
}

// IsZero reports whether c is the zero Cond (no condition).
func (c Cond) IsZero() bool { return c.v == nil }

// JSONLogic returns a copy of c's wire form: map[string]any for any built
// condition, nil for the zero Cond.
func (c Cond) JSONLogic() any { return cloneWire(c.v) }

// MarshalJSON encodes c as its JSONLogic object (null for the zero Cond).
// It leaves < > & as they are (">" is an operator); an enclosing
// json.Marshal still escapes them unless told not to.
func (c Cond) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c.v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// String returns c's JSONLogic text.
func (c Cond) String() string {
	b, err := c.MarshalJSON()
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}

// Var reads a variable: {"var": "payload.tier"}. Paths use Novu's template
// namespaces (payload.*, subscriber.*, steps.<id>.*, workflow.*, and context.*,
// env.* and t.* as templates may; see the README). On its own
// it is true when the value is truthy.
func Var(path string) Cond { return Cond{v: map[string]any{"var": path}} }

// And is true when every condition is: {"and": [...]}.
func And(conds ...Cond) Cond { return logical("and", "And", conds) }

// Or is true when any condition is: {"or": [...]}.
func Or(conds ...Cond) Cond { return logical("or", "Or", conds) }

// Not negates c: {"!": [c]}.
func Not(c Cond) Cond { return operator("!", "Not", c) }

// Eq compares with JSONLogic's loose equality: {"==": [a, b]}.
func Eq(a, b any) Cond { return operator("==", "Eq", a, b) }

// Ne is loose inequality: {"!=": [a, b]}.
func Ne(a, b any) Cond { return operator("!=", "Ne", a, b) }

// Gt is {">": [a, b]}.
func Gt(a, b any) Cond { return operator(">", "Gt", a, b) }

// Gte is {">=": [a, b]}.
func Gte(a, b any) Cond { return operator(">=", "Gte", a, b) }

// Lt is {"<": [a, b]}.
func Lt(a, b any) Cond { return operator("<", "Lt", a, b) }

// Lte is {"<=": [a, b]}.
func Lte(a, b any) Cond { return operator("<=", "Lte", a, b) }

// In is true when needle is an element of the list haystack, or a substring
// of the string haystack: {"in": [needle, haystack]}.
//
//	dsl.In(dsl.Var("payload.country"), []string{"DE", "AT"})
func In(needle, haystack any) Cond { return operator("in", "In", needle, haystack) }

func logical(op, fn string, conds []Cond) Cond {
	args := make([]any, len(conds))
	for i, c := range conds {
		args[i] = c
	}
	out := operator(op, fn, args...)
	if len(conds) == 0 {
		out.problems = append(out.problems, fmt.Sprintf("dsl.%s needs at least one condition", fn))
	}
	return out
}

func operator(op, fn string, operands ...any) Cond {
	args := make([]any, len(operands))
	var probs []string
	for i, o := range operands {
		w, p := toWire(o, fmt.Sprintf("dsl.%s operand %d", fn, i+1))
		args[i] = w
		probs = append(probs, p...)
	}
	return Cond{v: map[string]any{op: args}, problems: probs}
}
