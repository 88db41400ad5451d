package novutest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

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
	Activity
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
			StepTypeOverviews: []string{}, Steps: []listStep{}, Activity: w.Activity}
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

func (c *call) getStep() reply {
	stepID := c.r.PathValue("stepId")
	return workflowAt.on(c, c.env, func(w *Workflow) reply {
		dbID, _ := resolvePathID(stepID)
		for _, st := range w.Steps {
			if st.StepID == stepID || st.ID == dbID {
				return c.data(http.StatusOK, st)
			}
		}
		return c.fail(http.StatusNotFound, "Step cannot be found",
			map[string]any{"stepId": stepID, "workflowId": c.r.PathValue("workflowId")})
	})
}
