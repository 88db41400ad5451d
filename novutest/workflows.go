package novutest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

type apiKeyOut struct {
	Key    string `json:"key"`
	UserID string `json:"_userId"`
}

type environmentOut struct {
	ID             string      `json:"_id"`
	Name           string      `json:"name"`
	OrganizationID string      `json:"_organizationId"`
	Identifier     string      `json:"identifier"`
	Type           string      `json:"type"`
	APIKeys        []apiKeyOut `json:"apiKeys"`
	ParentID       string      `json:"_parentId,omitempty"`
	Slug           string      `json:"slug"`
}

// listEnvironments lists every environment of the organization; only the
// caller's own carries its key (get-my-environments.usecase.ts).
func (c *call) listEnvironments() reply {
	out := make([]environmentOut, 0, len(c.s.envs))
	for _, e := range c.s.envs {
		o := environmentOut{ID: e.ID, Name: e.Name, OrganizationID: c.s.org, Identifier: e.Identifier,
			Type: e.typ, APIKeys: []apiKeyOut{}, ParentID: e.parentID, Slug: slugify(e.Name)}
		if e == c.env {
			o.APIKeys = []apiKeyOut{{Key: e.SecretKey, UserID: c.s.user}}
		}
		out = append(out, o)
	}
	return c.data(http.StatusOK, out)
}

