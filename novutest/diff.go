package novutest

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"slices"
)

type resourceInfo struct {
	ID        *string `json:"id"`
	Name      *string `json:"name"`
	UpdatedAt *string `json:"updatedAt"`
}

type resourceChange struct {
	ResourceType   string        `json:"resourceType"`
	Action         string        `json:"action"`
	SourceResource *resourceInfo `json:"sourceResource"`
	TargetResource *resourceInfo `json:"targetResource"`
}

type diffCounts struct {
	Added     int `json:"added"`
	Modified  int `json:"modified"`
	Deleted   int `json:"deleted"`
	Unchanged int `json:"unchanged"`
}

type resourceDiff struct {
	ResourceType   string           `json:"resourceType"`
	SourceResource *resourceInfo    `json:"sourceResource"`
	TargetResource *resourceInfo    `json:"targetResource"`
	Changes        []resourceChange `json:"changes"`
	Summary        diffCounts       `json:"summary"`
}

type diffOut struct {
	SourceEnvironmentID string         `json:"sourceEnvironmentId"`
	TargetEnvironmentID string         `json:"targetEnvironmentId"`
	Resources           []resourceDiff `json:"resources"`
	Summary             struct {
		TotalEntities int  `json:"totalEntities"`
		TotalChanges  int  `json:"totalChanges"`
		HasChanges    bool `json:"hasChanges"`
	} `json:"summary"`
}

// diffEnvironments compares the workflows of a source environment (default
// the first, Development) with a target, per workflowId, on the fields sync
// copies. Current Novu scopes API keys to their own environment, so by
// default naming another environment is 403 (api-key-environment-diff-scope).
func (c *call) diffEnvironments(m map[string]any) reply {
	s := c.s
	targetID := c.r.PathValue("targetEnvironmentId")
	sourceID, _ := m["sourceEnvironmentId"].(string)
	if sourceID == "" {
		sourceID = s.envs[0].ID
	}
	if !s.opts.AllowCrossEnvironmentReads && (targetID != c.env.ID || sourceID != c.env.ID) {
		return c.nestFail(http.StatusForbidden, "API key is scoped to a single environment")
	}
	src, dst := s.envByID(sourceID), s.envByID(targetID)
	switch {
	case dst == nil:
		return c.nestFail(http.StatusNotFound, "Environment "+targetID+" not found")
	case src == nil:
		return c.nestFail(http.StatusNotFound, "Environment "+sourceID+" not found")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := map[string]bool{}
	for _, w := range src.workflows {
		ids[w.WorkflowID] = true
	}
	for _, w := range dst.workflows {
		ids[w.WorkflowID] = true
	}
	out := diffOut{SourceEnvironmentID: sourceID, TargetEnvironmentID: targetID, Resources: []resourceDiff{}}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		a, b := src.byWorkflowID(id), dst.byWorkflowID(id)
		d := resourceDiff{ResourceType: "REGULAR", SourceResource: info(a), TargetResource: info(b)}
		action := "unchanged"
		switch {
		case b == nil:
			action, d.Summary.Added = "added", 1
		case a == nil:
			action, d.Summary.Deleted = "deleted", 1
		case !sameContent(a, b):
			action, d.Summary.Modified = "modified", 1
		default:
			d.Summary.Unchanged = 1
		}
		d.Changes = []resourceChange{{ResourceType: "REGULAR", Action: action,
			SourceResource: d.SourceResource, TargetResource: d.TargetResource}}
		out.Summary.TotalEntities++
		if action != "unchanged" {
			out.Summary.TotalChanges++
		}
		out.Resources = append(out.Resources, d)
	}
	out.Summary.HasChanges = out.Summary.TotalChanges > 0
	return c.data(http.StatusOK, out)
}

func info(w *Workflow) *resourceInfo {
	if w == nil {
		return nil
	}
	return &resourceInfo{ID: &w.WorkflowID, Name: &w.Name, UpdatedAt: &w.UpdatedAt}
}

// sameContent compares what sync copies.
func sameContent(a, b *Workflow) bool {
	type stepContent struct {
		StepID, Name, Type string
		ControlValues      map[string]any
	}
	type content struct {
		Name, Description, Severity                  string
		Tags                                         []string
		Active, ValidatePayload, IsTranslationEnable bool
		PayloadSchema                                map[string]any
		Preferences                                  Preferences
		Steps                                        []stepContent
	}
	view := func(w *Workflow) any {
		c := content{Name: w.Name, Description: w.Description, Severity: w.Severity, Tags: w.Tags,
			Active: w.Active, ValidatePayload: w.ValidatePayload, IsTranslationEnable: w.IsTranslationEnabled,
			PayloadSchema: w.PayloadSchema, Preferences: w.Preferences}
		for _, st := range w.Steps {
			c.Steps = append(c.Steps, stepContent{st.StepID, st.Name, st.Type, st.ControlValues})
		}
		// Through JSON so that numbers compare by value, not by Go type.
		var v any
		_ = json.Unmarshal(mustJSON(c), &v)
		return v
	}
	return reflect.DeepEqual(view(a), view(b))
}
