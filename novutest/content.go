package novutest

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// refresh recomputes the server-side fields of w: slugs, step metadata,
// control defaults, variables, issues and status. Callers hold s.mu.
func refresh(w *Workflow) {
	if w.Tags == nil {
		w.Tags = []string{}
	}
	if w.Steps == nil {
		w.Steps = []Step{}
	}
	if w.Origin == "" {
		w.Origin = originCloud
	}
	w.Slug = workflowSlug(w.Name, w.ID)
	hasIssues := false
	for i := range w.Steps {
		st := &w.Steps[i]
		st.Slug = stepSlug(st.Name, st.ID)
		st.Origin = w.Origin
		st.WorkflowID = w.WorkflowID
		st.WorkflowDatabaseID = w.ID
		st.Controls = Controls{Values: controlDefaults(st.Type, st.ControlValues), DataSchema: dataSchema(st.Type)}
		st.Variables = variableSchema(w, i)
		st.Issues = stepIssues(w, i)
		if st.Issues != nil {
			hasIssues = true
		}
	}
	switch {
	case !w.Active:
		w.Status = "INACTIVE"
	case hasIssues:
		w.Status = "ERROR"
	default:
		w.Status = "ACTIVE"
	}
}

// normalizeControls applies what Novu does to control values on write: an
// email body that is not Maily JSON under the block editor is cleared
// (docs/novu-api.md §7.2).
func normalizeControls(typ string, cv map[string]any) map[string]any {
	if cv == nil || typ != "email" {
		return cv
	}
	body, ok := cv["body"].(string)
	if !ok || body == "" || cv["editorType"] == "html" {
		return cv
	}
	var doc struct {
		Type string `json:"type"`
	}
	if json.Unmarshal([]byte(body), &doc) == nil && doc.Type == "doc" {
		return cv
	}
	cv = maps.Clone(cv)
	cv["body"] = ""
	return cv
}

// controlDefaults is controls.values: the stored values over the schema
// defaults of the step type.
func controlDefaults(typ string, cv map[string]any) map[string]any {
	out := map[string]any{}
	switch typ {
	case "email":
		out["body"] = ""
		out["editorType"] = "block"
	case "delay":
		out["type"] = "regular"
	case "throttle":
		out["type"] = "fixed"
		out["threshold"] = 1
	case "in_app", "sms", "chat", "push":
		// no defaults the emulator needs
	}
	maps.Copy(out, cloneMap(cv))
	return out
}

// controlFields lists each step type's controls, for dataSchema.
var controlFields = map[string][]string{
	"in_app":       {"subject", "body", "avatar", "primaryAction", "secondaryAction", "redirect", "data", "disableOutputSanitization", "skip"},
	"email":        {"subject", "body", "editorType", "layoutId", "disableOutputSanitization", "skip"},
	"sms":          {"body", "skip"},
	"chat":         {"body", "skip"},
	"push":         {"subject", "body", "skip"},
	"delay":        {"type", "amount", "unit", "cron", "skip"},
	"digest":       {"type", "amount", "unit", "lookBackWindow", "cron", "digestKey", "skip"},
	"throttle":     {"type", "amount", "unit", "dynamicKey", "threshold", "throttleKey", "skip"},
	"custom":       {"custom"},
	"http_request": {"method", "url", "headers", "body", "responseBodySchema", "enforceSchemaValidation", "continueOnFailure"},
}

func dataSchema(typ string) map[string]any {
	props := map[string]any{}
	for _, f := range controlFields[typ] {
		props[f] = map[string]any{}
	}
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

// subscriberFields are the subscriber.* variables Novu knows (docs/novu-api.md §8.1).
var subscriberFields = []string{"subscriberId", "firstName", "lastName", "email", "phone", "avatar",
	"locale", "timezone", "isOnline", "lastOnlineAt", "data"}

// variableSchema is the schema of the variables step i may use.
func variableSchema(w *Workflow, i int) map[string]any {
	sub := map[string]any{}
	for _, f := range subscriberFields {
		sub[f] = map[string]any{"type": "string"}
	}
	sub["data"] = map[string]any{"type": "object", "additionalProperties": true}
	steps := map[string]any{}
	for _, prev := range w.Steps[:i] {
		steps[prev.StepID] = map[string]any{"type": "object", "additionalProperties": true}
	}
	payload := cloneMap(w.PayloadSchema)
	if payload == nil {
		payload = map[string]any{"type": "object", "additionalProperties": true}
	}
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			"subscriber": map[string]any{"type": "object", "properties": sub, "additionalProperties": false},
			"payload":    payload,
			"steps":      map[string]any{"type": "object", "properties": steps, "additionalProperties": false},
			"workflow": map[string]any{"type": "object", "properties": map[string]any{
				"workflowId": map[string]any{"type": "string"}, "name": map[string]any{"type": "string"},
				"description": map[string]any{"type": "string"}, "tags": map[string]any{"type": "array"},
				"severity": map[string]any{"type": "string"}}},
		},
		"additionalProperties": false,
	}
}

