package main

import (
	"fmt"
	"html"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/diagram"
	"github.com/novugen/novugen/registry"
)

// planMarkdown and reportMarkdown are the GitHub step summary: one table,
// a workflow per row, an environment per column, every row as wide as the
// header (a workflow that failed before its targets shows "—" there). The
// plan adds, under the table, one collapsed <details> per workflow with
// field changes, holding the workflow's flowchart (of defs, the registry's
// definitions) with the changed steps marked, then the lines the terminal
// shows for it.
func planMarkdown(p *apply.Plan, defs []registry.Workflow) string {
	var b strings.Builder
	b.WriteString("### novugen plan\n\n")
	header(&b, p)
	for _, lp := range p.Layouts {
		row(&b, p, "layout "+lp.LayoutID, string(lp.Action), func(env string) (string, bool) {
			if slices.Contains(lp.Targets, env) {
				return "carried by the workflows' sync", true
			}
			return string(apply.InSync), true
		})
	}
	for _, wp := range p.Workflows {
		row(&b, p, wp.WorkflowID, string(wp.Action), func(env string) (string, bool) {
			for _, t := range wp.Targets {
				if t.Environment == env {
					cell := string(t.Action)
					if t.Reason != "" {
						cell += " (" + t.Reason + ")"
					}
					return cell, true
				}
			}
			return "", false
		})
	}
	for _, pp := range p.Prune {
		cell := "orphan (" + orphanText(pp) + "; -prune deletes it)"
		if p.PruneEnabled {
			cell = "delete (" + orphanText(pp) + ")"
		}
		row(&b, p, pp.WorkflowID, cell, func(string) (string, bool) { return "", true })
	}
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "\n> %s\n", mdEscape(n))
	}
	for _, lp := range p.Layouts {
		if n := len(lp.Changes); n > 0 {
			fmt.Fprintf(&b, "\n<details><summary><code>layout %s</code>: %s in %s, %d %s</summary>\n\n%s\n</details>\n",
				html.EscapeString(lp.LayoutID), html.EscapeString(string(lp.Action)), html.EscapeString(p.Source.Name), n, changesNoun(n), codeBlock(layoutDetail(lp)))
		}
	}
	for _, wp := range p.Workflows {
		n := fieldChanges(wp)
		if n == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary><code>%s</code>: %s in %s, %d %s</summary>\n\n%s%s\n</details>\n",
			html.EscapeString(wp.WorkflowID), html.EscapeString(string(wp.Action)), html.EscapeString(p.Source.Name), n, changesNoun(n),
			flowchart(wp, defs), codeBlock(workflowDetail(wp)))
	}
	return b.String()
}

// flowchart is the Mermaid block of wp's definition in defs, the steps its
// field changes touch marked (internal/diagram), followed by a blank line;
// "" when defs has no such workflow.
func flowchart(wp apply.WorkflowPlan, defs []registry.Workflow) string {
	i := slices.IndexFunc(defs, func(d registry.Workflow) bool { return d.WorkflowID == wp.WorkflowID })
	if i < 0 {
		return ""
	}
	return "```mermaid\n" + diagram.Flowchart(defs[i], changedSteps(wp, defs[i])) + "```\n\n"
}

// changedSteps are the stepIds of def that wp's changes (in the source and
// in every target) touch: a change under steps[id] or steps[N], and, when
// the steps were added, removed or moved, each step of def that is new or
// at another place than before.
func changedSteps(wp apply.WorkflowPlan, def registry.Workflow) map[string]bool {
	marked := map[string]bool{}
	changes := slices.Clone(wp.Changes)
	for _, t := range wp.Targets {
		changes = append(changes, t.Changes...)
	}
	for _, c := range changes {
		if c.Path == "steps" {
			old, _ := c.Old.([]any)
			for i, s := range def.Steps {
				if i >= len(old) || old[i] != s.StepID {
					marked[s.StepID] = true
				}
			}
			continue
		}
		rest, ok := strings.CutPrefix(c.Path, "steps[")
		if !ok {
			continue
		}
		id, _, ok := strings.Cut(rest, "]")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(id); err == nil && n >= 0 && n < len(def.Steps) && !slices.ContainsFunc(def.Steps, func(s registry.Step) bool { return s.StepID == id }) {
			id = def.Steps[n].StepID // a step without a stepId is named by its place
		}
		marked[id] = true
	}
	return marked
}

