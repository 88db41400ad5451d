// Package apply is novugen's engine: it takes a registry of workflow
// definitions and makes Novu hold exactly them, Development first, then each
// target environment by sync, like a database migration tool.
//
//	e, err := apply.New(apply.Config{Key: key, Targets: []string{"Staging", "Production"}})
//	plan, err := e.Plan(ctx, defs) // validate, resolve environments, read, compare; writes nothing
//	report, err := e.Run(ctx, plan) // create / update / sync / prune what the plan says
//
// Rules it keeps (docs/novu-api.md §4–6):
//
//   - Nothing is sent when local validation (internal/validate) fails.
//   - Environments are named and resolved through GET /v1/environments; an
//     unknown name fails before any write.
//   - A workflow is created only after a 404 seen in this run; a create that
//     answers another workflowId (Novu suffixes an id in use) is a failure that
//     names both ids. A create whose answer was lost is looked for with GET
//     before any new POST, for Config.CreateSettle unless the server has shown
//     it honours Idempotency-Key; a create sent twice is followed by a search
//     for a suffixed copy, and every plan names such copies. Duplicates are
//     left for the operator (or -prune): deleting by guess could race whoever
//     created the original.
//   - An update sends the full definition and carries each step's _id, so step
//     identity and history survive; unchanged workflows are not written.
//   - Syncs go to each target in order, only after the source is right, and
//     only where the target differs; a failed sync skips that workflow's later
//     targets. One workflow's failure never stops the others.
//   - Every workflow a run creates carries the registry's ownership tag
//     bound to its workflowId, WorkflowTag(Config.Owner, workflowId)
//     ("novugen:", 12 hex digits of the owner's hash, ":", 10 of the
//     workflowId's). An update writes exactly the declared tags plus, only
//     when this registry created the workflow, that tag; every other
//     ownership tag is dropped and named in the plan, since if kept it would
//     let the registry that wrote it delete a workflow managed here. This
//     registry's tag from before binding ("novugen:" and the owner's hash) is
//     dropped too: a dashboard copy keeps it under any workflowId, so it
//     cannot prove the workflow was created here.
//     Declarations cannot carry one (internal/validate reserves the form).
//     Pruning deletes only source workflows tagged for their own workflowId
//     that left the registry, and suffixed duplicates (Novu's suffix, the
//     original's name, the tag of the original, or of the scheme before
//     binding); a copy under another workflowId, or a workflow tagged before
//     binding that is not a duplicate, is named in the plan and left alone.
//     It deletes only when asked, never for an empty registry, and only when
//     nothing else in the run failed (a delete cannot be undone); synced
//     copies in targets stay. A duplicate makes the plan pending (drift)
//     even without pruning.
//
// Comparison is on the managed fields only (docs/novu-api.md §6): name, description,
// tags (as a set), active, severity, validatePayload, isTranslationEnabled,
// payloadSchema (JSON-equal), preferences, step order, and per step stepId,
// name, type and control values (numbers compared numerically). A stored
// control the definition does not set counts as a change unless it holds
// the default Novu fills in for its step type: it is a control the
// declaration stopped setting, which the update removes.
//
// Cost: a run sends one environment list, one workflow list per readable
// environment, one GET per managed workflow in the source (it is both the 404
// a create needs and the content and step _ids an update needs), and one GET
// per target copy only when the source is unchanged and the target lists the
// copy; writes go only where something differs. Target environments are read
// with their own key when given (Config.TargetKeys), else with
// ?environmentId=; when neither works (current Novu scopes keys) the target is
// unreadable and every workflow is synced there, which the plan says once.
package apply
