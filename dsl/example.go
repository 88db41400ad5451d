package dsl

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Example is a named example payload of a workflow whose payload type is P.
// go generate checks each against the generated payload schema, so an
// example that Novu would refuse fails the build, and the catalog and
// previews show the workflow with it.
type Example[P any] struct {
	// Name tells the examples of one workflow apart: "pickup", "courier".
	Name    string
	Payload P
}

// DeclaredExample is an example as the generator sees it, whatever P is:
// its payload as encoding/json sends it, and the WithExamples call it was
// given to with its index among that call's arguments, so that a bad
// example is reported at its own line.
type DeclaredExample struct {
	Name    string          `json:"name"`
	Payload json.RawMessage `json:"payload"`
	Pos     Pos             `json:"pos"`
	Arg     int             `json:"arg"`
}

// WithExamples returns w with examples added after those it has. Each must
// have a Name no other example of w has; mistakes are recorded as Problems
// at this call, like every other builder mistake. w itself is not changed.
func (w Workflow[P]) WithExamples(examples ...Example[P]) Workflow[P] {
	pos := caller(1, "WithExamples")
	w.examples = slices.Clip(w.examples)
	w.problems = slices.Clip(w.problems)
	for i, ex := range examples {
		problem := func(msg string, args ...any) {
			w.problems = append(w.problems, Problem{Pos: pos, Message: fmt.Sprintf("example %d (%q): ", i+1, ex.Name) + fmt.Sprintf(msg, args...)})
		}
		if ex.Name == "" {
			problem("has no Name")
			continue
		}
		if slices.ContainsFunc(w.examples, func(d DeclaredExample) bool { return d.Name == ex.Name }) {
			problem("the name is used by another example of this workflow")
			continue
		}
		data, err := json.Marshal(ex.Payload)
		if err != nil {
			problem("the payload cannot be encoded as JSON: %v", err)
			continue
		}
		w.examples = append(w.examples, DeclaredExample{Name: ex.Name, Payload: data, Pos: pos, Arg: i})
	}
	return w
}

// Examples returns the examples declared with WithExamples, in order.
func (w Workflow[P]) Examples() []DeclaredExample {
	out := make([]DeclaredExample, len(w.examples))
	for i, e := range w.examples {
		e.Payload = slices.Clone(e.Payload)
		out[i] = e
	}
	return out
}