func (c *call) createWorkflow() reply {
	m, bad := c.decodeObject()
	if bad != nil {
		return *bad
	}
	u, errs := decodeUpsert(m, modeCreate)
	if len(errs) > 0 {
		return c.validationFailed(errs)
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if rep, ok := c.checkSteps(u.steps); !ok {
		return rep
	}
	id := u.workflowID
	if c.env.byWorkflowID(id) != nil {
		if s.opts.DuplicateCreate == Conflict {
			return c.fail(http.StatusConflict, fmt.Sprintf("Workflow with id %q already exists", id),
				map[string]any{"workflowId": id})
		}
		// Novu makes the trigger identifier unique instead of refusing
		// (docs/novu-api.md §5): three tries, then 400.
		unique := ""
		for range 3 {
			cand := id + "-" + s.randomString(6, "abcdefghijklmnopqrstuvwxyz0123456789")
			if c.env.byWorkflowID(cand) == nil {
				unique = cand
				break
			}
		}
		if unique == "" {
			return c.nestFail(http.StatusBadRequest, "Unable to generate a unique identifier. Please provide a different workflow name.")
		}
		id = unique
	}
	now := s.timestamp()
	w := &Workflow{
		ID:          s.newObjectID(),
		WorkflowID:  id,
		Origin:      originCloud, // forced on create, whatever was sent
		CreatedAt:   now,
		Preferences: Preferences{Default: defaultPreferenceSet()},
	}
	if rep := c.apply(w, u, nil); rep != nil {
		return *rep
	}
	w.UpdatedAt = now
	w.UpdatedBy = &User{ID: s.user}
	s.store(c.env, w)
	rep := c.data(http.StatusCreated, w)
	rep.wrote = true
	return rep
}

// checkSteps enforces the step limit and stepId uniqueness. Callers hold s.mu.
func (c *call) checkSteps(steps []stepIn) (reply, bool) {
	if n, limit := len(steps), c.s.opts.MaxSteps; n > limit {
		return c.fail(http.StatusBadRequest,
			fmt.Sprintf("Workflow steps limit exceeded. Maximum allowed steps is %d, but got %d steps.", limit, n),
			map[string]any{"providedStepsCount": n, "maxSteps": limit}), false
	}
	return reply{}, true
}

// apply writes the fields of u onto w with Novu's defaults for absent ones
// (upsert-workflow.usecase.ts). stored, on update, holds the steps a body
// step may name by _id; on create, body _ids are ignored.
func (c *call) apply(w *Workflow, u upsert, stored map[string]Step) *reply {
	w.Name = *u.name
	w.Description = deref(u.description)
	w.Tags = u.tags
	if w.Tags == nil {
		w.Tags = []string{}
	}
	w.Active = derefOr(u.active, true) // docs/novu-api.md §0 trap 5: the server stores true
	w.IsTranslationEnabled = derefOr(u.i18n, false)
	w.Severity = cmp.Or(deref(u.severity), "none")
	w.ValidatePayload = derefOr(u.validatePayload, true)
	w.PayloadSchema = u.payloadSchema
	if w.PayloadSchema == nil {
		w.PayloadSchema = map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": true}
	}
	w.Preferences = Preferences{Default: defaultPreferenceSet()}
	if u.prefs != nil {
		if u.prefs.workflow != nil {
			w.Preferences.Default = *u.prefs.workflow
		}
		w.Preferences.User = u.prefs.user
	}
	steps := make([]Step, 0, len(u.steps))
	seen := map[string]bool{}
	for i, in := range u.steps {
		st := Step{StepID: in.stepID, Name: in.name, Type: in.typ, ControlValues: normalizeControls(in.typ, in.controlValues)}
		if in.id != "" && stored != nil {
			old, ok := stored[in.id]
			if !ok {
				rep := c.nestFail(http.StatusBadRequest,
					fmt.Sprintf("Step with _id %q does not belong to workflow %q", in.id, w.WorkflowID))
				return &rep
			}
			// Matched by _id: the stored stepId wins (docs/novu-api.md §4.2).
			st.ID, st.StepID = old.ID, old.StepID
		}
		if st.StepID == "" {
			st.StepID = slugify(in.name)
		}
		if seen[st.StepID] {
			errs := fieldErrors{}
			errs.add(fmt.Sprintf("steps.%d.stepId", i), "stepId must be unique within the workflow", st.StepID)
			rep := c.validationFailed(errs)
			return &rep
		}
		seen[st.StepID] = true
		steps = append(steps, st)
	}
	w.Steps = steps
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func derefOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// listItem is Novu's WorkflowListResponseDto: no control values.
type listItem struct {
	ID                   string     `json:"_id"`
	WorkflowID           string     `json:"workflowId"`
	Slug                 string     `json:"slug"`
	Name                 string     `json:"name"`
	Tags                 []string   `json:"tags"`
	Status               string     `json:"status"`
	Origin               string     `json:"origin"`
	IsTranslationEnabled bool       `json:"isTranslationEnabled"`
	StepTypeOverviews    []string   `json:"stepTypeOverviews"`
	Steps                []listStep `json:"steps"`
	CreatedAt            string     `json:"createdAt"`
	UpdatedAt            string     `json:"updatedAt"`
	UpdatedBy            *User      `json:"updatedBy,omitempty"`
	LastPublishedAt      *string    `json:"lastPublishedAt,omitempty"`
	LastPublishedBy      *User      `json:"lastPublishedBy,omitempty"`
	LastTriggeredAt      *string    `json:"lastTriggeredAt,omitempty"`
}

type listStep struct {
	Slug   string      `json:"slug"`
	Type   string      `json:"type"`
	Issues *StepIssues `json:"issues,omitempty"`
}

func (c *call) listWorkflows() reply {
	q := c.r.URL.Query()
	errs := fieldErrors{}
	intParam := func(name string, def, lo, hi int) int {
		v := q.Get(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			errs.add(name, fmt.Sprintf("%s must be an integer from %d to %d", name, lo, hi), v)
			return def
		}
		return n
	}
	limit := intParam("limit", 50, 1, 100)
	offset := intParam("offset", 0, 0, 1<<30)
	dir := cmp.Or(q.Get("orderDirection"), "DESC")
	if dir != "ASC" && dir != "DESC" {
		errs.add("orderDirection", "orderDirection must be one of the following values: ASC, DESC", dir)
	}
	orderBy := cmp.Or(q.Get("orderBy"), "createdAt")
	if !slices.Contains([]string{"createdAt", "updatedAt", "name", "lastTriggeredAt"}, orderBy) {
		errs.add("orderBy", "orderBy must be one of the following values: createdAt, updatedAt, name, lastTriggeredAt", orderBy)
	}
	statuses := q["status"]
	for _, st := range statuses {
		if !slices.Contains([]string{"ACTIVE", "INACTIVE", "ERROR"}, st) {
			errs.add("status", "each value in status must be one of the following values: ACTIVE, INACTIVE, ERROR", st)
		}
	}
	if len(errs) > 0 {
		return c.validationFailed(errs)
	}
	tags := q["tags"]
	query := strings.ToLower(q.Get("query"))

	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	var match []*Workflow
	for _, w := range c.env.workflows {
		if query != "" && !strings.Contains(strings.ToLower(w.Name), query) &&
			!strings.Contains(strings.ToLower(w.WorkflowID), query) {
			continue
		}
		if len(tags) > 0 && !slices.ContainsFunc(w.Tags, func(t string) bool { return slices.Contains(tags, t) }) {
			continue
		}
		if len(statuses) > 0 && !slices.Contains(statuses, w.Status) {
			continue
		}
		match = append(match, w)
	}
	key := func(w *Workflow) string {
		switch orderBy {
		case "updatedAt":
			return w.UpdatedAt
		case "name":
			return w.Name
		case "lastTriggeredAt":
			if w.LastTriggeredAt != nil {
				return *w.LastTriggeredAt
			}
			return ""
		}
		return w.CreatedAt
	}
	slices.SortFunc(match, func(a, b *Workflow) int {
		r := cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.ID, b.ID))
		if dir == "DESC" {
			return -r
		}
		return r
	})
	total := len(match)
	match = match[min(offset, total):min(offset+limit, total)]
	items := make([]listItem, 0, len(match))
	for _, w := range match {
		it := listItem{ID: w.ID, WorkflowID: w.WorkflowID, Slug: w.Slug, Name: w.Name, Tags: w.Tags,
			Status: w.Status, Origin: w.Origin, IsTranslationEnabled: w.IsTranslationEnabled,
			StepTypeOverviews: []string{}, Steps: []listStep{}, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
			UpdatedBy: w.UpdatedBy, LastPublishedAt: w.LastPublishedAt, LastPublishedBy: w.LastPublishedBy,
			LastTriggeredAt: w.LastTriggeredAt}
		for _, st := range w.Steps {
			if !slices.Contains(it.StepTypeOverviews, st.Type) {
				it.StepTypeOverviews = append(it.StepTypeOverviews, st.Type)
			}
			it.Steps = append(it.Steps, listStep{Slug: st.Slug, Type: st.Type, Issues: st.Issues})
		}
		items = append(items, it)
	}
	return c.data(http.StatusOK, map[string]any{"workflows": items, "totalCount": total})
}

