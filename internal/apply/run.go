package apply

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

// maxCreateAttempts bounds POSTs of one workflow in one run: each new POST
// follows a GET that answered 404 after an unknown outcome.
const maxCreateAttempts = 3

// Run writes what p says, concurrently per workflow: the source write
// (create or update), then each target's sync in order, only after the
// source is right; a failed sync skips that workflow's later targets. One
// workflow's failure never stops the others. Then, with pruning on, it
// deletes the workflows that left the registry.
//
// When ctx ends, Run starts nothing new, lets writes already sent finish
// (Config.WriteGrace), and returns the report with Interrupted set. The
// error is non-nil only when Run could not do its job at all; per-workflow
// failures are in the report.
func (e *Engine) Run(ctx context.Context, p *Plan) (*Report, error) {
	if p == nil {
		return nil, errors.New("apply: nil plan")
	}
	start, startRetries := e.Requests(), e.Retries()
	r := &Report{SchemaVersion: ReportSchemaVersion, Plan: p, Workflows: make([]WorkflowResult, len(p.Workflows))}
	var mu sync.Mutex // guards r.Failures and r.Interrupted
	fail := func(f *Failure) {
		mu.Lock()
		r.Failures = append(r.Failures, *f)
		mu.Unlock()
	}

	// Layouts first: a workflow's update or sync must find its layout
	// (a sync reads it in the source, docs/novu-api.md §4.8). A workflow
	// using a layout that failed is not written.
	r.Layouts = make([]LayoutResult, len(p.Layouts))
	var failedLayouts []string
	for i := range p.Layouts {
		res, f := e.runLayout(ctx, p, &p.Layouts[i])
		r.Layouts[i] = res
		if f != nil {
			fail(f)
			failedLayouts = append(failedLayouts, res.LayoutID)
		}
	}

	g := &errgroup.Group{}
	g.SetLimit(e.cfg.Concurrency)
	var done int
	for i := range p.Workflows {
		wp := &p.Workflows[i]
		g.Go(func() error {
			if id := slices.IndexFunc(usedLayouts([]registry.Workflow{wp.def}), func(id string) bool { return slices.Contains(failedLayouts, id) }); id >= 0 && wp.Error == nil {
				wp.Error = &Failure{WorkflowID: wp.WorkflowID, Operation: "layout", Environment: p.Source.Name,
					Message: fmt.Sprintf("not written: layout %q, which an email step uses, failed in %s", usedLayouts([]registry.Workflow{wp.def})[id], p.Source.Name)}
			}
			r.Workflows[i] = e.runWorkflow(ctx, p, wp, fail)
			mu.Lock()
			done++
			n := done
			mu.Unlock()
			e.progress(Progress{Phase: "apply", Done: n, Total: len(p.Workflows), WorkflowID: wp.WorkflowID})
			return nil
		})
	}
	_ = g.Wait()

	if p.PruneEnabled {
		// Deletes cannot be undone, so they run only after everything
		// else succeeded: a failed read or write means something is off
		// (the server, the key, the registry) and a person will look at
		// this run anyway. The next clean run deletes them.
		mu.Lock()
		failed := len(r.Failures)
		mu.Unlock()
		for _, pp := range p.Prune {
			res := PruneResult{WorkflowID: pp.WorkflowID, Outcome: Skipped}
			switch {
			case failed > 0:
				res.Reason = fmt.Sprintf("not deleted: %d operations of this run failed, and prune runs only when everything else succeeded; re-run once they are fixed", failed)
			case ctx.Err() != nil:
				res.Reason = "not deleted: the run was interrupted"
			default:
				if err := e.write(ctx, func(wctx context.Context) error {
					// Delete by _id: the workflowId may be in use again by
					// then, and the _id names exactly what the plan showed.
					return e.source.DeleteWorkflow(wctx, pp.ID)
				}); err != nil && !errors.Is(err, novu.ErrNotFound) {
					res.Outcome = FailedOut
					fail(failure(pp.WorkflowID, "delete", p.Source.Name, err))
				} else {
					res.Outcome = Pruned
				}
			}
			r.Pruned = append(r.Pruned, res)
		}
	}

	// Workers finish in any order; the report must not.
	slices.SortStableFunc(r.Failures, func(a, b Failure) int {
		return cmp.Or(strings.Compare(a.WorkflowID, b.WorkflowID), strings.Compare(a.Operation, b.Operation))
	})
	// An interruption fails the run even when it came after the last
	// write: the operator stopped it and must not read success.
	r.Interrupted = ctx.Err() != nil
	r.Summary = r.summarize()
	r.Requests = p.Requests + e.Requests() - start
	r.Retries = p.Retries + e.Retries() - startRetries
	return r, nil
}

