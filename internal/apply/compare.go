package apply

import (
	"slices"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

// defaultPayloadSchema is what Novu stores when a workflow is created
// without a payloadSchema, absent or null (docs/novu-api.md §4.1); an update
// with null stores null (§4.2). A definition without a schema (dsl.NoSchema)
// matches either; one with a schema matches only itself.
var defaultPayloadSchema = map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": true}

// compare lists the managed fields (docs/novu-api.md §6) on which got differs from
// want. Server-computed fields (_id, slug, timestamps, status, issues,
// origin) are ignored; control values are compared on the keys want sets
// only, numbers numerically.
func compare(want registry.Workflow, got *novu.Workflow) []Change {
	var out []Change
	field := func(path string, old, new any) {
		o, n := normalize(old), normalize(new)
		if !equalJSON(o, n) {
			out = append(out, Change{Path: path, Old: o, New: n})
		}
	}
	field("name", got.Name, want.Name)
	field("description", got.Description, want.Description)
	if gt, wt := tagSet(got.Tags), tagSet(want.Tags); !slices.Equal(gt, wt) {
		out = append(out, Change{Path: "tags", Old: normalize(gt), New: normalize(wt)})
	}
	field("active", got.Active, want.Active)
	field("severity", string(got.Severity), string(want.Severity))
	field("validatePayload", got.ValidatePayload, want.ValidatePayload)
	field("isTranslationEnabled", got.IsTranslationEnabled, want.IsTranslationEnabled)

	ws, gs := normalize(want.PayloadSchema), normalize(got.PayloadSchema)
	if !(equalJSON(ws, gs) || ws == nil && equalJSON(gs, normalize(defaultPayloadSchema))) {
		out = append(out, Change{Path: "payloadSchema", Old: gs, New: ws})
	}

	field("preferences.workflow", prefOrNil(got.Preferences.Default), prefOrNil(want.Preferences.Workflow))
	field("preferences.user", prefOrNil(got.Preferences.User), prefOrNil(want.Preferences.User))

	out = append(out, compareSteps(want.Steps, got.Steps)...)
	return out
}

// prefOrNil keeps a nil *PreferenceSet a plain nil, so that an absent and a
// null preference set compare equal.
func prefOrNil(p *registry.PreferenceSet) any {
	if p == nil {
		return nil
	}
	return p
}

// compareSteps compares the step lists in order. A step is matched by
// position: order is part of the definition, and a moved step is a change
// of "steps" as a whole, reported as the two orders.
func compareSteps(want []registry.Step, got []novu.Step) []Change {
	wantIDs := make([]string, len(want))
	for i, s := range want {
		wantIDs[i] = s.StepID
	}
	gotIDs := make([]string, len(got))
	for i, s := range got {
		gotIDs[i] = s.StepID
	}
	if !slices.Equal(wantIDs, gotIDs) {
		// Steps added, removed or reordered: say so once, then compare the
		// steps both sides have, so the reader also sees content changes.
		var out []Change
		out = append(out, Change{Path: "steps", Old: normalize(gotIDs), New: normalize(wantIDs)})
		for i, w := range want {
			j := slices.Index(gotIDs, w.StepID)
			if j < 0 {
				continue
			}
			out = append(out, compareStep(i, w, got[j])...)
		}
		return out
	}
	var out []Change
	for i := range want {
		out = append(out, compareStep(i, want[i], got[i])...)
	}
	return out
}

func compareStep(i int, want registry.Step, got novu.Step) []Change {
	p := stepPath(i, want.StepID)
	var out []Change
	if got.Name != want.Name {
		out = append(out, Change{Path: p + ".name", Old: got.Name, New: want.Name})
	}
	if got.Type != want.Type {
		out = append(out, Change{Path: p + ".type", Old: string(got.Type), New: string(want.Type)})
	}
	gotCV, _ := normalize(got.ControlValues).(map[string]any)
	out = append(out, diffControls(p+".controlValues", want.Type, want.ControlValues, gotCV)...)
	return out
}
