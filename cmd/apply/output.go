package main

import (
	"fmt"
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
		if wp.Error != nil {
			fmt.Fprintf(w, "      error: %s\n", wp.Error.Message)
		}
		for _, c := range wp.Changes {
			fmt.Fprintf(w, "      %s\n", indent(c.String(), "      "))
		}
		for _, t := range wp.Targets {
			line := string(t.Action)
			if t.Reason != "" {
				line += " (" + reasonText(t.Reason) + ")"
			}
			if t.Action == apply.Sync {
				syncs++
			}
			fmt.Fprintf(w, "      %s: %s\n", t.Environment, line)
			for _, c := range t.Changes {
				fmt.Fprintf(w, "        %s\n", indent(c.String(), "        "))
			}
		}
		for _, warn := range wp.Warnings {
			fmt.Fprintf(w, "      warning: %s\n", warn)
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

// orphanText says why a workflow is up for pruning. A duplicate has two
// possible causes, and the reader must not be sent after only one.
func orphanText(pp apply.PrunePlan) string {
	if pp.DuplicateOf != "" {
		return "a duplicate of " + pp.DuplicateOf + ": a create of it landed twice, because an answer was lost and the create was sent again, or because two runs raced"
	}
	return "left the registry"
}

// indent indents the second and later lines of a multi-line change.
func indent(s, by string) string { return strings.ReplaceAll(s, "\n", "\n"+by) }

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
// a workflow per row, an environment per column.
func planMarkdown(p *apply.Plan) string {
	var b strings.Builder
	b.WriteString("### novugen plan\n\n")
	header(&b, p)
	for _, wp := range p.Workflows {
		fmt.Fprintf(&b, "| `%s` | %s |", wp.WorkflowID, wp.Action)
		for _, t := range wp.Targets {
			cell := string(t.Action)
			if t.Reason != "" {
				cell += " (" + t.Reason + ")"
			}
			fmt.Fprintf(&b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	for _, pp := range p.Prune {
		if p.PruneEnabled {
			fmt.Fprintf(&b, "| `%s` | delete (%s) |%s\n", pp.WorkflowID, orphanText(pp), strings.Repeat(" |", len(p.Targets)))
		} else {
			fmt.Fprintf(&b, "| `%s` | orphan (%s; -prune deletes it) |%s\n", pp.WorkflowID, orphanText(pp), strings.Repeat(" |", len(p.Targets)))
		}
	}
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "\n> %s\n", mdEscape(n))
	}
	return b.String()
}

func reportMarkdown(r *apply.Report) string {
	var b strings.Builder
	b.WriteString("### novugen apply\n\n")
	header(&b, r.Plan)
	for _, wr := range r.Workflows {
		fmt.Fprintf(&b, "| `%s` | %s |", wr.WorkflowID, wr.Outcome)
		for _, t := range wr.Targets {
			fmt.Fprintf(&b, " %s |", t.Outcome)
		}
		b.WriteString("\n")
	}
	for _, pr := range r.Pruned {
		cell := string(pr.Outcome)
		if pr.Reason != "" {
			cell += " (" + mdEscape(pr.Reason) + ")"
		}
		fmt.Fprintf(&b, "| `%s` | %s |%s\n", pr.WorkflowID, cell, strings.Repeat(" |", len(r.Plan.Targets)))
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
	fmt.Fprintf(b, "| workflow | %s |", p.Source.Name)
	for _, t := range p.Targets {
		fmt.Fprintf(b, " %s |", t.Name)
	}
	b.WriteString("\n|---|---|")
	for range p.Targets {
		b.WriteString("---|")
	}
	b.WriteString("\n")
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
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