// scopedEnv returns the environment a read acts on: the caller's own, or
// with AllowCrossEnvironmentReads the one ?environmentId= names.
func (c *call) scopedEnv() (*envState, *reply) {
	id := c.r.URL.Query().Get("environmentId")
	if id == "" || id == c.env.ID {
		return c.env, nil
	}
	if !c.s.opts.AllowCrossEnvironmentReads {
		rep := c.nestFail(http.StatusForbidden, "API key is scoped to a single environment and cannot access environment "+id)
		return nil, &rep
	}
	if e := c.s.envByID(id); e != nil {
		return e, nil
	}
	// Old servers swapped the environment blindly, so an unknown one simply
	// holds no workflow.
	return &envState{workflows: map[string]*Workflow{}}, nil
}

func (c *call) getWorkflow() reply {
	e, bad := c.scopedEnv()
	if bad != nil {
		return *bad
	}
	id := c.r.PathValue("workflowId")
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	w := e.lookup(id)
	if w == nil {
		return c.workflowNotFound(id)
	}
	return c.data(http.StatusOK, w)
}

func (c *call) getStep() reply {
	id, stepID := c.r.PathValue("workflowId"), c.r.PathValue("stepId")
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	w := c.env.lookup(id)
	if w == nil {
		return c.workflowNotFound(id)
	}
	dbID, _ := resolvePathID(stepID)
	for _, st := range w.Steps {
		if st.StepID == stepID || st.ID == dbID {
			return c.data(http.StatusOK, st)
		}
	}
	return c.fail(http.StatusNotFound, "Step cannot be found", map[string]any{"stepId": stepID, "workflowId": id})
}

