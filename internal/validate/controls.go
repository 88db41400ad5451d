package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/novugen/novugen/registry"
)

// kind is the JSON shape a control value must have.
type kind int

const (
	kString kind = iota
	kNumber
	kBool
	kObject // sub lists its fields; nil sub means any object
	kArray  // elem describes each element
	kSkip   // a JSONLogic object
	kBody   // http_request body: a JSON string, or legacy [{key, value}]
)

// field describes one control (or one field of an object control) as Novu's
// 3.18.1 DTOs define it (docs/novu-api.md §7.2).
type field struct {
	kind     kind
	enum     []string
	min1     bool // a number that must be at least 1
	nonEmpty bool // a string that must not be empty when present
	nullable bool // null is a meaningful value (email layoutId: no layout)
	url      urlKind
	sub      map[string]field
	required []string // keys of sub that must be present
	elem     *field
}

// stepSpec is what one step type takes: its controls and the rules that
// involve more than one of them.
type stepSpec struct {
	controls map[string]field
	rules    func(c *checker, cv map[string]any)
}

var (
	timeUnits     = []string{"seconds", "minutes", "hours", "days", "weeks", "months"}
	throttleUnits = []string{"minutes", "hours", "days"}
	httpMethods   = []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	targets       = []string{"_self", "_blank", "_parent", "_top", "_unfencedTop"}
	editorTypes   = []string{"block", "html"}

	str       = field{kind: kString}
	boolean   = field{kind: kBool}
	skip      = field{kind: kSkip}
	anyObject = field{kind: kObject}
	redirect  = field{kind: kObject, required: []string{"url"}, sub: map[string]field{
		"url":    {kind: kString, nonEmpty: true, url: linkURL},
		"target": {kind: kString, enum: targets},
	}}
	action = field{kind: kObject, sub: map[string]field{
		"label":    str,
		"redirect": redirect,
	}}
	keyValue = field{kind: kObject, required: []string{"key", "value"}, sub: map[string]field{
		"key":   {kind: kString, nonEmpty: true},
		"value": str,
	}}
)

var stepSpecs = map[registry.StepType]stepSpec{
	registry.TypeInApp: {controls: map[string]field{
		"subject": str, "body": str, "avatar": {kind: kString, url: linkURL},
		"primaryAction": action, "secondaryAction": action, "redirect": redirect,
		"data": anyObject, "disableOutputSanitization": boolean, "skip": skip,
	}, rules: func(c *checker, cv map[string]any) {
		if !filled(cv["subject"]) && !filled(cv["body"]) {
			c.add("body", "in_app steps need a subject or a body")
		}
	}},
	registry.TypeEmail: {controls: map[string]field{
		"subject": str, "body": str, "editorType": {kind: kString, enum: editorTypes},
		"layoutId": {kind: kString, nullable: true}, "disableOutputSanitization": boolean, "skip": skip,
	}, rules: func(c *checker, cv map[string]any) {
		if !filled(cv["subject"]) {
			c.add("subject", "email steps need a subject")
		}
		// Novu clears a body that is not a block-editor (Maily) document
		// when editorType is "block", which is also the default (§7.2).
		body, _ := cv["body"].(string)
		et, hasET := cv["editorType"]
		if strings.TrimSpace(body) != "" && !strings.HasPrefix(strings.TrimSpace(body), "{") && (!hasET || et == "block") {
			c.add("body", `body is not a block-editor document but editorType is "block" (the default), so Novu would clear it; set editorType to "html"`)
		}
	}},
	registry.TypeSMS:  {controls: map[string]field{"body": str, "skip": skip}},
	registry.TypeChat: {controls: map[string]field{"body": str, "skip": skip}},
	registry.TypePush: {controls: map[string]field{"subject": str, "body": str, "skip": skip}},
	registry.TypeDelay: {controls: map[string]field{
		"type": {kind: kString, enum: []string{"regular", "timed"}}, "amount": {kind: kNumber, min1: true},
		"unit": {kind: kString, enum: timeUnits}, "cron": {kind: kString, nonEmpty: true}, "skip": skip,
	}, rules: timing("delay", "regular", "timed", false, timeUnits, "cron", "a cron expression")},
	registry.TypeDigest: {controls: map[string]field{
		"type": {kind: kString, enum: []string{"regular", "timed"}}, "amount": {kind: kNumber, min1: true},
		"unit": {kind: kString, enum: timeUnits}, "cron": {kind: kString, nonEmpty: true},
		"digestKey": str, "skip": skip,
		"lookBackWindow": {kind: kObject, required: []string{"amount", "unit"}, sub: map[string]field{
			"amount": {kind: kNumber, min1: true},
			"unit":   {kind: kString, enum: timeUnits},
		}},
	}, rules: timing("digest", "regular", "timed", true, timeUnits, "cron", "a cron expression")},
	registry.TypeThrottle: {controls: map[string]field{
		"type": {kind: kString, enum: []string{"fixed", "dynamic"}}, "amount": {kind: kNumber, min1: true},
		"unit": {kind: kString, enum: throttleUnits}, "dynamicKey": {kind: kString, nonEmpty: true},
		"threshold": {kind: kNumber, min1: true}, "throttleKey": str, "skip": skip,
	}, rules: timing("throttle", "fixed", "dynamic", false, throttleUnits, "dynamicKey", "a dynamicKey, such as payload.timestamp")},
	registry.TypeCustom: {controls: map[string]field{"custom": anyObject}},
	registry.TypeHTTPRequest: {controls: map[string]field{
		"method": {kind: kString, enum: httpMethods}, "url": {kind: kString, nonEmpty: true, url: requestURL},
		"headers": {kind: kArray, elem: &keyValue}, "body": {kind: kBody},
		"responseBodySchema": anyObject, "enforceSchemaValidation": boolean, "continueOnFailure": boolean,
	}, rules: func(c *checker, cv map[string]any) {
		c.need(cv, "method", "http_request steps need a method: "+oneOf(httpMethods))
		c.need(cv, "url", "http_request steps need a url")
	}},
}