// required lists, per step type, the controls whose absence is a
// MISSING_VALUE issue; the digest, delay and throttle lists depend on type.
func required(typ string, cv map[string]any) []string {
	kind, _ := cv["type"].(string)
	switch typ {
	case "email":
		return []string{"subject"}
	case "in_app":
		if present(cv, "subject") {
			return nil
		}
		return []string{"body"}
	case "http_request":
		return []string{"method", "url"}
	case "delay":
		if kind == "timed" {
			return []string{"cron"}
		}
		return []string{"amount", "unit"}
	case "digest":
		if kind == "timed" {
			return []string{"cron"}
		}
		return []string{"amount", "unit"}
	case "throttle":
		if kind == "dynamic" {
			return []string{"dynamicKey"}
		}
		return []string{"amount", "unit"}
	}
	return nil
}

func present(cv map[string]any, key string) bool {
	v, ok := cv[key]
	if !ok || v == nil {
		return false
	}
	s, isStr := v.(string)
	return !isStr || strings.TrimSpace(s) != ""
}

var liquidOutput = regexp.MustCompile(`\{\{-?\s*([a-zA-Z_][\w.]*)`)

// stepIssues reports missing required controls and references to variables
// Novu would not know, which make the workflow's status ERROR without
// failing the write (docs/novu-api.md §6, §8.1).
func stepIssues(w *Workflow, i int) *StepIssues {
	st := w.Steps[i]
	issues := map[string][]ContentIssue{}
	for _, f := range required(st.Type, st.ControlValues) {
		if !present(st.ControlValues, f) {
			issues[f] = append(issues[f], ContentIssue{IssueType: "MISSING_VALUE", Message: "Value is missing on a required control"})
		}
	}
	earlier := map[string]bool{}
	for _, prev := range w.Steps[:i] {
		earlier[prev.StepID] = true
	}
	for _, key := range slices.Sorted(maps.Keys(st.ControlValues)) {
		for _, ref := range references(st.ControlValues[key]) {
			if !knownVariable(ref, w.PayloadSchema, earlier) {
				issues[key] = append(issues[key], ContentIssue{IssueType: "ILLEGAL_VARIABLE_IN_CONTROL_VALUE",
					VariableName: "{{" + ref + "}}", Message: "Variable {{" + ref + "}} is not supported"})
			}
		}
	}
	if len(issues) == 0 {
		return nil
	}
	return &StepIssues{Controls: issues}
}

// references finds {{ a.b.c }} output variables in every string of v.
func references(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		for _, m := range liquidOutput.FindAllStringSubmatch(x, -1) {
			out = append(out, m[1])
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if k == "var" {
				continue // JSONLogic var paths in skip are not templates
			}
			out = append(out, references(x[k])...)
		}
	case []any:
		for _, e := range x {
			out = append(out, references(e)...)
		}
	}
	return out
}

// knownVariable checks a reference against the namespaces Novu builds; roots
// outside them (loop variables) are left alone.
func knownVariable(ref string, payloadSchema map[string]any, earlier map[string]bool) bool {
	parts := strings.Split(ref, ".")
	switch parts[0] {
	case "subscriber":
		return len(parts) == 1 || slices.Contains(subscriberFields, parts[1])
	case "steps":
		return len(parts) == 1 || earlier[parts[1]]
	case "payload":
		return payloadPathKnown(payloadSchema, parts[1:])
	}
	return true
}

// payloadPathKnown walks object properties; a level that allows additional
// properties (the JSON Schema default) accepts anything below it.
func payloadPathKnown(schema map[string]any, path []string) bool {
	for _, p := range path {
		if schema == nil {
			return true
		}
		props, _ := schema["properties"].(map[string]any)
		next, ok := props[p].(map[string]any)
		if !ok {
			return schema["additionalProperties"] != false
		}
		schema = next
	}
	return true
}