func (c *call) updateWorkflow() reply {
	m, bad := c.decodeObject()
	if bad != nil {
		return *bad
	}
	u, errs := decodeUpsert(m, modeUpdate)
	if len(errs) > 0 {
		return c.validationFailed(errs)
	}
	id := c.r.PathValue("workflowId")
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	old := c.env.lookup(id)
	if old == nil {
		return c.workflowNotFound(id) // never an upsert
	}
	if rep, ok := c.checkSteps(u.steps); !ok {
		return rep
	}
	stored := map[string]Step{}
	for _, st := range old.Steps {
		stored[st.ID] = st
	}
	w := old.clone()
	// origin was validated by the DTO; the stored one is kept.
	if rep := c.apply(&w, u, stored); rep != nil {
		return *rep
	}
	w.UpdatedAt = s.timestamp()
	w.UpdatedBy = &User{ID: s.user}
	s.store(c.env, &w)
	rep := c.data(http.StatusOK, &w)
	rep.wrote = true
	return rep
}

func (c *call) patchWorkflow() reply {
	m, bad := c.decodeObject()
	if bad != nil {
		return *bad
	}
	u, errs := decodeUpsert(m, modePatch)
	if len(errs) > 0 {
		return c.validationFailed(errs)
	}
	id := c.r.PathValue("workflowId")
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	old := c.env.lookup(id)
	if old == nil {
		return c.workflowNotFound(id)
	}
	w := old.clone()
	if u.name != nil {
		w.Name = *u.name
	}
	if u.description != nil {
		w.Description = *u.description
	}
	if u.tagsSet {
		w.Tags = u.tags
	}
	if u.active != nil {
		w.Active = *u.active
	}
	if u.validatePayload != nil {
		w.ValidatePayload = *u.validatePayload
	}
	if u.i18n != nil {
		w.IsTranslationEnabled = *u.i18n
	}
	if u.payloadSchemaSet {
		w.PayloadSchema = u.payloadSchema
	}
	w.UpdatedAt = s.timestamp()
	w.UpdatedBy = &User{ID: s.user}
	s.store(c.env, &w)
	rep := c.data(http.StatusOK, &w)
	rep.wrote = true
	return rep
}

func (c *call) deleteWorkflow() reply {
	id := c.r.PathValue("workflowId")
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	w := c.env.lookup(id)
	if w == nil {
		return c.workflowNotFound(id)
	}
	delete(c.env.workflows, w.ID) // synced copies elsewhere stay
	return reply{status: http.StatusNoContent, wrote: true}
}

// syncWorkflow copies a workflow from the caller's environment into the
// target (usecases/sync-to-environment, docs/novu-api.md §4.6).
func (c *call) syncWorkflow() reply {
	m, bad := c.decodeObject()
	if bad != nil {
		return *bad
	}
	targetID, ok := m["targetEnvironmentId"].(string)
	if !ok {
		errs := fieldErrors{}
		errs.add("targetEnvironmentId", "targetEnvironmentId must be a string", m["targetEnvironmentId"])
		return c.validationFailed(errs)
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
	w, _ := s.syncTo(src, target)
	rep := c.data(http.StatusOK, w) // the target's copy
	rep.wrote = true
	return rep
}

// syncTo upserts the copy of src in target, found by workflowId, and marks
// src as published (docs/novu-api.md §4.6 steps 5 and 6). Callers hold s.mu.
func (s *Server) syncTo(src *Workflow, target *envState) (copied *Workflow, created bool) {
	now := s.timestamp()
	var w Workflow
	existing := target.byWorkflowID(src.WorkflowID)
	if existing != nil {
		w = existing.clone()
	} else {
		w = Workflow{ID: s.newObjectID(), WorkflowID: src.WorkflowID, Origin: originCloud, CreatedAt: now}
	}
	copyWorkflow(&w, src)
	w.UpdatedAt = now
	w.UpdatedBy = &User{ID: s.user}
	s.store(target, &w)
	src.LastPublishedAt = &now
	src.LastPublishedBy = &User{ID: s.user}
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
