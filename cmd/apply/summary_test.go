package main

import (
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
)

// The -plan step summary carries, under its table, one collapsed
// <details> per workflow with field changes, holding the very lines the
// terminal plan shows under that workflow. Dashboard edits put HTML, a
// Markdown table pipe and a run of backticks into the values: the code
// block must show them verbatim. Golden: testdata/summary/plan.md
// (rewrite with go test ./cmd/apply -run TestPlanStepSummary -update).
func TestPlanStepSummaryShowsTheFieldChanges(t *testing.T) {
	h := newCmdHarness(t, withProduction)
	if r := h.run(); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	// In Development: the email body of order-shipped, edited in the
	// dashboard; in Production: weekly-digest's name and description.
	if err := h.srv.EditWorkflow("Development", gen.OrderShipped, func(w *novutest.Workflow) {
		w.Description = "edited | in the dashboard ``` <b>bold</b> & more"
		for i := range w.Steps {
			if w.Steps[i].StepID == "details" {
				body := w.Steps[i].ControlValues["body"].(string)
				w.Steps[i].ControlValues["body"] = strings.Replace(body, "<p>Hi {{ subscriber.firstName }},</p>", "<p>Hello | there</p>\n</details>\n````", 1)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.EditWorkflow("Production", gen.WeeklyDigest, func(w *novutest.Workflow) {
		w.Name = "Weekly <digest>"
	}); err != nil {
		t.Fatal(err)
	}

	r := h.run("-plan")
	if r.code != 0 {
		t.Fatalf("plan: exit %d\n%s", r.code, r.stderr)
	}
	testenv.Golden(t, filepath.Join("testdata", "summary", "plan.md"), []byte(r.summary))

	// Each <details> holds exactly what the terminal shows under the
	// workflow's line, and only workflows with field changes have one.
	// A flowchart comes first; it holds no backtick (internal/diagram
	// writes them as entity codes).
	blocks := regexp.MustCompile("(?s)<details><summary><code>([^<]+)</code>: [^<]*</summary>\n\n```mermaid\n[^`]*```\n\n(`{3,})text\n(.*?)\n`{3,}\n\n</details>").FindAllStringSubmatch(r.summary, -1)
	var ids []string
	for _, b := range blocks {
		ids = append(ids, b[1])
		if got, want := b[3], terminalDetail(r.stdout, b[1]); got != want {
			t.Errorf("%s: <details> holds\n%s\nthe terminal shows\n%s", b[1], got, want)
		}
		if strings.Contains(b[3], b[2]) {
			t.Errorf("%s: the fence %s occurs in the block it fences", b[1], b[2])
		}
	}
	if got := strings.Join(ids, " "); got != "order-shipped weekly-digest" {
		t.Errorf("<details> for %q; want order-shipped and weekly-digest", got)
	}
}

// terminalDetail returns the lines the terminal plan prints under a
// workflow's line, without their indentation.
func terminalDetail(plan, workflowID string) string {
	var out []string
	in := false
	for line := range strings.SplitSeq(plan, "\n") {
		switch {
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "      "):
			in = strings.HasSuffix(line, " "+workflowID)
		case in && strings.HasPrefix(line, "      "):
			out = append(out, strings.TrimPrefix(line, "      "))
		default:
			in = false
		}
	}
	return strings.Join(out, "\n")
}

// Every row of every step summary table has as many cells as its header:
// a workflow whose plan failed before it reached the targets, orphans, a
// run without targets and a run whose creates all fail included.
func TestStepSummaryRowsAreAsWideAsTheHeader(t *testing.T) {
	// Novu refuses the read of order-shipped once it is switched on: the
	// plan has no targets for it.
	var broken atomic.Bool
	h := newCmdHarnessWith(t, novutest.Options{Wrap: testenv.RefuseGET("/v2/workflows/"+gen.OrderShipped, http.StatusBadRequest, "Workflow | cannot <be> found", &broken)}, withProduction)

	summaries := map[string]string{}
	summaries["cold apply"] = h.run().summary
	reg := genRegistry(t)
	fewer := writeRegistry(t, dsl.Registry{Owner: reg.Owner, Workflows: reg.Workflows[:2]})
	broken.Store(true)
	summaries["plan with a failed read and an orphan"] = h.run("-plan", "-registry", fewer).summary
	summaries["apply with a failed read"] = h.run().summary
	summaries["plan without targets"] = h.run("-plan", "-to=").summary
	broken.Store(false)
	summaries["prune"] = h.run("-prune", "-registry", fewer).summary
	summaries["every create refused"] = newCmdHarnessWith(t, novutest.Options{MaxSteps: 1}).run().summary

	for name, md := range summaries {
		tables := markdownTables(md)
		if len(tables) == 0 {
			t.Errorf("%s: no table in the step summary:\n%s", name, md)
		}
		for _, table := range tables {
			head := cells(table[0])
			if len(table) < 2 || !regexp.MustCompile(`^\|(---\|)+$`).MatchString(table[1]) || len(cells(table[1])) != len(head) {
				t.Errorf("%s: the header %q is not followed by a separator of %d cells:\n%s", name, table[0], len(head), md)
				continue
			}
			for _, line := range table[2:] {
				if n := len(cells(line)); n != len(head) {
					t.Errorf("%s: row %q has %d cells under a header of %d:\n%s", name, line, n, len(head), md)
				}
			}
		}
	}
	if md := summaries["apply with a failed read"]; !strings.Contains(md, "| `order-shipped` | failed | — | — |") {
		t.Errorf("the failed workflow's row does not show — for its targets:\n%s", md)
	}
}

// markdownTables returns the tables of a Markdown text, each as its lines.
func markdownTables(md string) [][]string {
	var tables [][]string
	var cur []string
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "|") {
			cur = append(cur, line)
			continue
		}
		if cur != nil {
			tables = append(tables, cur)
			cur = nil
		}
	}
	if cur != nil {
		tables = append(tables, cur)
	}
	return tables
}

// cells splits a table row at its unescaped pipes, as GitHub does.
func cells(row string) []string {
	var out []string
	var cell strings.Builder
	escaped := false
	for _, r := range strings.TrimSpace(row) {
		switch {
		case escaped:
			cell.WriteRune(r)
			escaped = false
		case r == '\\':
			cell.WriteRune(r)
			escaped = true
		case r == '|':
			out = append(out, cell.String())
			cell.Reset()
		default:
			cell.WriteRune(r)
		}
	}
	out = append(out, cell.String())
	// A row starts and ends with a pipe: drop the empty edges.
	if len(out) > 0 && strings.TrimSpace(out[0]) == "" {
		out = out[1:]
	}
	if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return out
}

// A workflow that left the registry is an orphan in the plan's step
// summary and pruned in the report's. Golden:
// testdata/output/TestStepSummaryListsOrphansAndDeletes.txtar.
func TestStepSummaryListsOrphansAndDeletes(t *testing.T) {
	h := newCmdHarness(t, withProduction)
	all, _ := registryOf(t, 3)
	if r := h.run("-registry", all); r.code != 0 {
		t.Fatalf("first apply exited %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	reg := genRegistry(t)
	reg.Workflows = slices.DeleteFunc(reg.Workflows, func(d dsl.Definition) bool { return d.WorkflowID == gen.WeeklyDigest })
	fewer := writeRegistry(t, reg)

	h.record("plan", "-registry", fewer, "-plan")
	if r := h.record("prune", "-registry", fewer, "-prune"); r.code != 0 {
		t.Errorf("-prune: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
