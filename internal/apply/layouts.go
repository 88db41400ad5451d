package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

// Layouts are planned and written before the workflows that use them: a
// workflow's email step names its layout by layoutId, and Novu's workflow
// sync reads each named layout in the source and upserts it in the target
// before the workflow (docs/novu-api.md §4.8). So a layout reaches Staging
// and Production with the sync of a workflow that uses it, and a layout
// that changes (or differs in a target) makes those workflows sync there.
//
// Layouts carry no tags in Novu (CreateLayoutDto and UpdateLayoutDto have
// none), so nothing records that this registry created one, and -prune
// never deletes a layout.

// LayoutPlan is the plan for one layout of the registry in the source.
type LayoutPlan struct {
	LayoutID string   `json:"layoutId"`
	Action   Action   `json:"action"`
	Changes  []Change `json:"changes"`
	// Targets names the target environments where the copy is absent or
	// differs (or cannot be read): the workflows using the layout are
	// synced there, which carries it.
	Targets []string `json:"targets"`
	Error   *Failure `json:"error,omitempty"`

	def registry.Layout
}

// LayoutResult is what happened to one layout in the source.
type LayoutResult struct {
	LayoutID string  `json:"layoutId"`
	Outcome  Outcome `json:"outcome"`
}

// ReasonLayout: the workflow is unchanged, but a layout it uses changes in
// this run or differs in the target, and only the workflow's sync carries
// a layout there.
const ReasonLayout = "layout"

// usedLayouts returns the layoutIds the email steps of defs name, sorted.
func usedLayouts(defs []registry.Workflow) []string {
	var ids []string
	for _, d := range defs {
		for _, s := range d.Steps {
			if id, ok := s.ControlValues["layoutId"].(string); ok && s.Type == registry.TypeEmail && id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// selectLayouts returns the registry's layouts the run manages: every one,
// or with Only those the selected workflows use; sorted by layoutId.
func (e *Engine) selectLayouts(managed []registry.Workflow) []registry.Layout {
	used := usedLayouts(managed)
	var out []registry.Layout
	for _, l := range e.cfg.Layouts {
		if len(e.cfg.Only) == 0 || slices.Contains(used, l.LayoutID) {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b registry.Layout) int { return strings.Compare(a.LayoutID, b.LayoutID) })
	return out
}

// planLayout reads one layout in the source and in each readable target.
func (e *Engine) planLayout(ctx context.Context, def registry.Layout, targets []novu.Environment, readers []reader) LayoutPlan {
	lp := LayoutPlan{LayoutID: def.LayoutID, def: def}
	got, err := e.source.GetLayout(ctx, def.LayoutID, "")
	switch {
	case errors.Is(err, novu.ErrNotFound):
		lp.Action = Create
	case err != nil:
		lp.Action = Failed
		lp.Error = layoutFailure(def.LayoutID, "read", "", err)
		return lp
	default:
		lp.Changes = compareLayout(def, got)
		lp.Action = Unchanged
		if len(lp.Changes) > 0 {
			lp.Action = Update
		}
	}
	for i, t := range targets {
		if lp.Action != Unchanged || !readers[i].ok() {
			lp.Targets = append(lp.Targets, t.Name)
			continue
		}
		copy, err := readers[i].client.GetLayout(ctx, def.LayoutID, readers[i].envID)
		if err != nil || (got != nil && copy.ID == got.ID) || len(compareLayout(def, copy)) > 0 {
			// Absent, unreadable, the source itself (a server that
			// ignored ?environmentId=) or different: the sync decides.
			lp.Targets = append(lp.Targets, t.Name)
		}
	}
	return lp
}

// compareLayout lists the managed fields of a layout that differ from def.
func compareLayout(def registry.Layout, got *novu.Layout) []Change {
	var out []Change
	add := func(path string, old, new any) {
		if !equalJSON(normalize(old), normalize(new)) {
			out = append(out, Change{Path: path, Old: old, New: new})
		}
	}
	add("name", got.Name, def.Name)
	add("isTranslationEnabled", got.IsTranslationEnabled, def.IsTranslationEnabled)
	var body, editor any
	if em := got.Controls.Values.Email; em != nil {
		body, editor = em.Body, em.EditorType
	}
	add("controlValues.email.body", body, def.Body)
	add("controlValues.email.editorType", editor, def.EditorType)
	return out
}

// layoutsFollow marks each target of an unchanged-there workflow for a
// sync when a layout it uses is listed for that target.
func layoutsFollow(wp *WorkflowPlan, layouts []LayoutPlan) {
	used := usedLayouts([]registry.Workflow{wp.def})
	for i := range wp.Targets {
		tp := &wp.Targets[i]
		if tp.Action != InSync {
			continue
		}
		for _, lp := range layouts {
			if slices.Contains(used, lp.LayoutID) && slices.Contains(lp.Targets, tp.Environment) {
				tp.Action, tp.Reason = Sync, ReasonLayout
				break
			}
		}
	}
}

// runLayout writes one layout in the source: an update, or a create (which
// carries no body in Novu's API) followed by the update that sets it.
func (e *Engine) runLayout(ctx context.Context, p *Plan, lp *LayoutPlan) (LayoutResult, *Failure) {
	res := LayoutResult{LayoutID: lp.LayoutID, Outcome: Kept}
	if lp.Error != nil {
		res.Outcome = FailedOut
		return res, lp.Error
	}
	if lp.Action == Unchanged {
		return res, nil
	}
	if ctx.Err() != nil {
		res.Outcome = Skipped
		return res, nil
	}
	create, update := novu.LayoutRequests(lp.def)
	res.Outcome = Updated
	if lp.Action == Create {
		res.Outcome = Created
		var got *novu.Layout
		err := e.write(ctx, func(wctx context.Context) error {
			var err error
			got, err = e.source.CreateLayout(wctx, create)
			return err
		})
		if errors.Is(err, novu.ErrOutcomeUnknown) {
			// Did it land? The update below needs it to exist.
			got, err = e.source.GetLayout(ctx, lp.LayoutID, "")
			if err != nil {
				err = fmt.Errorf("the create's answer was lost and a GET after it failed (%w): re-run, which reads before creating", err)
			}
		}
		if err == nil && got.LayoutID != lp.LayoutID {
			err = fmt.Errorf("requested layoutId %q but Novu created %q (_id %s); delete it in the dashboard and re-run", lp.LayoutID, got.LayoutID, got.ID)
		}
		if err != nil {
			res.Outcome = FailedOut
			return res, layoutFailure(lp.LayoutID, "create", p.Source.Name, err)
		}
	}
	err := e.write(ctx, func(wctx context.Context) error {
		_, err := e.source.UpdateLayout(wctx, lp.LayoutID, update)
		return err
	})
	if err != nil {
		res.Outcome = FailedOut
		return res, layoutFailure(lp.LayoutID, "update", p.Source.Name, err)
	}
	return res, nil
}

func layoutFailure(layoutID, op, env string, err error) *Failure {
	f := failure("", op, env, err)
	f.LayoutID = layoutID
	return f
}
