package dsl_test

import (
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
)

type examplePayload struct {
	OrderID string `json:"orderId"`
	Count   int    `json:"count,omitempty"`
}

func exampleBase() dsl.Workflow[examplePayload] {
	return dsl.Define[examplePayload]("wf", dsl.Settings{Name: "Wf", Active: dsl.Active},
		dsl.InApp("a", "A", dsl.InAppControls{Body: "{{ payload.orderId }}"}))
}

// TestWithExamplesEncodesEachPayloadInOrder: the payload travels as
// encoding/json sends it, with the call and argument that declared it; the
// workflow it was called on keeps none.
func TestWithExamplesEncodesEachPayloadInOrder(t *testing.T) {
	base := exampleBase()
	w := base.WithExamples(
		dsl.Example[examplePayload]{Name: "one", Payload: examplePayload{OrderID: "A-1"}},
		dsl.Example[examplePayload]{Name: "two", Payload: examplePayload{OrderID: "A-2", Count: 3}},
	)
	got := w.Examples()
	if len(got) != 2 {
		t.Fatalf("Examples() = %+v, want 2", got)
	}
	if got[0].Name != "one" || string(got[0].Payload) != `{"orderId":"A-1"}` || got[0].Arg != 0 {
		t.Errorf("first example %+v (payload %s)", got[0], got[0].Payload)
	}
	if got[1].Name != "two" || string(got[1].Payload) != `{"orderId":"A-2","count":3}` || got[1].Arg != 1 {
		t.Errorf("second example %+v (payload %s)", got[1], got[1].Payload)
	}
	if got[0].Pos.Func != "WithExamples" || !strings.HasSuffix(got[0].Pos.File, "example_payload_test.go") || got[0].Pos.Line == 0 {
		t.Errorf("position %+v, want the WithExamples call", got[0].Pos)
	}
	if n := len(base.Examples()); n != 0 {
		t.Errorf("the workflow WithExamples was called on has %d examples, want 0", n)
	}
	if p := w.Problems(); len(p) != 0 {
		t.Errorf("Problems() = %v", p)
	}
	got[0].Payload[0] = 'x'
	if w.Examples()[0].Payload[0] != '{' {
		t.Error("changing what Examples returned changed the workflow")
	}
}

// TestWithExamplesRecordsMisuse: an unnamed example and a name used twice
// (also across calls) are Problems at the call, and are not kept.
func TestWithExamplesRecordsMisuse(t *testing.T) {
	w := exampleBase().
		WithExamples(dsl.Example[examplePayload]{Name: "one"}).
		WithExamples(
			dsl.Example[examplePayload]{},
			dsl.Example[examplePayload]{Name: "one"},
		)
	var msgs []string
	for _, p := range w.Problems() {
		if p.Pos.Func != "WithExamples" {
			t.Errorf("problem at %+v, want the WithExamples call", p.Pos)
		}
		msgs = append(msgs, p.Message)
	}
	want := []string{
		`example 1 (""): has no Name`,
		`example 2 ("one"): the name is used by another example of this workflow`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if n := len(w.Examples()); n != 1 {
		t.Errorf("%d examples kept, want 1", n)
	}
}