func reportMarkdown(r *apply.Report) string {
	var b strings.Builder
	b.WriteString("### novugen apply\n\n")
	header(&b, r.Plan)
	for _, lr := range r.Layouts {
		row(&b, r.Plan, "layout "+lr.LayoutID, string(lr.Outcome), func(string) (string, bool) { return "", false })
	}
	for _, wr := range r.Workflows {
		row(&b, r.Plan, wr.WorkflowID, string(wr.Outcome), func(env string) (string, bool) {
			for _, t := range wr.Targets {
				if t.Environment == env {
					return string(t.Outcome), true
				}
			}
			return "", false
		})
	}
	for _, pr := range r.Pruned {
		cell := string(pr.Outcome)
		if pr.Reason != "" {
			cell += " (" + pr.Reason + ")"
		}
		row(&b, r.Plan, pr.WorkflowID, cell, func(string) (string, bool) { return "", true })
	}
	s := r.Summary
	fmt.Fprintf(&b, "\n**%d created, %d updated, %d unchanged, %d synced, %d pruned, %d failed**\n",
		s.Created, s.Updated, s.Unchanged, s.Synced, s.Pruned, s.Failed)
	if len(r.Failures) > 0 {
		b.WriteString("\nFailures:\n\n")
		for _, f := range r.Failures {
			fmt.Fprintf(&b, "- %s\n", mdEscape(failureLine(f)))
		}
	}
	return b.String()
}

func header(b *strings.Builder, p *apply.Plan) {
	fmt.Fprintf(b, "| workflow | %s |", mdEscape(p.Source.Name))
	for _, t := range p.Targets {
		fmt.Fprintf(b, " %s |", mdEscape(t.Name))
	}
	b.WriteString("\n|---|---|")
	for range p.Targets {
		b.WriteString("---|")
	}
	b.WriteString("\n")
}

// row writes one table row: the workflowId, the source cell, then a cell
// per target of the header, in its order, from target (its text, and
// whether the row has anything for that target; "—" when not).
func row(b *strings.Builder, p *apply.Plan, workflowID, source string, target func(env string) (string, bool)) {
	fmt.Fprintf(b, "| `%s` | %s |", workflowID, mdEscape(source))
	for _, t := range p.Targets {
		cell, ok := target(t.Name)
		if !ok {
			cell = "—"
		}
		fmt.Fprintf(b, " %s |", mdEscape(cell))
	}
	b.WriteString("\n")
}

// mdEscape makes text safe in a Markdown table cell or line: a | would
// end the cell and a newline the row, and <, > and & would be read as
// HTML (a Novu message quoting markup could open a tag in the summary).
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "\n", " ", "\r", " ", "&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// codeBlock fences lines as a Markdown code block, shown verbatim (no
// Markdown, no HTML), with a fence longer than any run of backticks in the
// lines so that none of them can end it early.
func codeBlock(lines []string) string {
	text := strings.Join(lines, "\n")
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "text\n" + text + "\n" + fence + "\n"
}

// appendStepSummary appends md to $GITHUB_STEP_SUMMARY when it is set. A
// failure to write it is reported but does not change the exit code: the
// summary is a courtesy, the run is the job.
func appendStepSummary(path, md string, stderr io.Writer) {
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = io.WriteString(f, md+"\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "apply: GITHUB_STEP_SUMMARY: %v\n", err)
	}
}

func changesNoun(n int) string {
	if n == 1 {
		return "field change"
	}
	return "field changes"
}

// fieldChanges counts the field changes of a workflow, in the source and
// in its targets.
func fieldChanges(wp apply.WorkflowPlan) int {
	n := len(wp.Changes)
	for _, t := range wp.Targets {
		n += len(t.Changes)
	}
	return n
}
