package main

import (
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/novutest"
)

// A failed workflow exits 1 and is named in the report and the step
// summary with the operation, the environment, Novu's status and Novu's
// message. Golden: testdata/output/TestFailuresExitOneAndNameWorkflowStatusAndMessage.txtar.
func TestFailuresExitOneAndNameWorkflowStatusAndMessage(t *testing.T) {
	// A step limit of 1 makes Novu refuse every create with a 400, which
	// is not retried: the run fails fast, per workflow.
	h := newCmdHarnessWith(t, novutest.Options{MaxSteps: 1})
	if r := h.record("apply", "-concurrency", "2"); r.code != 1 {
		t.Errorf("exit %d; want 1", r.code)
	}
}

// The progress line (terminals only) rewrites itself in place and is
// cleared before the plan or report prints.
func TestProgressLineRewritesItselfAndIsCleared(t *testing.T) {
	var b strings.Builder
	p := progressPrinter(&b)
	p(apply.Progress{Phase: "plan", Done: 1, Total: 3, WorkflowID: "order-shipped"})
	p(apply.Progress{Phase: "apply", Done: 3, Total: 3, WorkflowID: "weekly-digest"})
	(&invocation{stderr: &b, progress: true}).clearProgress()
	want := "\r\033[Kplan 1/3 order-shipped\r\033[Kapply 3/3 weekly-digest\r\033[K"
	if b.String() != want {
		t.Errorf("progress output %q, want %q", b.String(), want)
	}
}
