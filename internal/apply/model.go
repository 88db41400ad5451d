package apply

import (
	"slices"

	"github.com/novugen/novugen/registry"
)

// Action is what a run does to a workflow in the source environment.
type Action string

// Actions in the source (Development) environment.
const (
	Create    Action = "create"    // absent: Novu answered 404 in this run
	Update    Action = "update"    // present and differs on a managed field
	Unchanged Action = "unchanged" // present and equal on every managed field
	Failed    Action = "failed"    // could not be planned (read error); see Error
)

// TargetAction is what a run does to a workflow in a target environment.
type TargetAction string

// Actions in a target environment.
const (
	Sync   TargetAction = "sync"    // the target copy is absent, differs, or could not be read
	InSync TargetAction = "in-sync" // the target copy equals the definition
)

// Reasons a target needs a sync; they tell the reader how exact the plan is.
const (
	ReasonAbsent     = "absent"     // no copy in the target
	ReasonDiffers    = "differs"    // read, and fields differ (see Changes)
	ReasonFollows    = "follows"    // the source changes in this run, so the copy will differ
	ReasonUnreadable = "unreadable" // the target cannot be read with the keys given
)

// Environment is a Novu environment as a run refers to it.
type Environment struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	// Readable says whether the plan could read workflows there; false
	// means every workflow is synced there, since nothing can be compared.
	Readable bool `json:"readable"`
	// ReadWith says how the target was read: "target-key" (its own
	// NOVU_SECRET_KEY_<NAME>), "environment-id" (the source key with
	// ?environmentId=, older and self-hosted Novu) or "" (not read).
	ReadWith string `json:"readWith,omitempty"`
}

// Plan is what a run will do, computed from reads only. It is also the
// input of Run: Run writes exactly what the plan says, using the step _ids
// the plan read.
type Plan struct {
	Source Environment `json:"source"`
	// OwnerTag starts the ownership tags of this registry (OwnerTag): a
	// workflow it creates carries OwnerTag, ":" and a hash of its
	// workflowId (WorkflowTag).
	OwnerTag string        `json:"ownerTag"`
	Targets  []Environment `json:"targets"`
	// Layouts come before the workflows: Run writes them first.
	Layouts   []LayoutPlan   `json:"layouts"`
	Workflows []WorkflowPlan `json:"workflows"`
	// Prune lists the source workflows this registry created whose
	// workflowId left the registry, and the suffixed duplicates of its
	// workflows (DuplicateOf). They are deleted only when PruneEnabled.
	Prune        []PrunePlan `json:"prune"`
	PruneEnabled bool        `json:"pruneEnabled"`
	// Notes are said once for the whole plan (an unreadable target and how
	// to make its plan exact).
	Notes []string `json:"notes"`
	// names maps every workflowId of the registry (not only Only's) to
	// its name, for telling a duplicate from a declared workflow.
	names map[string]string

	// Requests is the number of HTTP requests planning sent, Retries how
	// many of them repeated a request after a retryable failure.
	Requests int `json:"requests"`
	Retries  int `json:"retries"`
}

// WorkflowPlan is the plan for one workflow of the registry.
type WorkflowPlan struct {
	WorkflowID string       `json:"workflowId"`
	Action     Action       `json:"action"`
	Changes    []Change     `json:"changes"`
	Targets    []TargetPlan `json:"targets"`
	// Warnings are things Novu will accept but a reader should know, e.g. a
	// workflow whose status is ERROR because a step has control issues.
	Warnings []string `json:"warnings"`
	// Error says why the workflow could not be planned (Action Failed).
	Error *Failure `json:"error,omitempty"`

	// id is the source _id when present; stepIDs maps stepId → step _id
	// from the read, so an update keeps each step's identity (docs/novu-api.md §4.2).
	id      string
	stepIDs map[string]string
	// def is the definition as sent (with the ownership tag when created
	// by this registry).
	def registry.Workflow
}

// TargetPlan is the plan for one workflow in one target environment.
type TargetPlan struct {
	Environment string       `json:"environment"`
	Action      TargetAction `json:"action"`
	Reason      string       `json:"reason,omitempty"`
	Changes     []Change     `json:"changes"`
}

