package main

import (
	"context"
	"testing"
	"time"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/novu"
)

// A suffixed duplicate in Development is drift: the drift check exits 2 for
// it even without -prune, and the plan gives both ways it can come about.
// Golden: testdata/output/TestDuplicateMakesTheDriftCheckExitTwo.txtar.
func TestDuplicateMakesTheDriftCheckExitTwo(t *testing.T) {
	h := newCmdHarness(t, withProduction)
	if r := h.run("-to", "Production"); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	h.requireNoDrift("before the duplicate")

	// What Novu holds after a create of order-shipped landed twice.
	reg := genRegistry(t)
	var def dsl.Definition
	for _, d := range reg.Workflows {
		if d.WorkflowID == gen.OrderShipped {
			def = d
		}
	}
	def.WorkflowID = gen.OrderShipped + "-x7k2"
	def.Tags = append(def.Tags, apply.WorkflowTag(reg.Owner, gen.OrderShipped))
	c, err := novu.New(novu.Config{BaseURL: h.srv.URL(), Key: devKey, MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateWorkflow(context.Background(), novu.NewCreateRequest(def)); err != nil {
		t.Fatal(err)
	}

	r := h.record("plan", "-plan", "-detailed-exitcode", "-to", "Production")
	if r.code != 2 {
		t.Errorf("plan with a duplicate: exit %d; want 2 (drift)\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = h.record("prune", "-prune", "-to", "Production")
	if r.code != 0 {
		t.Fatalf("prune: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	h.requireNoDrift("after -prune")
}

// A registry file whose declaration carries an ownership tag is refused
// before anything is sent, naming the workflow and the tag. Golden:
// testdata/output/TestRegistryFileWithAnOwnershipTagIsRefused.txtar.
func TestRegistryFileWithAnOwnershipTagIsRefused(t *testing.T) {
	h := newCmdHarness(t)
	reg := genRegistry(t)
	foreign := apply.WorkflowTag("example.com/other-team/gen", gen.OrderShipped)
	for i := range reg.Workflows {
		if reg.Workflows[i].WorkflowID == gen.OrderShipped {
			reg.Workflows[i].Tags = append(reg.Workflows[i].Tags, foreign)
		}
	}
	if r := h.record("reserved-tag", "-registry", writeRegistry(t, reg)); r.code != 1 {
		t.Errorf("exit %d, stderr %q; want 1", r.code, r.stderr)
	}
	if n := h.srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests; want none", n)
	}
}