// write runs one write that survives the end of ctx for WriteGrace, so
// that an interrupted run does not abandon a request mid-flight.
func (e *Engine) write(ctx context.Context, f func(context.Context) error) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.WriteGrace)
	defer cancel()
	return f(wctx)
}

func (e *Engine) runWorkflow(ctx context.Context, p *Plan, wp *WorkflowPlan, fail func(*Failure)) WorkflowResult {
	res := WorkflowResult{WorkflowID: wp.WorkflowID}
	skipTargets := func() {
		for _, t := range wp.Targets {
			res.Targets = append(res.Targets, TargetResult{Environment: t.Environment, Outcome: Skipped})
		}
	}
	if wp.Error != nil {
		res.Outcome = FailedOut
		fail(wp.Error)
		skipTargets()
		return res
	}
	if ctx.Err() != nil {
		res.Outcome = Skipped
		skipTargets()
		return res
	}
	switch wp.Action {
	case Create:
		if f := e.create(ctx, wp.def, p.names); f != nil {
			f.Environment = p.Source.Name
			res.Outcome = FailedOut
			fail(f)
			skipTargets()
			return res
		}
		res.Outcome = Created
	case Update:
		err := e.write(ctx, func(wctx context.Context) error {
			_, err := e.source.UpdateWorkflow(wctx, wp.WorkflowID, novu.NewUpdateRequest(wp.def, wp.stepIDs))
			return err
		})
		if err != nil {
			res.Outcome = FailedOut
			fail(failure(wp.WorkflowID, "update", p.Source.Name, err).inStep(wp.def))
			skipTargets()
			return res
		}
		res.Outcome = Updated
	default:
		res.Outcome = Kept
	}

	// Targets in order; a failure or an interruption skips the rest, so
	// Production never gets what Staging did not.
	stop := false
	for ti, tp := range wp.Targets {
		tr := TargetResult{Environment: tp.Environment}
		switch {
		case stop || ctx.Err() != nil:
			tr.Outcome = Skipped
			stop = true
		case tp.Action == InSync:
			tr.Outcome = AlreadyInSync
		default:
			err := e.write(ctx, func(wctx context.Context) error {
				_, err := e.source.SyncWorkflow(wctx, wp.WorkflowID, p.Targets[ti].ID)
				return err
			})
			if err != nil {
				tr.Outcome = FailedOut
				fail(failure(wp.WorkflowID, "sync", tp.Environment, err))
				stop = true
			} else {
				tr.Outcome = Synced
			}
		}
		res.Targets = append(res.Targets, tr)
	}
	return res
}

// create POSTs def, following docs/novu-api.md §5: a 201 whose workflowId differs
// from the request is a duplicate someone else's workflow forced (a
// failure, not a success); a POST with an unknown outcome is followed by a
// GET before any new POST.
//
// names maps every workflowId of the registry to its name (see
// duplicateOf).
func (e *Engine) create(ctx context.Context, def registry.Workflow, names map[string]string) *Failure {
	// Every POST of this workflow carries one key: when a GET says the
	// first did not land yet and we send it again, a server still working
	// on the first answers "in progress" instead of creating a duplicate.
	// The price: Novu replays a stored error for the same key, so a create
	// refused with a 5xx stays refused until the next run. A failed run is
	// safe to repeat; a duplicate needs a person.
	ctx = novu.WithIdempotencyKey(ctx, novu.NewIdempotencyKey())
	resent := false // a POST was sent again after an unknown outcome
	for attempt := 1; ; attempt++ {
		var got *novu.Workflow
		err := e.write(ctx, func(wctx context.Context) error {
			var err error
			got, err = e.source.CreateWorkflow(wctx, novu.NewCreateRequest(def))
			return err
		})
		if errors.Is(err, novu.ErrOutcomeUnknown) {
			// Did it land? Only a 404 allows another POST.
			var gerr error
			got, gerr = e.landed(ctx, def.WorkflowID)
			switch {
			case gerr == nil:
				err = nil // it landed
			case errors.Is(gerr, novu.ErrNotFound) && attempt < maxCreateAttempts && ctx.Err() == nil:
				resent = true
				continue
			case errors.Is(gerr, novu.ErrNotFound):
				return failure(def.WorkflowID, "create", "", fmt.Errorf("%w; a GET after it answered 404, so it has not landed (yet): re-run, which reads before creating", err))
			default:
				return failure(def.WorkflowID, "create", "", fmt.Errorf("%w; the GET to find out failed too (%v): re-run, which reads before creating", err, gerr))
			}
		}
		if err != nil {
			return createFailure(def, err)
		}
		if got.WorkflowID != def.WorkflowID {
			// def.WorkflowID came to exist between our 404 and our POST,
			// and Novu made ours unique by suffixing it. The duplicate is
			// left in place: it is a complete copy of our definition, and
			// deleting by guess could race the other writer. Name it.
			who := "someone else created it concurrently"
			if resent {
				who = "most likely this run's own earlier POST, whose answer was lost, landed after all (or someone else created it concurrently)"
			}
			return &Failure{WorkflowID: def.WorkflowID, Operation: "create", Status: 201,
				Message: fmt.Sprintf("requested workflowId %q but Novu created %q (_id %s): %q exists already: %s; delete the duplicate %q in the dashboard (or DELETE /v2/workflows/%s) and re-run",
					def.WorkflowID, got.WorkflowID, got.ID, def.WorkflowID, who, got.WorkflowID, got.ID)}
		}
		if resent {
			if f := e.strayDuplicates(ctx, def, names); f != nil {
				return f
			}
		}
		return nil
	}
}

