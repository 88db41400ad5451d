package novutest

import (
	"fmt"
	"slices"
	"strings"
)

const (
	originCloud   = "novu-cloud"
	originCloudV1 = "novu-cloud-v1"
	originExt     = "external"
)

var (
	stepTypes  = []string{"in_app", "email", "sms", "push", "chat", "delay", "digest", "throttle", "custom", "http_request"}
	severities = []string{"high", "medium", "low", "none"}
	origins    = []string{originCloud, originCloudV1, originExt}
	sources    = []string{"template_store", "editor", "notification_directory", "onboarding_digest_demo",
		"onboarding_in_app", "empty_state", "dropdown", "onboarding_get_started", "bridge", "dashboard", "ai"}
)

// decodeBody reads the request body as the DTO of md, or answers why it
// is not one: 400 for what is not a JSON object, 422 with every violation.
func (c *call) decodeBody(md mode) (upsert, *reply) {
	m, bad := c.decodeObject()
	if bad != nil {
		return upsert{}, bad
	}
	u, errs := decodeUpsert(m, md)
	if len(errs) > 0 {
		rep := c.validationFailed(errs)
		return u, &rep
	}
	return u, nil
}

// mode selects which DTO a body is read as.
type mode int

const (
	modeCreate mode = iota // CreateWorkflowDto
	modeUpdate             // UpdateWorkflowDto
	modePatch              // PatchWorkflowDto
)

// upsert is a decoded CreateWorkflowDto, UpdateWorkflowDto or
// PatchWorkflowDto; pointers and *Set flags tell absent from zero.
type upsert struct {
	name, description, severity   *string
	workflowID, origin            string
	tags                          []string
	tagsSet                       bool
	active, validatePayload, i18n *bool
	payloadSchema                 map[string]any
	payloadSchemaSet              bool
	steps                         []stepIn
	stepsSet                      bool
	prefs                         *prefsIn
}

type stepIn struct {
	id, stepID, name, typ string
	controlValues         map[string]any
}

type prefsIn struct {
	workflow, user *PreferenceSet
}

// decodeUpsert reads m as the DTO of mode, collecting every violation the
// way class-validator does, so one 422 lists them all.
func decodeUpsert(m map[string]any, md mode) (upsert, fieldErrors) {
	var u upsert
	errs := fieldErrors{}
	str := func(field string, required bool) *string {
		return member[string](m, "", field, "a string", required, errs)
	}
	boolean := func(field string) *bool {
		return member[bool](m, "", field, "a boolean value", false, errs)
	}
	enum := func(field string, values []string, required bool) *string {
		s := str(field, required)
		if s != nil && !slices.Contains(values, *s) {
			errs.add(field, fmt.Sprintf("%s must be one of the following values: %s", field, strings.Join(values, ", ")), *s)
			return nil
		}
		return s
	}

	u.name = str("name", md != modePatch)
	u.description = str("description", false)
	u.active = boolean("active")
	u.validatePayload = boolean("validatePayload")
	u.i18n = boolean("isTranslationEnabled")
	if arr := member[[]any](m, "", "tags", "an array", false, errs); arr != nil {
		u.tagsSet = true
		u.tags = []string{}
		for _, t := range *arr {
			s, ok := t.(string)
			if !ok {
				errs.add("tags", "each value in tags must be a string", t)
				continue
			}
			u.tags = append(u.tags, s)
		}
	}
	if v, ok := m["payloadSchema"]; ok {
		u.payloadSchemaSet = true
		switch p := v.(type) {
		case nil:
		case map[string]any:
			u.payloadSchema = p
			if err := compileSchema(p); err != nil {
				errs.add("payloadSchema", "payloadSchema must be a valid JSON schema: "+err.Error(), nil)
			}
		default:
			errs.add("payloadSchema", "payloadSchema must be an object", v)
		}
	}
	if md == modePatch {
		return u, errs
	}

	u.severity = enum("severity", severities, false)
	switch md {
	case modeCreate:
		if id := str("workflowId", true); id != nil {
			u.workflowID = *id
			if !slugRule.MatchString(*id) {
				errs.add("workflowId", "workflowId must be a valid slug identifier: letters and digits, "+
					"groups joined by '-', '_' or '.'", *id)
			}
		}
		enum("__source", sources, false)
	case modeUpdate:
		str("workflowId", false) // accepted and ignored (docs/novu-api.md §4.2)
		if o := enum("origin", origins, true); o != nil {
			u.origin = *o
		}
	}

	if arr := member[[]any](m, "", "steps", "an array", true, errs); arr != nil {
		u.stepsSet = true
		for i, raw := range *arr {
			u.steps = append(u.steps, decodeStep(raw, fmt.Sprintf("steps.%d", i), errs))
		}
	}
	if pm := member[map[string]any](m, "", "preferences", "an object", md == modeUpdate, errs); pm != nil {
		u.prefs = &prefsIn{
			workflow: decodePreferenceSet((*pm)["workflow"], "preferences.workflow", errs),
			user:     decodePreferenceSet((*pm)["user"], "preferences.user", errs),
		}
	}
	return u, errs
}

