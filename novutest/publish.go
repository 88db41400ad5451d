package novutest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// The document's ResourceTypeEnum for publish is a name collision with the
// workflow types (docs/novu-api.md §4.7); every value names a workflow here.
var publishResourceTypes = []string{"REGULAR", "ECHO", "BRIDGE"}

type publishEntry struct {
	ResourceType string `json:"resourceType"`
	ResourceID   string `json:"resourceId"`
	ResourceName string `json:"resourceName"`
	Action       string `json:"action,omitempty"` // successful entries
	Error        string `json:"error,omitempty"`  // failed entries
	Reason       string `json:"reason,omitempty"` // skipped entries
}

type publishResult struct {
	ResourceType   string         `json:"resourceType"`
	Successful     []publishEntry `json:"successful"`
	Failed         []publishEntry `json:"failed"`
	Skipped        []publishEntry `json:"skipped"`
	TotalProcessed int            `json:"totalProcessed"`
}

type publishSummary struct {
	Resources  int `json:"resources"`
	Successful int `json:"successful"`
	Failed     int `json:"failed"`
	Skipped    int `json:"skipped"`
}

// publishEnvironment copies workflows from a source environment (default
// the first, Development) into the target, each as sync would
// (POST /v2/environments/{targetEnvironmentId}/publish, docs/novu-api.md §4.7).
// With resources it publishes those workflows only. Without, it publishes
// every source workflow and deletes the active target workflows the source
// lacks: Novu's trap 10, reproduced so tests can show what it costs. A
// workflow whose copy already matches is skipped; dryRun reports the same
// results and changes nothing.
//
// The key acts on its own environment: naming another source reads it, so
// that needs AllowCrossEnvironmentReads, like the diff.
func (c *call) publishEnvironment(m map[string]any) reply {
	s := c.s
	errs := fieldErrors{}
	sourceID := s.envs[0].ID
	if id := member[string](m, "", "sourceEnvironmentId", "a string", false, errs); id != nil {
		sourceID = *id
	}
	dryRun := derefOr(member[bool](m, "", "dryRun", "a boolean value", false, errs), false)
	var selected []string // resourceIds; nil publishes everything
	if arr := member[[]any](m, "", "resources", "an array", false, errs); arr != nil {
		selected = []string{}
		for i, raw := range *arr {
			at := fmt.Sprintf("resources.%d", i)
			r, _ := raw.(map[string]any)
			typ, _ := r["resourceType"].(string)
			id, _ := r["resourceId"].(string)
			if !slices.Contains(publishResourceTypes, typ) {
				errs.add(at+".resourceType", "resourceType must be one of the following values: REGULAR, ECHO, BRIDGE", r["resourceType"])
			}
			if id == "" {
				errs.add(at+".resourceId", "resourceId must be a string", r["resourceId"])
			}
			selected = append(selected, id)
		}
	}
	if len(errs) > 0 {
		return c.validationFailed(errs)
	}
	targetID := c.r.PathValue("targetEnvironmentId")
	target, src := s.envByID(targetID), s.envByID(sourceID)
	switch {
	case target == nil || !isObjectID(targetID):
		return c.nestFail(http.StatusNotFound, "Environment "+targetID+" not found")
	case src == nil:
		return c.nestFail(http.StatusNotFound, "Environment "+sourceID+" not found")
	case src == target:
		return c.nestFail(http.StatusBadRequest, "Source and target environments cannot be the same")
	case src != c.env && !s.opts.AllowCrossEnvironmentReads:
		return c.nestFail(http.StatusForbidden, "API key is scoped to a single environment and cannot access environment "+sourceID)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	res := publishResult{ResourceType: "REGULAR", Successful: []publishEntry{}, Failed: []publishEntry{}, Skipped: []publishEntry{}}
	entry := func(w *Workflow) publishEntry {
		return publishEntry{ResourceType: "REGULAR", ResourceID: w.WorkflowID, ResourceName: w.Name}
	}
	var sources []*Workflow
	if selected == nil {
		for _, id := range slices.Sorted(maps.Keys(workflowIDs(src))) {
			sources = append(sources, src.byWorkflowID(id))
		}
	} else {
		for _, id := range selected {
			w := src.lookup(id)
			if w == nil {
				res.Failed = append(res.Failed, publishEntry{ResourceType: "REGULAR", ResourceID: id, ResourceName: id,
					Error: "Workflow cannot be found"})
				continue
			}
			sources = append(sources, w)
		}
	}
	wrote := false
	for _, w := range sources {
		e := entry(w)
		existing := target.byWorkflowID(w.WorkflowID)
		switch {
		case w.Origin != originCloud:
			e.Reason = fmt.Sprintf("origin '%s' is not allowed (must be one of: %s)", w.Origin, originCloud)
			res.Skipped = append(res.Skipped, e)
			continue
		case existing != nil && sameContent(w, existing):
			e.Reason = "No changes detected"
			res.Skipped = append(res.Skipped, e)
			continue
		case existing != nil:
			e.Action = "updated"
		default:
			e.Action = "created"
		}
		if !dryRun {
			s.syncTo(src, w, target)
			wrote = true
		}
		res.Successful = append(res.Successful, e)
	}
	if selected == nil {
		ids := workflowIDs(src)
		for _, id := range slices.Sorted(maps.Keys(workflowIDs(target))) {
			w := target.byWorkflowID(id)
			if ids[id] || !w.Active {
				continue
			}
			e := entry(w)
			e.Action = "deleted"
			if !dryRun {
				delete(target.workflows, w.ID)
				wrote = true
			}
			res.Successful = append(res.Successful, e)
		}
	}
	res.TotalProcessed = len(res.Successful) + len(res.Failed) + len(res.Skipped)
	rep := c.data(http.StatusOK, map[string]any{
		"results": []publishResult{res},
		"summary": publishSummary{Resources: res.TotalProcessed, Successful: len(res.Successful),
			Failed: len(res.Failed), Skipped: len(res.Skipped)},
	})
	rep.wrote = wrote
	return rep
}

func workflowIDs(e *envState) map[string]bool {
	ids := map[string]bool{}
	for _, w := range e.workflows {
		ids[w.WorkflowID] = true
	}
	return ids
}
