package novutest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
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

// decodeObject parses the request body as a JSON object, answering like
// Nest's body parser when it is not one.
func (c *call) decodeObject() (map[string]any, *reply) {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return map[string]any{}, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(c.body))
	if err := dec.Decode(&v); err != nil || dec.More() {
		rep := c.nestFail(http.StatusBadRequest, "Unexpected token in JSON body")
		return nil, &rep
	}
	m, ok := v.(map[string]any)
	if !ok {
		rep := c.nestFail(http.StatusBadRequest, "request body must be a JSON object")
		return nil, &rep
	}
	return m, nil
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
		v, ok := m[field]
		if !ok || v == nil {
			if required {
				errs.add(field, field+" should not be null or undefined", nil)
			}
			return nil
		}
		s, ok := v.(string)
		if !ok {
			errs.add(field, field+" must be a string", v)
			return nil
		}
		return &s
	}
	boolean := func(field string) *bool {
		v, ok := m[field]
		if !ok || v == nil {
			return nil
		}
		b, ok := v.(bool)
		if !ok {
			errs.add(field, field+" must be a boolean value", v)
			return nil
		}
		return &b
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
	if v, ok := m["tags"]; ok && v != nil {
		u.tagsSet = true
		arr, ok := v.([]any)
		if !ok {
			errs.add("tags", "tags must be an array", v)
		}
		u.tags = []string{}
		for _, t := range arr {
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

	if v, ok := m["steps"]; !ok || v == nil {
		errs.add("steps", "steps should not be null or undefined", nil)
	} else if arr, ok := v.([]any); !ok {
		errs.add("steps", "steps must be an array", v)
	} else {
		u.stepsSet = true
		for i, raw := range arr {
			u.steps = append(u.steps, decodeStep(raw, fmt.Sprintf("steps.%d", i), errs))
		}
	}

	if v, ok := m["preferences"]; !ok || v == nil {
		if md == modeUpdate {
			errs.add("preferences", "preferences should not be null or undefined", nil)
		}
	} else if pm, ok := v.(map[string]any); !ok {
		errs.add("preferences", "preferences must be an object", v)
	} else {
		u.prefs = &prefsIn{
			workflow: decodePreferenceSet(pm["workflow"], "preferences.workflow", errs),
			user:     decodePreferenceSet(pm["user"], "preferences.user", errs),
		}
	}
	return u, errs
}

func decodeStep(raw any, at string, errs fieldErrors) stepIn {
	var st stepIn
	m, ok := raw.(map[string]any)
	if !ok {
		errs.add(at, at+" must be an object", raw)
		return st
	}
	get := func(field string, required bool) string {
		v, ok := m[field]
		if !ok || v == nil {
			if required {
				errs.add(at+"."+field, field+" should not be null or undefined", nil)
			}
			return ""
		}
		s, ok := v.(string)
		if !ok {
			errs.add(at+"."+field, field+" must be a string", v)
		}
		return s
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
	switch cv := m["controlValues"].(type) {
	case nil:
	case map[string]any:
		st.controlValues = cv
	default:
		errs.add(at+".controlValues", "controlValues must be an object", cv)
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
