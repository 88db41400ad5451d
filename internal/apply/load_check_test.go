package apply

import (
	"strings"
	"testing"

	"github.com/novugen/novugen/novutest"
)

// TestCheckExactCatchesWhatItMust makes sure the load test's end-state
// check is not vacuous: it must see a nested control value, a tag, a
// schema and a step order edited by hand, a suffixed duplicate and a
// missing workflow.
func TestCheckExactCatchesWhatItMust(t *testing.T) {
	defs := loadDefs(t, 12)
	srv := applied(t, novutest.Options{Seed: 11}, defs)
	rec := &recordTB{TB: t}
	checkExact(rec, srv, defs)
	if len(rec.errs) != 0 {
		t.Fatalf("converged state reported as wrong: %q", rec.errs)
	}

	edits := []struct {
		env, id string
		edit    func(*novutest.Workflow)
		want    string
	}{
		{"Staging", "load-0001", func(w *novutest.Workflow) {
			w.Steps[0].ControlValues["primaryAction"].(map[string]any)["redirect"].(map[string]any)["url"] = "https://elsewhere"
		}, "Staging load-0001 differs"},
		{"Production", "load-0002", func(w *novutest.Workflow) { w.Tags = []string{"load", "shard-2"} }, "tags"},
		{"Development", "load-0003", func(w *novutest.Workflow) {
			w.PayloadSchema["required"] = []any{"orderId"}
		}, "payloadSchema"},
		{"Production", "load-0004", func(w *novutest.Workflow) { w.Steps[1], w.Steps[2] = w.Steps[2], w.Steps[1] }, "steps[1].stepId"},
		{"Staging", "load-0008", func(w *novutest.Workflow) { w.Preferences.User = nil }, "preferences.user"},
	}
	for _, e := range edits {
		if err := srv.EditWorkflow(e.env, e.id, e.edit); err != nil {
			t.Fatal(err)
		}
	}
	srv.PutWorkflow("Development", novutest.Workflow{WorkflowID: "load-0006-x7k2pq", Name: "dup",
		Steps: []novutest.Step{{StepID: "s", Name: "S", Type: "in_app", ControlValues: map[string]any{"body": "hi"}}}})
	rec = &recordTB{TB: t}
	checkExact(rec, srv, defs[:11]) // load-0011 is "missing" from the registry's point of view
	all := strings.Join(rec.errs, "\n")
	for _, e := range edits {
		if !strings.Contains(all, e.want) {
			t.Errorf("check missed %s in %s (%s):\n%s", e.id, e.env, e.want, all)
		}
	}
	for _, want := range []string{`"load-0006-x7k2pq"`, "Development holds 13 workflows, want 11", "Staging holds 12 workflows, want 11"} {
		if !strings.Contains(all, want) {
			t.Errorf("check missed %q:\n%s", want, all)
		}
	}
}
