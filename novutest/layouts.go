package novutest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Layout is an email layout as Novu's LayoutResponseDto shows it
// (apps/api/src/app/layouts-v2, docs/novu-api.md §4.8).
type Layout struct {
	ID                   string         `json:"_id"`
	LayoutID             string         `json:"layoutId"`
	Slug                 string         `json:"slug"`
	Name                 string         `json:"name"`
	IsDefault            bool           `json:"isDefault"`
	IsTranslationEnabled bool           `json:"isTranslationEnabled"`
	UpdatedAt            string         `json:"updatedAt"`
	CreatedAt            string         `json:"createdAt"`
	Origin               string         `json:"origin"`
	Type                 string         `json:"type"`
	Controls             LayoutControls `json:"controls"`
}

// LayoutControls holds a layout's stored control values.
type LayoutControls struct {
	Values LayoutValues `json:"values"`
}

// LayoutValues is LayoutControlValuesDto: Email is nil until a write
// sends it.
type LayoutValues struct {
	Email *LayoutEmail `json:"email,omitempty"`
}

// LayoutEmail is a layout's email controls.
type LayoutEmail struct {
	Body       string `json:"body"`
	EditorType string `json:"editorType"`
}

func (l Layout) clone() Layout {
	if l.Controls.Values.Email != nil {
		e := *l.Controls.Values.Email
		l.Controls.Values.Email = &e
	}
	return l
}

func (e *envState) layoutByID(layoutID string) *Layout {
	for _, l := range e.layouts {
		if l.LayoutID == layoutID {
			return l
		}
	}
	return nil
}

// Layouts returns copies of the environment's layouts sorted by layoutId,
// or nil for an unknown environment.
func (s *Server) Layouts(envName string) []Layout {
	return readEnv(s, envName, func(e *envState) []Layout {
		out := make([]Layout, 0, len(e.layouts))
		for _, l := range e.layouts {
			out = append(out, l.clone())
		}
		slices.SortFunc(out, func(a, b Layout) int { return cmp.Compare(a.LayoutID, b.LayoutID) })
		return out
	})
}

// EditLayout changes a stored layout the way a dashboard user would.
func (s *Server) EditLayout(envName, layoutID string, edit func(*Layout)) error {
	return editStored(s, envName, "layout", layoutID, (*envState).layoutByID, func(_ *envState, l *Layout) {
		c := l.clone()
		edit(&c)
		c.UpdatedAt = s.timestamp()
		*l = c
	})
}

// layoutNotFound is the NotFoundException of Novu's layout lookup.
func (c *call) layoutNotFound(e *envState, id string) reply {
	return c.nestFail(http.StatusNotFound, fmt.Sprintf("Layout not found for id %s in the environment %s", id, e.ID))
}

// layoutIn is the body of a create or update. Fields are checked as
// Novu's DTOs do; controlValues is absent, null or an object.
type layoutIn struct {
	LayoutID             *string         `json:"layoutId"`
	Name                 *string         `json:"name"`
	IsTranslationEnabled *bool           `json:"isTranslationEnabled"`
	ControlValues        json.RawMessage `json:"controlValues"`
}

func (c *call) decodeLayout(create bool) (layoutIn, *LayoutValues, *reply) {
	var in layoutIn
	if err := json.Unmarshal(c.body, &in); err != nil {
		rep := c.nestFail(http.StatusBadRequest, "Unexpected token in JSON body")
		return in, nil, &rep
	}
	errs := fieldErrors{}
	if create && (in.LayoutID == nil || *in.LayoutID == "") {
		errs.add("layoutId", "layoutId should not be empty", nil)
	}
	if in.Name == nil || *in.Name == "" {
		errs.add("name", "name should not be empty", nil)
	}
	var values *LayoutValues
	if !create && len(in.ControlValues) > 0 && string(in.ControlValues) != "null" {
		values = &LayoutValues{}
		if err := json.Unmarshal(in.ControlValues, values); err != nil {
			errs.add("controlValues", "controlValues must be an object", nil)
		} else if em := values.Email; em != nil && em.EditorType != "html" && em.EditorType != "block" {
			errs.add("controlValues.email.editorType", "editorType must be one of the following values: html, block", em.EditorType)
		}
	}
	if len(errs) > 0 {
		rep := c.validationFailed(errs)
		return in, nil, &rep
	}
	// The upsert's own check (upsert-layout.usecase.ts): an HTML body is a
	// whole document.
	if values != nil && values.Email != nil && values.Email.EditorType == "html" {
		b := values.Email.Body
		for _, tag := range []string{"<html", "</html>", "<body", "</body>"} {
			if !strings.Contains(b, tag) {
				rep := c.nestFail(http.StatusBadRequest, "Content must be a valid HTML content")
				return in, nil, &rep
			}
		}
	}
	return in, values, nil
}

