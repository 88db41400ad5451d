package novutest

import (
	"fmt"
	"net/http"
)

// createWorkflow stores a new workflow (POST, docs/novu-api.md §4.1).
func (c *call) createWorkflow() reply {
	u, bad := c.decodeBody(modeCreate)
	if bad != nil {
		return *bad
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if rep, ok := c.checkSteps(u.steps); !ok {
		return rep
	}
	id, taken := c.freeWorkflowID(u.workflowID, *u.name)
	if taken != nil {
		return *taken
	}
	now := s.timestamp()
	w := &Workflow{
		ID:          s.newObjectID(),
		WorkflowID:  id,
		Origin:      originCloud, // forced on create, whatever was sent
		Activity:    Activity{CreatedAt: now},
		Preferences: Preferences{Default: defaultPreferenceSet()},
	}
	if rep := c.apply(w, u, nil); rep != nil {
		return *rep
	}
	return c.saved(w, now, WebhookWorkflowCreated, http.StatusCreated)
}

// freeWorkflowID is the workflowId a create stores: id, or when the
// environment holds it already what Options.DuplicateCreate says, a
// suffixed id or a refusal. Callers hold s.mu.
func (c *call) freeWorkflowID(id, name string) (string, *reply) {
	s := c.s
	if c.env.byWorkflowID(id) == nil {
		return id, nil
	}
	switch s.opts.DuplicateCreate {
	case Conflict:
		rep := c.fail(http.StatusConflict, fmt.Sprintf("Workflow with id %q already exists", id),
			map[string]any{"workflowId": id})
		return "", &rep
	case LegacySuffix:
		// Older Novu checked once and appended shortid.generate().
		return id + "-" + s.randomString(7+s.randomInt(8), shortidAlphabet), nil
	}
	// Current Novu makes the identifier unique instead of refusing
	// (docs/novu-api.md §5): two suffixed tries after the taken one, then
	// 400. The message runs the name on without a space, as Novu's does.
	for range 2 {
		if cand := id + "-" + s.randomString(4, shortIDAlphabet); c.env.byWorkflowID(cand) == nil {
			return cand, nil
		}
	}
	rep := c.nestFail(http.StatusBadRequest,
		"Unable to generate a unique identifier. Please provide a different workflow name."+name)
	return "", &rep
}

// updateWorkflow replaces the whole workflow (PUT, docs/novu-api.md §4.2).
func (c *call) updateWorkflow() reply {
	return c.rewrite(modeUpdate, func(w *Workflow, u upsert) *reply {
		if rep, ok := c.checkSteps(u.steps); !ok {
			return &rep
		}
		stored := map[string]Step{}
		for _, st := range w.Steps {
			stored[st.ID] = st
		}
		// origin was validated by the DTO; the stored one is kept.
		return c.apply(w, u, stored)
	})
}

// patchWorkflow changes only the fields the body holds (PATCH,
// docs/novu-api.md §4.4).
func (c *call) patchWorkflow() reply {
	return c.rewrite(modePatch, func(w *Workflow, u upsert) *reply {
		given(&w.Name, u.name)
		given(&w.Description, u.description)
		if u.tagsSet {
			w.Tags = u.tags
		}
		given(&w.Active, u.active)
		given(&w.ValidatePayload, u.validatePayload)
		given(&w.IsTranslationEnabled, u.i18n)
		if u.payloadSchemaSet {
			w.PayloadSchema = u.payloadSchema // null clears it
		}
		return nil
	})
}

// given sets *field to *v when the body held v.
func given[T any](field *T, v *T) {
	if v != nil {
		*field = *v
	}
}

// rewrite is what PUT and PATCH share: read the body as the DTO of md,
// find the workflow the path names (never an upsert), let change edit a
// copy of it, and store the copy as an update.
func (c *call) rewrite(md mode, change func(w *Workflow, u upsert) *reply) reply {
	u, bad := c.decodeBody(md)
	if bad != nil {
		return *bad
	}
	return workflowAt.on(c, c.env, func(old *Workflow) reply {
		w := old.clone()
		if rep := change(&w, u); rep != nil {
			return *rep
		}
		return c.saved(&w, c.s.timestamp(), WebhookWorkflowUpdated, http.StatusOK)
	})
}

// saved commits w, written at, in the caller's environment with the
// webhook hook, and answers it with status. Callers hold s.mu.
func (c *call) saved(w *Workflow, at, hook string, status int) reply {
	c.s.commit(c.env, w, at, hook)
	return c.written(status, w)
}

func (c *call) deleteWorkflow() reply {
	return workflowAt.on(c, c.env, func(w *Workflow) reply {
		delete(c.env.workflows, w.ID) // synced copies elsewhere stay
		c.s.webhook(c.env, WebhookWorkflowDeleted, w.WorkflowID)
		return reply{status: http.StatusNoContent, wrote: true}
	})
}
