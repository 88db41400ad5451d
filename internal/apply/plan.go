package apply

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/validate"
	"github.com/novugen/novugen/registry"
)

// Plan validates defs, resolves the environments and reads what Novu holds,
// writing nothing. The result says, per workflow and per target, what Run
// would do and why.
//
// Reads are spent where they can change the answer: the source's list finds
// the tagged workflows that left the registry (prune), a target's list which
// copies exist; every managed workflow gets one GET in the source, which is
// both the 404 a create needs (docs/novu-api.md §5) and the content an update is
// compared on; a target copy is compared only when the source is unchanged,
// because a source that changes in this run will be synced anyway. (It is
// read together with the source when the target has its own key, whose
// bucket no write draws from; through the source key, only once the source
// is known to be unchanged.)
func (e *Engine) Plan(ctx context.Context, defs []registry.Workflow) (*Plan, error) {
	// Validation goes first and sends nothing: a registry with a mistake
	// must not reach Novu, even partly.
	f, lf := validate.Registry(defs, e.cfg.EnvironmentVariables...), validate.Layouts(e.cfg.Layouts)
	if len(f) > 0 || len(lf) > 0 {
		return nil, &InvalidError{Findings: f, Layouts: lf}
	}
	managed, err := e.selectDefs(defs)
	if err != nil {
		return nil, err
	}
	if e.cfg.Prune && len(defs) == 0 {
		// An empty registry would make every workflow it ever created an
		// orphan: that is a mistake far more often than an intent.
		return nil, &UsageError{Msg: "-prune with an empty registry would delete every workflow it created; refusing (delete them in the dashboard if that is the intent)"}
	}
	start, startRetries := e.Requests(), e.Retries()

	envs, err := e.source.Environments(ctx)
	if err != nil {
		return nil, fmt.Errorf("list environments: %w", err)
	}
	src, err := sourceEnvironment(envs)
	if err != nil {
		return nil, err
	}
	targets, err := resolveTargets(e.cfg.Targets, envs, src)
	if err != nil {
		return nil, err
	}
	p := &Plan{Source: Environment{Name: src.Name, ID: src.ID, Readable: true}, OwnerTag: e.tag, PruneEnabled: e.cfg.Prune}
	if e.cfg.Targets == nil && len(targets) < len(DefaultTargets) {
		// The defaults are skipped silently only where they exist: an
		// organization with other names would otherwise never be synced
		// and never hear about it.
		var missing []string
		for _, name := range DefaultTargets {
			if !slices.ContainsFunc(targets, func(t novu.Environment) bool { return strings.EqualFold(t.Name, name) }) {
				missing = append(missing, name)
			}
		}
		p.Notes = append(p.Notes, fmt.Sprintf("no environment named %s, so nothing is synced there; the organization has %s: name the targets with -to",
			strings.Join(missing, " or "), strings.Join(names(envs), ", ")))
	}

	// One list per environment, in parallel.
	var (
		srcList  map[string]novu.WorkflowSummary
		tgtLists = make([]map[string]novu.WorkflowSummary, len(targets))
		readers  = make([]reader, len(targets))
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		items, err := e.source.ListWorkflows(gctx, novu.ListOptions{})
		if err != nil {
			return fmt.Errorf("list workflows in %s: %w", src.Name, err)
		}
		srcList = byWorkflowID(items)
		return nil
	})
	for i, t := range targets {
		g.Go(func() error {
			r, list, err := e.openTarget(gctx, t)
			if err != nil {
				return err
			}
			readers[i], tgtLists[i] = r, list
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, t := range targets {
		env := Environment{Name: t.Name, ID: t.ID, Readable: readers[i].ok(), ReadWith: readers[i].how}
		p.Targets = append(p.Targets, env)
		if !env.Readable {
			p.Notes = append(p.Notes, fmt.Sprintf(
				"%s cannot be read with the %s key (Novu scopes API keys to their own environment), so every workflow is synced there and its plan is not exact; set %s to %s's secret key (used for reading only) for an exact plan",
				t.Name, src.Name, novu.EnvTargetKey(t.Name), t.Name))
		}
	}

	// Before any workflow is planned: a variable without a value stops the
	// run, whatever the workflows would do.
	envNotes, err := e.checkEnvVars(ctx, src, targets)
	if err != nil {
		return nil, err
	}
	p.Notes = append(p.Notes, envNotes...)

	// Layouts first, bounded like the workflows: one source read each, and
	// one per readable target when the source is unchanged.
	layouts := e.selectLayouts(managed)
	p.Layouts = make([]LayoutPlan, len(layouts))
	g = &errgroup.Group{}
	g.SetLimit(e.cfg.Concurrency)
	for i, l := range layouts {
		g.Go(func() error {
			p.Layouts[i] = e.planLayout(ctx, l, targets, readers)
			return nil
		})
	}
	_ = g.Wait() // planLayout records its errors in the plan

	// Per workflow, bounded: each costs at most one source read and one
	// read per readable target.
	p.Workflows = make([]WorkflowPlan, len(managed))
	g = &errgroup.Group{}
	g.SetLimit(max(e.cfg.Concurrency, readFanout))
	var done int
	var doneMu sync.Mutex
	for i, def := range managed {
		g.Go(func() error {
			p.Workflows[i] = e.planWorkflow(ctx, def, targets, readers, tgtLists)
			layoutsFollow(&p.Workflows[i], p.Layouts)
			doneMu.Lock()
			done++
			n := done
			doneMu.Unlock()
			e.progress(Progress{Phase: "plan", Done: n, Total: len(managed), WorkflowID: def.WorkflowID})
			return nil
		})
	}
	_ = g.Wait() // planWorkflow records its errors in the plan
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("planning interrupted: %w", err)
	}
	for _, w := range p.Workflows {
		if w.Error != nil {
			w.Error.Environment = src.Name // every plan read is in the source
		}
	}
	for _, l := range p.Layouts {
		if l.Error != nil {
			l.Error.Environment = src.Name
		}
	}

	// Pruning considers the whole registry, not Only: a workflow outside
	// Only has not left the registry (New refuses Prune with Only anyway).
	p.names = make(map[string]string, len(defs))
	for _, d := range defs {
		p.names[d.WorkflowID] = d.Name
	}
	// Only what this registry created under its workflowId is pruned (see
	// WorkflowTag): a copy keeps the tag but not the workflowId. A suffixed
	// copy of one of ours is what a create that landed twice leaves
	// behind (docs/novu-api.md §5): say so, not just "left the registry".
	claims := e.classify(srcList, p.names)
	for id, c := range claims {
		if c.kind == orphan || c.kind == duplicate {
			s := srcList[id]
			p.Prune = append(p.Prune, PrunePlan{WorkflowID: id, ID: s.ID, Name: s.Name, DuplicateOf: c.of})
		}
	}
	slices.SortFunc(p.Prune, func(a, b PrunePlan) int { return strings.Compare(a.WorkflowID, b.WorkflowID) })
	for _, pp := range p.Prune {
		if pp.DuplicateOf != "" {
			p.Notes = append(p.Notes, fmt.Sprintf("%s holds %q (_id %s), a duplicate of %q: a create of %q landed twice and Novu suffixed the second, either because a create whose answer was lost was sent again or because two runs raced (queue applies, never run two at once); -prune deletes it (or delete it in the dashboard)",
				src.Name, pp.WorkflowID, pp.ID, pp.DuplicateOf, pp.DuplicateOf))
		}
	}
	if n := leftAlone(src.Name, claims); n != "" {
		p.Notes = append(p.Notes, n)
	}
	p.Requests, p.Retries = e.Requests()-start, e.Retries()-startRetries
	return p, nil
}

// selectDefs returns the definitions the run manages (all, or Only), sorted
// by workflowId.
func (e *Engine) selectDefs(defs []registry.Workflow) ([]registry.Workflow, error) {
	ids := make([]string, len(defs))
	for i, d := range defs {
		ids[i] = d.WorkflowID
	}
	slices.Sort(ids)
	var unknown []string
	for _, id := range e.cfg.Only {
		if !slices.Contains(ids, id) {
			unknown = append(unknown, fmt.Sprintf("%q", id))
		}
	}
	if len(unknown) > 0 {
		return nil, &UsageError{Msg: fmt.Sprintf("%s not in the registry; workflowIds in the registry: %s", strings.Join(unknown, ", "), strings.Join(ids, ", "))}
	}
	var out []registry.Workflow
	for _, d := range defs {
		if len(e.cfg.Only) == 0 || slices.Contains(e.cfg.Only, d.WorkflowID) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b registry.Workflow) int { return strings.Compare(a.WorkflowID, b.WorkflowID) })
	return out, nil
}