var stepTypes = sortedKeys(stepSpecs)

// timing is the rules of a delay, digest or throttle step (noun), whose
// type says what else it needs: an amount and a unit (one of units) for
// the first type, which a missing type means when firstByDefault (digest);
// key (need says what it takes) for the second.
func timing(noun, first, second string, firstByDefault bool, units []string, key, need string) func(*checker, map[string]any) {
	return func(c *checker, cv map[string]any) {
		typ := cv["type"]
		if typ == nil && firstByDefault {
			typ = first
		}
		switch typ {
		case nil:
			c.add("type", "%s steps need a type: %s or %s", noun, first, second)
		case first:
			c.need(cv, "amount", fmt.Sprintf("a %s %s needs an amount of at least 1", first, noun))
			c.need(cv, "unit", fmt.Sprintf("a %s %s needs a unit: %s", first, noun, oneOf(units)))
		case second:
			c.need(cv, key, fmt.Sprintf("a %s %s needs %s", second, noun, need))
		}
	}
}

// filled reports a string control that has content.
func filled(v any) bool {
	s, ok := v.(string)
	return ok && strings.TrimSpace(s) != ""
}

// need reports key as missing. A present but wrong value is the field
// check's business, so it is not reported twice.
func (c *checker) need(cv map[string]any, key, msg string) {
	if _, ok := cv[key]; !ok {
		c.add(key, "%s", msg)
	}
}

func (c *checker) controls(s registry.Step, spec stepSpec) {
	names := sortedKeys(spec.controls)
	for _, key := range sortedKeys(s.ControlValues) {
		f, ok := spec.controls[key]
		switch {
		case ok:
			c.value(key, s.ControlValues[key], f)
		case key == "skip":
			c.add(key, "%s steps cannot be skipped: Novu does not take skip on them", s.Type)
		default:
			c.add(key, "unknown control for %s steps%s", s.Type, or(suggest(key, names), "; they take "+allOf(names)))
		}
	}
	if spec.rules != nil {
		cv := s.ControlValues
		if cv == nil {
			cv = map[string]any{}
		}
		spec.rules(c, cv)
	}
}

// value checks one control value against f; path is its dotted wire path.
func (c *checker) value(path string, v any, f field) {
	if v == nil {
		if !f.nullable {
			c.add(path, "must not be null; leave the control out instead")
		}
		return
	}
	switch f.kind {
	case kString:
		s, ok := v.(string)
		if !ok {
			c.add(path, "must be a string, not %s", jsonType(v))
			return
		}
		if f.nonEmpty && strings.TrimSpace(s) == "" {
			c.add(path, "must not be empty")
		}
		if f.enum != nil && !slices.Contains(f.enum, s) {
			c.add(path, "%q is not one of %s%s", s, oneOf(f.enum), suggest(s, f.enum))
		}
		if msg := badURL(s, f.url); msg != "" {
			c.add(path, "%s", msg)
		}
	case kNumber:
		n, ok := number(v)
		if !ok {
			c.add(path, "must be a number, not %s", jsonType(v))
			return
		}
		if f.min1 && n < 1 {
			c.add(path, "must be at least 1, not %v", n)
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			c.add(path, "must be true or false, not %s", jsonType(v))
		}
	case kSkip:
		if _, ok := v.(map[string]any); !ok {
			c.add(path, "must be a JSONLogic object, not %s", jsonType(v))
		}
	case kBody:
		switch v := v.(type) {
		case string:
			if msg := badJSON(v); msg != "" {
				c.add(path, "%s", msg)
			}
		case []any:
			c.value(path, v, field{kind: kArray, elem: &keyValue})
		default:
			c.add(path, "must be a JSON string (or a legacy list of {key, value}), not %s", jsonType(v))
		}
	case kArray:
		a, ok := v.([]any)
		if !ok {
			c.add(path, "must be a list, not %s", jsonType(v))
			return
		}
		for i, e := range a {
			c.value(fmt.Sprintf("%s[%d]", path, i), e, *f.elem)
		}
	case kObject:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(path, "must be an object, not %s", jsonType(v))
			return
		}
		if f.sub == nil {
			return
		}
		names := sortedKeys(f.sub)
		for _, key := range sortedKeys(m) {
			sf, ok := f.sub[key]
			if !ok {
				c.add(path+"."+key, "unknown field of %s%s", path, or(suggest(key, names), "; it takes "+allOf(names)))
				continue
			}
			c.value(path+"."+key, m[key], sf)
		}
		for _, key := range f.required {
			if _, ok := m[key]; !ok {
				c.add(path+"."+key, "%s is required in %s", key, path)
			}
		}
	}
}

// number accepts the numeric forms a wire value can have: float64 from JSON,
// and the integer types a hand-built Definition may hold.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// jsonType names v's JSON type for messages.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	if _, ok := number(v); ok {
		return "a number"
	}
	return fmt.Sprintf("a %T", v)
}