// PrunePlan is a source workflow that left the registry.
type PrunePlan struct {
	WorkflowID string `json:"workflowId"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	// DuplicateOf is set when WorkflowID is a managed workflowId with
	// Novu's duplicate suffix: a copy a create left behind.
	DuplicateOf string `json:"duplicateOf,omitempty"`
}

// Pending reports whether the plan finds drift: a create, an update, a
// sync, (with pruning on) a delete, or, with pruning on or off, a suffixed
// duplicate in the source, which only a person or -prune removes. A plan
// with a failed read is not "nothing to do" either.
func (p *Plan) Pending() bool {
	if p.PruneEnabled && len(p.Prune) > 0 {
		return true
	}
	if slices.ContainsFunc(p.Prune, func(pp PrunePlan) bool { return pp.DuplicateOf != "" }) {
		return true
	}
	if slices.ContainsFunc(p.Layouts, func(lp LayoutPlan) bool { return lp.Action != Unchanged }) {
		return true
	}
	for _, w := range p.Workflows {
		if w.Action != Unchanged {
			return true
		}
		for _, t := range w.Targets {
			if t.Action == Sync {
				return true
			}
		}
	}
	return false
}

// Failure is one thing that went wrong, with what an operator needs to act:
// the workflow, where (the operation and environment), Novu's status and
// message.
type Failure struct {
	WorkflowID string `json:"workflowId"`
	// LayoutID is set, and WorkflowID empty, for a failure of a layout.
	LayoutID    string `json:"layoutId,omitempty"`
	Operation   string `json:"operation"` // read, create, update, sync, delete
	Environment string `json:"environment"`
	// Step is the stepId Novu's message points at (it says steps.N), when
	// it points at one.
	Step    string `json:"step,omitempty"`
	Status  int    `json:"status,omitempty"` // HTTP status; 0 when there was no response
	Message string `json:"message"`
	// Fields are Novu's per-field validation messages, when it sent any.
	Fields map[string][]string `json:"fields,omitempty"`
}

// Outcome is what happened to a workflow or a copy of it.
type Outcome string

// Outcomes in a report.
const (
	Created       Outcome = "created"
	Updated       Outcome = "updated"
	Kept          Outcome = "unchanged"
	Synced        Outcome = "synced"
	AlreadyInSync Outcome = "in-sync"
	Pruned        Outcome = "pruned"
	FailedOut     Outcome = "failed"
	// Skipped: not attempted, because an earlier step of this workflow
	// failed or the run was interrupted.
	Skipped Outcome = "skipped"
)

// Report is the result of Run. Its JSON form is cmd/apply's -json output;
// SchemaVersion changes whenever a field changes meaning or disappears.
type Report struct {
	SchemaVersion string           `json:"schemaVersion"`
	Plan          *Plan            `json:"plan"`
	Layouts       []LayoutResult   `json:"layouts"`
	Workflows     []WorkflowResult `json:"workflows"`
	Pruned        []PruneResult    `json:"pruned"`
	Failures      []Failure        `json:"failures"`
	Summary       Summary          `json:"summary"`
	// Interrupted is set when the context ended during the run (SIGINT,
	// -timeout): writes not started are Skipped, and the run is not OK
	// even if nothing was left to start.
	Interrupted bool `json:"interrupted"`
	// Requests is the number of HTTP requests the whole run sent,
	// planning included.
	Requests int `json:"requests"`
	Retries  int `json:"retries"`
}

// ReportSchemaVersion identifies the JSON layout of Report.
const ReportSchemaVersion = "novugen.apply/v1"

// WorkflowResult is what happened to one workflow.
type WorkflowResult struct {
	WorkflowID string         `json:"workflowId"`
	Outcome    Outcome        `json:"outcome"`
	Targets    []TargetResult `json:"targets"`
}

// TargetResult is what happened to one workflow in one target.
type TargetResult struct {
	Environment string  `json:"environment"`
	Outcome     Outcome `json:"outcome"`
}

// PruneResult is what happened to one workflow that left the registry.
type PruneResult struct {
	WorkflowID string  `json:"workflowId"`
	Outcome    Outcome `json:"outcome"`
	// Reason says why a delete was skipped.
	Reason string `json:"reason,omitempty"`
}

// Summary counts outcomes. Synced counts copies (a workflow synced to two
// targets counts two); Failed counts failures of any kind.
type Summary struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Synced    int `json:"synced"`
	Pruned    int `json:"pruned"`
	Failed    int `json:"failed"`
}

// OK reports whether the run did everything it set out to do.
func (r *Report) OK() bool { return len(r.Failures) == 0 && !r.Interrupted }
