package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/registry"
)

// TestChangedStepsAreTheOnesTheChangesTouch: a change under steps[id],
// under steps[N] for a step without that id, in a target, and a new or
// moved step in a changed order are marked; workflow fields mark nothing.
func TestChangedStepsAreTheOnesTheChangesTouch(t *testing.T) {
	def := registry.Workflow{WorkflowID: "w", Steps: []registry.Step{
		{StepID: "a", Type: registry.TypeInApp}, {StepID: "b", Type: registry.TypeDelay},
		{StepID: "c", Type: registry.TypeEmail}, {StepID: "d", Type: registry.TypeSMS},
	}}
	for _, tc := range []struct {
		name string
		wp   apply.WorkflowPlan
		want []string
	}{
		{"workflow fields", apply.WorkflowPlan{Changes: []apply.Change{{Path: "name"}, {Path: "tags"}}}, nil},
		{"by id", apply.WorkflowPlan{Changes: []apply.Change{{Path: "steps[c].controlValues.subject"}}}, []string{"c"}},
		{"by place", apply.WorkflowPlan{Changes: []apply.Change{{Path: "steps[1].controlValues.amount"}}}, []string{"b"}},
		{"in a target", apply.WorkflowPlan{Targets: []apply.TargetPlan{{Changes: []apply.Change{{Path: "steps[d].name"}}}}}, []string{"d"}},
		{"order", apply.WorkflowPlan{Changes: []apply.Change{{Path: "steps", Old: []any{"a", "c", "b"}, New: []any{"a", "b", "c", "d"}}}}, []string{"b", "c", "d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for id := range changedSteps(tc.wp, def) {
				got = append(got, id)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("marked %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFlowchartMarksTheChangedSteps: the block is the workflow's
// flowchart with the touched step in the class "changed"; a workflow the
// registry does not hold gets none.
func TestFlowchartMarksTheChangedSteps(t *testing.T) {
	defs := []registry.Workflow{{WorkflowID: "w", Steps: []registry.Step{{StepID: "a", Type: registry.TypeInApp}, {StepID: "c", Type: registry.TypeEmail}}}}
	got := flowchart(apply.WorkflowPlan{WorkflowID: "w", Changes: []apply.Change{{Path: "steps[c].controlValues.body"}}}, defs)
	if !strings.HasPrefix(got, "```mermaid\nflowchart TD\n") || !strings.Contains(got, "  class s1 changed\n") || !strings.HasSuffix(got, "```\n\n") {
		t.Errorf("flowchart:\n%s", got)
	}
	if got := flowchart(apply.WorkflowPlan{WorkflowID: "other"}, defs); got != "" {
		t.Errorf("flowchart of a workflow not in the registry: %q", got)
	}
}
