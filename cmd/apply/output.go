package main

import (
	"fmt"

	"io"

	"strings"

	"github.com/novugen/novugen/internal/apply"
)

var actionMark = map[apply.Action]string{apply.Create: "+", apply.Update: "~", apply.Unchanged: "=", apply.Failed: "!"}

// printPlan writes the plan: a line per workflow with its action in the
// source, the field changes under it, then one line per target; the
// workflows up for pruning, the notes, and the totals.
func printPlan(w io.Writer, p *apply.Plan) {
	var targets []string
	for _, t := range p.Targets {
		targets = append(targets, t.Name)
	}
	if len(targets) == 0 {
		targets = []string{"(no targets)"}
	}
	fmt.Fprintf(w, "Plan: %s → %s\n", p.Source.Name, strings.Join(targets, ", "))
	for _, lp := range p.Layouts {
		fmt.Fprintf(w, "  %s %-9s layout %s\n", actionMark[lp.Action], lp.Action, lp.LayoutID)
		for _, line := range layoutDetail(lp) {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
	for _, wp := range p.Workflows {
		fmt.Fprintf(w, "  %s %-9s %s\n", actionMark[wp.Action], wp.Action, wp.WorkflowID)
		for _, line := range workflowDetail(wp) {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
	dups := printPrune(w, p)
	for _, n := range p.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	printPlanTotals(w, p, dups)
}

// printPrune writes a line per workflow up for pruning and returns how
// many are duplicates left in place (without -prune).
func printPrune(w io.Writer, p *apply.Plan) (dups int) {
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
	return dups
}

// printPlanTotals writes the plan's last line, the count of each action.
func printPlanTotals(w io.Writer, p *apply.Plan, dups int) {
	var create, update, unchanged, syncs int
	for _, wp := range p.Workflows {
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
	}
	prune := 0
	if p.PruneEnabled {
		prune = len(p.Prune)
	}
	if len(p.Layouts) > 0 {
		var lc, lu, ln int
		for _, lp := range p.Layouts {
			switch lp.Action {
			case apply.Create:
				lc++
			case apply.Update:
				lu++
			case apply.Unchanged:
				ln++
			}
		}
		fmt.Fprintf(w, "Layouts: %d to create, %d to update, %d unchanged.\n", lc, lu, ln)
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
	out := detailHead(wp.Error, wp.Changes)
	for _, t := range wp.Targets {
		line := string(t.Action)
		if t.Reason != "" {
			line += " (" + reasonText(t.Reason) + ")"
		}
		out = append(out, t.Environment+": "+line)
		out = append(out, changeLines(t.Changes, "  ")...)
	}
	for _, warn := range wp.Warnings {
		out = append(out, "warning: "+warn)
	}
	return out
}

// layoutDetail is what the plan shows under a layout's line: its error,
// its field changes, and the targets its workflows' syncs carry it to.
func layoutDetail(lp apply.LayoutPlan) []string {
	out := detailHead(lp.Error, lp.Changes)
	if len(lp.Targets) > 0 {
		out = append(out, "reaches "+strings.Join(lp.Targets, ", ")+" with the sync of the workflows that use it")
	}
	return out
}

// detailHead is how the detail under a workflow's or a layout's line
// starts: its error, then its field changes.
func detailHead(failure *apply.Failure, changes []apply.Change) []string {
	var out []string
	if failure != nil {
		out = append(out, "error: "+failure.Message)
	}
	return append(out, changeLines(changes, "")...)
}

// changeLines is the lines of changes, each indented by indent; a change
// of a long text is a line diff, several lines.
func changeLines(changes []apply.Change, indent string) []string {
	var out []string
	for _, c := range changes {
		for l := range strings.SplitSeq(c.String(), "\n") {
			out = append(out, indent+l)
		}
	}
	return out
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
	case apply.ReasonLayout:
		return "carries a layout that changes or differs there"
	}
	return r
}

// printReport writes a line per workflow and action, failures with
// Novu's status and message, and the summary.
func printReport(w io.Writer, r *apply.Report) {
	for _, lr := range r.Layouts {
		if lr.Outcome != apply.Kept {
			fmt.Fprintf(w, "%-10s layout %s\n", lr.Outcome, lr.LayoutID)
		}
	}
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
	who := f.WorkflowID
	if f.LayoutID != "" {
		who = "layout " + f.LayoutID
	}
	return fmt.Sprintf("%s: %s%s: %s", who, where, status, f.Message)
}
