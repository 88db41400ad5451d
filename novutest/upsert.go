package novutest

import (
	"cmp"
	"fmt"
	"net/http"
)

// The upsert use case: how a create or update body becomes the stored
// workflow, with Novu's defaults for what the body leaves out.

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
// (the upsert use case). stored, on update, holds the workflow's steps by
// _id, which a body step may name; on create it is nil.
func (c *call) apply(w *Workflow, u upsert, stored map[string]Step) *reply {
	creating := stored == nil
	w.Name = *u.name
	w.Description = deref(u.description)
	w.Tags = u.tags
	if w.Tags == nil {
		w.Tags = []string{}
	}
	w.Active = derefOr(u.active, true) // docs/novu-api.md §0 trap 5: the server stores true
	w.IsTranslationEnabled = derefOr(u.i18n, false)
	// Stored as sent; the response shows an absent severity as "none".
	w.Severity = cmp.Or(deref(u.severity), "none")
	switch {
	case creating && u.payloadSchema == nil:
		// Only a create without a schema (absent or null) gets the open
		// one, and with it validatePayload ?? true.
		w.PayloadSchema = map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": true}
		w.ValidatePayload = derefOr(u.validatePayload, true)
	case creating:
		w.PayloadSchema = u.payloadSchema
		// A create with a schema stores validatePayload as sent; an
		// absent one reads back false.
		w.ValidatePayload = derefOr(u.validatePayload, false)
	default:
		// An update stores the schema the body holds, null included (which
		// clears it), and keeps the stored one when the key is absent
		// (docs/novu-api.md §4.2). validatePayload keeps the earlier
		// emulation (?? true).
		if u.payloadSchemaSet {
			w.PayloadSchema = u.payloadSchema
		}
		w.ValidatePayload = derefOr(u.validatePayload, true)
	}
	w.Preferences = Preferences{Default: defaultPreferenceSet()}
	if u.prefs != nil {
		if u.prefs.workflow != nil {
			w.Preferences.Default = *u.prefs.workflow
		}
		w.Preferences.User = u.prefs.user
	}
	// A new step without a stepId gets its name's slug, suffixed when the
	// slug is taken: by a stored step on update, by an earlier step of the
	// body on create.
	taken := map[string]bool{}
	for _, st := range stored {
		taken[st.StepID] = true
	}
	steps := make([]Step, 0, len(u.steps))
	seen := map[string]bool{}
	for i, in := range u.steps {
		st := Step{StepID: in.stepID, Name: in.name, Type: in.typ, ControlValues: normalizeControls(in.typ, in.controlValues)}
		// Steps match stored ones by _id only. A step without _id, or
		// with an _id the workflow does not hold, is a new step with a
		// new _id: the old step's history is gone (docs/novu-api.md §4.2).
		if old, ok := stored[in.id]; ok && in.id != "" {
			// Matched by _id: the stored stepId wins.
			st.ID, st.StepID = old.ID, old.StepID
		}
		if st.StepID == "" {
			id, rep := c.uniqueStepID(slugify(in.name), taken)
			if rep != nil {
				return rep
			}
			st.StepID = id
		}
		if creating {
			taken[st.StepID] = true
		}
		if seen[st.StepID] {
			rep := c.fieldFailed(fmt.Sprintf("steps.%d.stepId", i), "stepId must be unique within the workflow", st.StepID)
			return &rep
		}
		seen[st.StepID] = true
		steps = append(steps, st)
	}
	w.Steps = steps
	return nil
}

// uniqueStepID returns slug, or slug plus "-" and a 4-character shortId
// when taken, in up to five tries, as Novu generates a new step's stepId.
// Callers hold s.mu.
func (c *call) uniqueStepID(slug string, taken map[string]bool) (string, *reply) {
	id := slug
	for range 5 {
		if !taken[id] {
			return id, nil
		}
		id = slug + "-" + c.s.randomString(4, shortIDAlphabet)
	}
	if !taken[id] {
		return id, nil
	}
	rep := c.fail(http.StatusBadRequest, "Failed to generate unique stepId", map[string]any{"stepId": id})
	return "", &rep
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