// landed reads workflowID after a POST whose answer was lost. A lost answer
// (a gateway's 502 or 504, our own timeout) says nothing about the backend,
// which may still be working on the create: a second POST sent now would
// then make a suffixed duplicate (docs/novu-api.md §5), unless the server honours
// Idempotency-Key, which Novu does only behind a flag (§10). So, until the
// server has shown it honours keys, a 404 is believed only after polling for
// Config.CreateSettle.
func (e *Engine) landed(ctx context.Context, workflowID string) (*novu.Workflow, error) {
	deadline := time.Now().Add(e.cfg.CreateSettle)
	wait := max(e.cfg.CreateSettle/15, time.Millisecond)
	for {
		var got *novu.Workflow
		var gerr error
		_ = e.write(ctx, func(wctx context.Context) error {
			got, gerr = e.source.GetWorkflow(wctx, workflowID, "")
			return nil
		})
		left := time.Until(deadline)
		if !errors.Is(gerr, novu.ErrNotFound) || e.source.HonoursIdempotency() || left <= 0 {
			return got, gerr
		}
		// Growing pauses, the last one cut to end at the deadline, where
		// one more GET decides.
		t := time.NewTimer(min(wait, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return got, gerr
		case <-t.C:
		}
		wait *= 2
	}
}

// strayDuplicates looks for a suffixed copy of def that this tool created:
// after a create was sent twice, the first may have landed after all, under
// a suffixed workflowId, and nobody saw its answer. It is reported, not
// deleted: the plan of the next run lists it, and -prune removes it.
func (e *Engine) strayDuplicates(ctx context.Context, def registry.Workflow, names map[string]string) *Failure {
	var items []novu.WorkflowSummary
	var err error
	_ = e.write(ctx, func(wctx context.Context) error {
		items, err = e.source.ListWorkflows(wctx, novu.ListOptions{Query: def.WorkflowID})
		return nil
	})
	if err != nil {
		return failure(def.WorkflowID, "create", "", fmt.Errorf("created after a second POST (the first one's answer was lost), but listing %q to check for a duplicate failed: %w; look for %s-xxxx in the dashboard", def.WorkflowID, err, def.WorkflowID))
	}
	var dups []string
	for _, it := range items {
		if base, ok := duplicateOf(it.WorkflowID, it.Name, names); ok && base == def.WorkflowID && e.createdHere(base, it.Tags) {
			dups = append(dups, fmt.Sprintf("%q (_id %s)", it.WorkflowID, it.ID))
		}
	}
	if len(dups) == 0 {
		return nil
	}
	return &Failure{WorkflowID: def.WorkflowID, Operation: "create", Status: 201,
		Message: fmt.Sprintf("created, but the first POST, whose answer was lost, landed too: Novu also holds %s, a duplicate this tool made; delete it in the dashboard, or re-run with -prune", strings.Join(dups, ", "))}
}

// Unfinished reports whether any write of the plan was skipped: after an
// interruption, whether a re-run has anything left to do.
func (r *Report) Unfinished() bool {
	for _, w := range r.Workflows {
		if w.Outcome == Skipped || slices.ContainsFunc(w.Targets, func(t TargetResult) bool { return t.Outcome == Skipped }) {
			return true
		}
	}
	return slices.ContainsFunc(r.Pruned, func(p PruneResult) bool { return p.Outcome == Skipped })
}

func (r *Report) summarize() Summary {
	var s Summary
	for _, w := range r.Workflows {
		switch w.Outcome {
		case Created:
			s.Created++
		case Updated:
			s.Updated++
		case Kept:
			s.Unchanged++
		}
		for _, t := range w.Targets {
			if t.Outcome == Synced {
				s.Synced++
			}
		}
	}
	for _, p := range r.Pruned {
		if p.Outcome == Pruned {
			s.Pruned++
		}
	}
	s.Failed = len(r.Failures)
	return s
}
