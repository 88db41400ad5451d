package novutest

import (
	"fmt"
	"maps"
	"net/http"
)

// syncWorkflow copies a workflow from the caller's environment into the
// target (usecases/sync-to-environment, docs/novu-api.md §4.6).
func (c *call) syncWorkflow(m map[string]any) reply {
	targetID, ok := m["targetEnvironmentId"].(string)
	if !ok {
		return c.fieldFailed("targetEnvironmentId", "targetEnvironmentId must be a string", m["targetEnvironmentId"])
	}
	id := c.r.PathValue("workflowId")
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if targetID == c.env.ID {
		return c.nestFail(http.StatusBadRequest, "Cannot sync workflow to the same environment")
	}
	target := s.envByID(targetID)
	if !isObjectID(targetID) || target == nil {
		return c.nestFail(http.StatusNotFound, fmt.Sprintf("Environment %s not found", targetID))
	}
	src := c.env.lookup(id)
	if src == nil {
		return c.workflowNotFound(id)
	}
	if src.Origin != originCloud {
		return c.fail(http.StatusBadRequest,
			fmt.Sprintf("Cannot sync workflow: origin '%s' is not allowed (must be one of: %s)", src.Origin, originCloud),
			map[string]any{"workflowId": src.WorkflowID, "status": src.Status, "origin": src.Origin,
				"allowedOrigins": []string{originCloud}})
	}
	if missing := missingLayouts(c.env, src); len(missing) > 0 {
		return c.layoutNotFound(c.env, missing[0])
	}
	w, _ := s.syncTo(c.env, src, target)
	return c.written(http.StatusOK, w) // the target's copy
}

// syncTo upserts the copy of src, a workflow of srcEnv, in target, found
// by workflowId, and marks src as published (docs/novu-api.md §4.6 steps 5
// and 6). Both move: the copy's updatedAt changes on every sync, even of
// an unchanged workflow, and so do src's updatedAt and lastPublishedAt
// (Novu's updatePublishFields runs with timestamps on). Novu then sends
// workflow.created or workflow.updated in the target and
// workflow.published in the source, which are recorded. Callers hold s.mu.
func (s *Server) syncTo(srcEnv *envState, src *Workflow, target *envState) (copied *Workflow, created bool) {
	s.syncLayouts(srcEnv, src, target)
	now := s.timestamp()
	var w Workflow
	existing := target.byWorkflowID(src.WorkflowID)
	if existing != nil {
		w = existing.clone()
	} else {
		w = Workflow{ID: s.newObjectID(), WorkflowID: src.WorkflowID, Origin: originCloud, Activity: Activity{CreatedAt: now}}
	}
	copyWorkflow(&w, src)
	hook := WebhookWorkflowCreated
	if existing != nil {
		hook = WebhookWorkflowUpdated
	}
	s.commit(target, &w, now, hook)
	src.UpdatedAt = now
	src.LastPublishedAt = &now
	src.LastPublishedBy = &User{ID: s.user}
	s.webhook(srcEnv, WebhookWorkflowPublished, src.WorkflowID)
	return &w, existing == nil
}

// copyWorkflow copies what sync copies from src onto dst, matching steps by
// stepId so the target's step _ids survive.
func copyWorkflow(dst *Workflow, src *Workflow) {
	c := src.clone()
	dst.Name, dst.Description, dst.Tags, dst.Active = c.Name, c.Description, c.Tags, c.Active
	dst.Severity, dst.PayloadSchema, dst.ValidatePayload = c.Severity, c.PayloadSchema, c.ValidatePayload
	dst.IsTranslationEnabled, dst.Preferences = c.IsTranslationEnabled, c.Preferences
	byStepID := map[string]string{}
	for _, st := range dst.Steps {
		byStepID[st.StepID] = st.ID
	}
	steps := make([]Step, len(c.Steps))
	for i, st := range c.Steps {
		steps[i] = Step{ID: byStepID[st.StepID], StepID: st.StepID, Name: st.Name, Type: st.Type,
			ControlValues: maps.Clone(st.ControlValues)}
	}
	dst.Steps = steps
}