// createLayout is POST /v2/layouts: a layoutId already in use is 409, as
// in the create use case Novu's upsert calls.
func (c *call) createLayout() reply {
	in, _, bad := c.decodeLayout(true)
	if bad != nil {
		return *bad
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.env.layoutByID(*in.LayoutID) != nil {
		return c.nestFail(http.StatusConflict, fmt.Sprintf("Layout with identifier: %s already exists under environment %s", *in.LayoutID, c.env.ID))
	}
	now := s.timestamp()
	l := &Layout{ID: s.newObjectID(), LayoutID: *in.LayoutID, Name: *in.Name, Slug: slugify(*in.Name),
		IsTranslationEnabled: in.IsTranslationEnabled != nil && *in.IsTranslationEnabled,
		CreatedAt:            now, UpdatedAt: now, Origin: originCloud, Type: "BRIDGE"}
	s.storeLayout(c.env, l)
	return c.written(http.StatusCreated, l)
}

// storeLayout saves l; the environment's first layout is its default.
// Callers hold s.mu.
func (s *Server) storeLayout(e *envState, l *Layout) {
	if e.layouts == nil {
		e.layouts = map[string]*Layout{}
	}
	if len(e.layouts) == 0 {
		l.IsDefault = true
	}
	e.layouts[l.ID] = l
}

// updateLayout is PUT /v2/layouts/{layoutId}: name and the translation
// flag are replaced; controlValues absent keeps the stored ones, null
// clears them.
func (c *call) updateLayout() reply {
	in, values, bad := c.decodeLayout(false)
	if bad != nil {
		return *bad
	}
	return layoutAt.on(c, c.env, func(l *Layout) reply {
		l.Name = *in.Name
		l.IsTranslationEnabled = in.IsTranslationEnabled != nil && *in.IsTranslationEnabled
		switch {
		case values != nil:
			l.Controls.Values = *values
		case string(in.ControlValues) == "null":
			l.Controls.Values = LayoutValues{}
		}
		l.UpdatedAt = c.s.timestamp()
		return c.written(http.StatusOK, l)
	})
}

func (c *call) listLayouts() reply {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	items := make([]*Layout, 0, len(c.env.layouts))
	for _, l := range c.env.layouts {
		items = append(items, l)
	}
	slices.SortFunc(items, func(a, b *Layout) int { return cmp.Compare(b.CreatedAt+b.ID, a.CreatedAt+a.ID) })
	return c.data(http.StatusOK, map[string]any{"layouts": items, "totalCount": len(items)})
}

// deleteLayout is DELETE /v2/layouts/{layoutId} (delete-layout.use-case.ts):
// the environment's default layout cannot be deleted (409), and email
// steps that named the layout lose their layoutId.
func (c *call) deleteLayout() reply {
	return layoutAt.on(c, c.env, func(l *Layout) reply {
		if l.IsDefault {
			return c.nestFail(http.StatusConflict, fmt.Sprintf("Layout with id %s is being used as a default layout, it can not be deleted", l.LayoutID))
		}
		for _, w := range c.env.layoutUsers(l.LayoutID) {
			for i := range w.Steps {
				if w.Steps[i].Type == "email" && w.Steps[i].ControlValues["layoutId"] == l.LayoutID {
					delete(w.Steps[i].ControlValues, "layoutId")
				}
			}
		}
		delete(c.env.layouts, l.ID)
		return reply{status: http.StatusNoContent, wrote: true}
	})
}

// layoutUsers are the workflows whose email steps name layoutID, sorted.
func (e *envState) layoutUsers(layoutID string) []*Workflow {
	var out []*Workflow
	for _, w := range e.workflows {
		if slices.Contains(emailLayouts(w), layoutID) {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b *Workflow) int { return cmp.Compare(a.WorkflowID, b.WorkflowID) })
	return out
}

// emailLayouts are the layoutIds w's email steps name, in step order.
func emailLayouts(w *Workflow) []string {
	var ids []string
	for _, st := range w.Steps {
		if id, ok := st.ControlValues["layoutId"].(string); ok && st.Type == "email" && id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// layoutUsage is GET /v2/layouts/{layoutId}/usage.
func (c *call) layoutUsage() reply {
	type info struct {
		Name       string `json:"name"`
		WorkflowID string `json:"workflowId"`
	}
	return layoutAt.on(c, c.env, func(l *Layout) reply {
		out := []info{}
		for _, w := range c.env.layoutUsers(l.LayoutID) {
			out = append(out, info{Name: w.Name, WorkflowID: w.WorkflowID})
		}
		return c.data(http.StatusOK, map[string]any{"workflows": out})
	})
}

// missingLayouts are the layoutIds src's email steps name that srcEnv
// does not hold: Novu's workflow sync reads each from the source and
// fails on the first that is not there. Callers hold s.mu.
func missingLayouts(srcEnv *envState, src *Workflow) []string {
	var out []string
	for _, id := range emailLayouts(src) {
		if srcEnv.layoutByID(id) == nil {
			out = append(out, id)
		}
	}
	return out
}

// syncLayouts upserts, by layoutId, the layouts src's email steps name
// into target before the workflow itself, as Novu's workflow sync does
// (workflows-v2 sync-to-environment.usecase.ts: name, translation flag
// and control values; the target keeps its own _id). Callers hold s.mu.
func (s *Server) syncLayouts(srcEnv *envState, src *Workflow, target *envState) {
	for _, id := range emailLayouts(src) {
		from := srcEnv.layoutByID(id)
		if from == nil {
			continue
		}
		now := s.timestamp()
		to := target.layoutByID(id)
		if to == nil {
			to = &Layout{ID: s.newObjectID(), LayoutID: id, CreatedAt: now, Origin: originCloud, Type: "BRIDGE"}
			s.storeLayout(target, to)
		}
		c := from.clone()
		to.Name, to.Slug, to.IsTranslationEnabled, to.Controls = c.Name, c.Slug, c.IsTranslationEnabled, c.Controls
		to.UpdatedAt = now
	}
}
