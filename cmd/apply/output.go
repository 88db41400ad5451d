package main

import (
	"fmt"
	"html"
	"io"
	"os"
	"strings"

	"github.com/novugen/novugen/internal/apply"
)

var actionMark = map[apply.Action]string{apply.Create: "+", apply.Update: "~", apply.Unchanged: "=", apply.Failed: "!"}

// printPlan writes the plan: a line per workflow with its action in the
// source, the field changes under it, then one line per target.
func printPlan(w io.Writer, p *apply.Plan) {
	var targets []string
	for _, t := range p.Targets {
		targets = append(targets, t.Name)
	}
	if len(targets) == 0 {
		targets = []string{"(no targets)"}
	}
	fmt.Fprintf(w, "Plan: %s → %s\n", p.Source.Name, strings.Join(targets, ", "))
	var create, update, unchanged, syncs int
	for _, wp := range p.Workflows {
		fmt.Fprintf(w, "  %s %-9s %s\n", actionMark[wp.Action], wp.Action, wp.WorkflowID)
		switch wp.Action {
		case apply.Create:
			create++
		case apply.Update:
			update++
		case apply.Unchanged:
			unchanged++
		}
		for _, t := range wp.Targets {
			if t.Action == apply.Sync {
				syncs++
			}
		}
		for _, line := range workflowDetail(wp) {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
	dups := 0
	for _, pp := range p.Prune {
		switch {
		case p.PruneEnabled:
			fmt.Fprintf(w, "  - delete    %s (%s; synced copies in targets stay)\n", pp.WorkflowID, orphanText(pp))
		case pp.DuplicateOf != "":
			dups++
			fmt.Fprintf(w, "  ? duplicate %s (%s; -prune deletes it from %s)\n", pp.WorkflowID, orphanText(pp), p.Source.Name)
		default:
			fmt.Fprintf(w, "  ? orphan    %s (created by this registry, %s; -prune deletes it from %s)\n", pp.WorkflowID, orphanText(pp), p.Source.Name)
		}
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	prune := 0
	if p.PruneEnabled {
		prune = len(p.Prune)
	}
	fmt.Fprintf(w, "Plan: %d to create, %d to update, %d unchanged, %d syncs, %d to delete", create, update, unchanged, syncs, prune)
	// Without -prune a duplicate stays, and is drift all the same
	// (-detailed-exitcode exits 2 for it): the count must not read "0".
	switch dups {
	case 0:
		fmt.Fprintln(w, ".")
	case 1:
		fmt.Fprintln(w, ", 1 duplicate (drift; -prune deletes it).")
	default:
		fmt.Fprintf(w, ", %d duplicates (drift; -prune deletes them).\n", dups)
	}
}

// workflowDetail is what the plan shows under a workflow's line, one
// string per line, indented relative to it: its error, its field changes,
// a line per target with that target's field changes, its warnings. The
// terminal and the step summary show the same lines.
func workflowDetail(wp apply.WorkflowPlan) []string {
	var out []string
	if wp.Error != nil {
		out = append(out, "error: "+wp.Error.Message)
	}
	for _, c := range wp.Changes {
		out = append(out, strings.Split(c.String(), "\n")...)
	}
	for _, t := range wp.Targets {
		line := string(t.Action)
		if t.Reason != "" {
			line += " (" + reasonText(t.Reason) + ")"
		}
		out = append(out, t.Environment+": "+line)
		for _, c := range t.Changes {
			for _, l := range strings.Split(c.String(), "\n") {
				out = append(out, "  "+l)
			}
		}
	}
	for _, warn := range wp.Warnings {
		out = append(out, "warning: "+warn)
	}
	return out
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

// orphanText says why a workflow is up for pruning. A duplicate has two
// possible causes, and the reader must not be sent after only one.
func orphanText(pp apply.PrunePlan) string {
	if pp.DuplicateOf != "" {
		return "a duplicate of " + pp.DuplicateOf + ": a create of it landed twice, because an answer was lost and the create was sent again, or because two runs raced"
	}
	return "left the registry"
}

func reasonText(r string) string {
	switch r {
	case apply.ReasonAbsent:
		return "absent"
	case apply.ReasonDiffers:
		return "differs"
	case apply.ReasonFollows:
		return "follows the source change"
	case apply.ReasonUnreadable:
		return "cannot be read; synced to be sure"
	}
	return r
}

// printReport writes a line per workflow and action, failures with
// Novu's status and message, and the summary.
func printReport(w io.Writer, r *apply.Report) {
	for _, wr := range r.Workflows {
		fmt.Fprintf(w, "%-10s %s\n", wr.Outcome, wr.WorkflowID)
		for _, t := range wr.Targets {
			if t.Outcome == apply.AlreadyInSync {
				continue
			}
			fmt.Fprintf(w, "%-10s %s → %s\n", t.Outcome, wr.WorkflowID, t.Environment)
		}
	}
	for _, p := range r.Pruned {
		if p.Reason != "" {
			fmt.Fprintf(w, "%-10s %s (%s)\n", p.Outcome, p.WorkflowID, p.Reason)
			continue
		}
		fmt.Fprintf(w, "%-10s %s\n", p.Outcome, p.WorkflowID)
	}
	for _, f := range r.Failures {
		fmt.Fprintf(w, "FAILED %s\n", failureLine(f))
	}
	s := r.Summary
	fmt.Fprintf(w, "Summary: %d created, %d updated, %d unchanged, %d synced, %d pruned, %d failed\n",
		s.Created, s.Updated, s.Unchanged, s.Synced, s.Pruned, s.Failed)
}

func failureLine(f apply.Failure) string {
	where := f.Operation
	if f.Environment != "" {
		where += " in " + f.Environment
	}
	status := ""
	if f.Status != 0 {
		status = fmt.Sprintf(" (HTTP %d)", f.Status)
	}
	if f.Step != "" {
		status += fmt.Sprintf(", step %q", f.Step)
	}
	return fmt.Sprintf("%s: %s%s: %s", f.WorkflowID, where, status, f.Message)
}

// planMarkdown and reportMarkdown are the GitHub step summary: one table,
// a workflow per row, an environment per column, every row as wide as the
// header (a workflow that failed before its targets shows "—" there). The
// plan adds, under the table, one collapsed <details> per workflow with
// field changes, holding the lines the terminal shows for it.
func planMarkdown(p *apply.Plan) string {
	var b strings.Builder
	b.WriteString("### novugen plan\n\n")
	header(&b, p)
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
	for _, wp := range p.Workflows {
		n := fieldChanges(wp)
		if n == 0 {
			continue
		}
		noun := "field changes"
		if n == 1 {
			noun = "field change"
		}
		fmt.Fprintf(&b, "\n<details><summary><code>%s</code>: %s in %s, %d %s</summary>\n\n%s\n</details>\n",
			html.EscapeString(wp.WorkflowID), html.EscapeString(string(wp.Action)), html.EscapeString(p.Source.Name), n, noun, codeBlock(workflowDetail(wp)))
	}
	return b.String()
}

func reportMarkdown(r *apply.Report) string {
	var b strings.Builder
	b.WriteString("### novugen apply\n\n")
	header(&b, r.Plan)
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