// planWorkflow reads one workflow where needed and decides its actions.
func (e *Engine) planWorkflow(ctx context.Context, def registry.Workflow,
	targets []novu.Environment, readers []reader, tgtLists []map[string]novu.WorkflowSummary) WorkflowPlan {
	wp := WorkflowPlan{WorkflowID: def.WorkflowID, def: def}
	// A target's copy is read together with the source when the target
	// has its own key: that key only ever reads, so its bucket costs the
	// run nothing, and the answer is dropped if the source changes. Read
	// through the source key it would take the source's tokens: then only
	// once the source is known to be unchanged.
	copies := make([]*novu.Workflow, len(targets))
	copyErrs := make([]error, len(targets))
	early := make([]bool, len(targets))
	var reads sync.WaitGroup
	defer reads.Wait()
	read := func(i int) { reads.Go(func() { copies[i], copyErrs[i] = readers[i].get(ctx, def.WorkflowID) }) }
	for i := range targets {
		if _, listed := tgtLists[i][def.WorkflowID]; listed && readers[i].ok() && readers[i].client != e.source {
			early[i] = true
			read(i)
		}
	}
	// The ownership tag goes on what this run creates and stays on what
	// it created before (bound to the workflowId); a workflow adopted from
	// the dashboard or another registry is updated without one, so -prune
	// never deletes what this registry did not create.
	// Absent from the list or not, a GET decides: it is the 404 a create
	// needs, and for a present workflow it gives content and step _ids.
	got, err := e.source.GetWorkflow(ctx, def.WorkflowID, "")
	switch {
	case errors.Is(err, novu.ErrNotFound):
		wp.Action = Create
		wp.def = withTag(def, e.tagFor(def.WorkflowID))
	case err != nil:
		wp.Action = Failed
		wp.Error = failure(def.WorkflowID, "read", "", err)
		return wp
	case got.WorkflowID != def.WorkflowID:
		// The path also takes _ids and slugs, and a server may match
		// loosely (case): an update would then rewrite another workflow.
		wp.Action = Failed
		wp.Error = &Failure{WorkflowID: def.WorkflowID, Operation: "read", Status: 200,
			Message: fmt.Sprintf("GET /v2/workflows/%s answered workflow %q (_id %s), not %q; nothing is written to it: rename the workflow in the registry or in Novu so the ids match exactly",
				def.WorkflowID, got.WorkflowID, got.ID, def.WorkflowID)}
		return wp
	default:
		// An update writes the declared tags and, only if this registry
		// created the workflow, its own ownership tag; every other
		// ownership tag is dropped and named (Engine.ownTags).
		var dropped []string
		wp.def, dropped = e.ownTags(def, got.Tags)
		wp.id, wp.stepIDs = got.ID, got.StepIDs()
		wp.Changes = compare(wp.def, got)
		wp.Action = Unchanged
		if len(wp.Changes) > 0 {
			wp.Action = Update
		}
		wp.Warnings = append(warnings(got), dropped...)
	}
	for i := range targets {
		if _, listed := tgtLists[i][def.WorkflowID]; !early[i] && wp.Action == Unchanged && readers[i].ok() && (tgtLists[i] == nil || listed) {
			read(i)
		}
	}
	reads.Wait()
	for i, t := range targets {
		tp := TargetPlan{Environment: t.Name}
		_, listed := tgtLists[i][def.WorkflowID]
		switch {
		case wp.Action != Unchanged && tgtLists[i] != nil && !listed:
			tp.Action, tp.Reason = Sync, ReasonAbsent
		case wp.Action != Unchanged:
			tp.Action, tp.Reason = Sync, ReasonFollows
		case !readers[i].ok():
			tp.Action, tp.Reason = Sync, ReasonUnreadable
		case tgtLists[i] != nil && !listed:
			tp.Action, tp.Reason = Sync, ReasonAbsent
		default:
			copy, err := copies[i], copyErrs[i]
			switch {
			case errors.Is(err, novu.ErrNotFound):
				tp.Action, tp.Reason = Sync, ReasonAbsent
			case err != nil:
				// A target that cannot be read for this workflow is
				// synced: the sync itself will tell if it is reachable.
				tp.Action, tp.Reason = Sync, ReasonUnreadable
				wp.Warnings = append(wp.Warnings, fmt.Sprintf("%s: cannot read the copy (%v); it will be synced", t.Name, err))
			case copy.ID == wp.id:
				// Workflow _ids differ per environment (docs/novu-api.md §3): this
				// is the source itself, from a server that ignored
				// ?environmentId=. Comparing it would call the target in
				// sync without having seen it.
				tp.Action, tp.Reason = Sync, ReasonUnreadable
				wp.Warnings = append(wp.Warnings, fmt.Sprintf("%s: Novu answered the ?environmentId= read with the source workflow itself; it will be synced (set %s for an exact plan)",
					t.Name, novu.EnvTargetKey(t.Name)))
			default:
				tp.Changes = compare(wp.def, copy)
				tp.Action = InSync
				if len(tp.Changes) > 0 {
					tp.Action, tp.Reason = Sync, ReasonDiffers
				}
			}
		}
		wp.Targets = append(wp.Targets, tp)
	}
	return wp
}

// warnings reports what Novu accepted but flagged: a workflow in ERROR
// status has control issues (docs/novu-api.md §6), and a workflow whose origin is not
// novu-cloud cannot be synced (docs/novu-api.md §4.6).
func warnings(w *novu.Workflow) []string {
	var out []string
	if w.Origin != "" && w.Origin != novu.OriginNovuCloud {
		out = append(out, fmt.Sprintf("origin is %q: Novu syncs only novu-cloud workflows; delete it in the dashboard and re-run to recreate it", w.Origin))
	}
	for _, s := range w.Steps {
		if s.Issues == nil {
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(s.Issues.Controls)) {
			for _, is := range s.Issues.Controls[k] {
				out = append(out, fmt.Sprintf("step %q, control %q: %s (%s)", s.StepID, k, is.Message, is.IssueType))
			}
		}
	}
	return out
}