// member reads the member field of the object at path at ("" for the
// body) as a T, collecting class-validator's messages: absent or null is
// nil, and a violation when required; a value of another type is nil and
// a violation saying it must be want.
func member[T any](m map[string]any, at, field, want string, required bool, errs fieldErrors) *T {
	path := field
	if at != "" {
		path = at + "." + field
	}
	v, ok := m[field]
	if !ok || v == nil {
		if required {
			errs.add(path, field+" should not be null or undefined", nil)
		}
		return nil
	}
	x, ok := v.(T)
	if !ok {
		errs.add(path, field+" must be "+want, v)
		return nil
	}
	return &x
}

func decodeStep(raw any, at string, errs fieldErrors) stepIn {
	var st stepIn
	m, ok := raw.(map[string]any)
	if !ok {
		errs.add(at, at+" must be an object", raw)
		return st
	}
	get := func(field string, required bool) string {
		return deref(member[string](m, at, field, "a string", required, errs))
	}
	st.id = get("_id", false)
	st.stepID = get("stepId", false)
	st.name = get("name", true)
	st.typ = get("type", true)
	if st.stepID != "" && !slugRule.MatchString(st.stepID) {
		errs.add(at+".stepId", "stepId must be a valid slug identifier: letters and digits, "+
			"groups joined by '-', '_' or '.'", st.stepID)
	}
	if st.typ != "" && !slices.Contains(stepTypes, st.typ) {
		errs.add(at+".type", "type must be one of the following values: "+strings.Join(stepTypes, ", "), st.typ)
	}
	if cv := member[map[string]any](m, at, "controlValues", "an object", false, errs); cv != nil {
		st.controlValues = *cv
	}
	return st
}

func decodePreferenceSet(raw any, at string, errs fieldErrors) *PreferenceSet {
	if raw == nil {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		errs.add(at, at+" must be an object", raw)
		return nil
	}
	flag := func(obj map[string]any, field, path string) bool {
		b, ok := obj[field].(bool)
		if !ok {
			errs.add(path+"."+field, field+" must be a boolean value", obj[field])
		}
		return b
	}
	p := &PreferenceSet{Channels: map[string]ChannelPreference{}}
	if all, ok := m["all"].(map[string]any); ok {
		p.All = AllPreference{Enabled: flag(all, "enabled", at+".all"), ReadOnly: flag(all, "readOnly", at+".all")}
	} else {
		errs.add(at+".all", "all must be an object", m["all"])
	}
	chans, ok := m["channels"].(map[string]any)
	if !ok {
		errs.add(at+".channels", "channels must be an object", m["channels"])
		return p
	}
	for name, v := range chans {
		path := at + ".channels." + name
		if !slices.Contains(channels, name) {
			errs.add(path, "channel must be one of the following values: "+strings.Join(channels, ", "), name)
			continue
		}
		cm, ok := v.(map[string]any)
		if !ok {
			errs.add(path, "channel preference must be an object", v)
			continue
		}
		p.Channels[name] = ChannelPreference{Enabled: flag(cm, "enabled", path)}
	}
	return p
}
