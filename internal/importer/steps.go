package importer

import (
	"fmt"
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/novugen/novugen/registry"
)

// stepKind is how one step type's controls become its dsl form.
type stepKind struct {
	fn       string // the dsl constructor
	controls string // its controls type
	keys     []control
	// sentKey is the control the constructor always sends ("type",
	// "editorType"), with implied's value when the field is empty.
	sentKey string
}

// control is one control value and the field it fills.
type control struct {
	key, field string
	kind       int
	enum       map[string]string // wire value → dsl constant, for kindEnum
	// novuFillsFalse marks a kindBool control that Novu stores as false
	// when a write leaves it out: a stored false imports as the zero value.
	novuFillsFalse bool
}

const (
	kindString = iota
	kindInt
	kindBool
	kindEnum
	kindObject // map[string]any
	kindSkip
	kindRedirect
	kindAction
	kindLayout
	kindWindow
	kindHeaders
)

var (
	units   = map[string]string{"seconds": "Seconds", "minutes": "Minutes", "hours": "Hours", "days": "Days", "weeks": "Weeks", "months": "Months"}
	targets = map[string]string{"_self": "TargetSelf", "_blank": "TargetBlank", "_parent": "TargetParent", "_top": "TargetTop", "_unfencedTop": "TargetUnfencedTop"}
	skip    = control{key: "skip", field: "Skip", kind: kindSkip}
	// Novu fills in false when a write leaves it out, and so does the
	// official SDK (@novu/api's control DTOs): a stored false is what the
	// dsl's zero value leaves, and apply's plan counts it unchanged.
	sanitize = control{key: "disableOutputSanitization", field: "DisableOutputSanitization", kind: kindBool, novuFillsFalse: true}
	kinds    = map[registry.StepType]stepKind{
		registry.TypeInApp: {fn: "InApp", controls: "InAppControls", keys: []control{
			{key: "subject", field: "Subject"}, {key: "body", field: "Body"}, {key: "avatar", field: "Avatar"},
			{key: "primaryAction", field: "PrimaryAction", kind: kindAction}, {key: "secondaryAction", field: "SecondaryAction", kind: kindAction},
			{key: "redirect", field: "Redirect", kind: kindRedirect}, {key: "data", field: "Data", kind: kindObject},
			sanitize, skip}},
		registry.TypeEmail: {fn: "Email", controls: "EmailControls", sentKey: "editorType", keys: []control{
			{key: "subject", field: "Subject"}, {key: "body", field: "Body"},
			{key: "editorType", field: "EditorType", kind: kindEnum, enum: map[string]string{"html": "EditorHTML", "block": "EditorBlock"}},
			{key: "layoutId", field: "Layout", kind: kindLayout},
			sanitize, skip}},
		registry.TypeSMS:  {fn: "SMS", controls: "SMSControls", keys: []control{{key: "body", field: "Body"}, skip}},
		registry.TypePush: {fn: "Push", controls: "PushControls", keys: []control{{key: "subject", field: "Subject"}, {key: "body", field: "Body"}, skip}},
		registry.TypeChat: {fn: "Chat", controls: "ChatControls", keys: []control{{key: "body", field: "Body"}, skip}},
		registry.TypeDelay: {fn: "Delay", controls: "DelayControls", sentKey: "type", keys: []control{
			{key: "type", field: "Type", kind: kindEnum, enum: map[string]string{"regular": "DelayRegular", "timed": "DelayTimed"}},
			{key: "amount", field: "Amount", kind: kindInt}, {key: "unit", field: "Unit", kind: kindEnum, enum: units},
			{key: "cron", field: "Cron"}, skip}},
		registry.TypeDigest: {fn: "Digest", controls: "DigestControls", sentKey: "type", keys: []control{
			{key: "type", field: "Type", kind: kindEnum, enum: map[string]string{"regular": "DigestRegular", "timed": "DigestTimed"}},
			{key: "amount", field: "Amount", kind: kindInt}, {key: "unit", field: "Unit", kind: kindEnum, enum: units},
			{key: "lookBackWindow", field: "LookBackWindow", kind: kindWindow},
			{key: "cron", field: "Cron"}, {key: "digestKey", field: "DigestKey"}, skip}},
		registry.TypeThrottle: {fn: "Throttle", controls: "ThrottleControls", sentKey: "type", keys: []control{
			{key: "type", field: "Type", kind: kindEnum, enum: map[string]string{"fixed": "ThrottleFixed", "dynamic": "ThrottleDynamic"}},
			{key: "amount", field: "Amount", kind: kindInt}, {key: "unit", field: "Unit", kind: kindEnum, enum: units},
			{key: "dynamicKey", field: "DynamicKey"}, {key: "threshold", field: "Threshold", kind: kindInt},
			{key: "throttleKey", field: "ThrottleKey"}, skip}},
		registry.TypeCustom: {fn: "Custom", controls: "CustomControls", keys: []control{{key: "custom", field: "Custom", kind: kindObject}}},
		registry.TypeHTTPRequest: {fn: "HTTPRequest", controls: "HTTPRequestControls", keys: []control{
			{key: "method", field: "Method", kind: kindEnum, enum: map[string]string{"GET": "MethodGet", "POST": "MethodPost", "PUT": "MethodPut", "DELETE": "MethodDelete", "PATCH": "MethodPatch"}},
			{key: "url", field: "URL"}, {key: "headers", field: "Headers", kind: kindHeaders}, {key: "body", field: "Body"},
			{key: "responseBodySchema", field: "ResponseBodySchema", kind: kindObject},
			{key: "enforceSchemaValidation", field: "EnforceSchemaValidation", kind: kindBool},
			{key: "continueOnFailure", field: "ContinueOnFailure", kind: kindBool}}},
	}
)

// steps are the dsl step calls of the workflow, in order.
func (im *importer) steps() []jen.Code {
	if len(im.wf.Steps) == 0 {
		im.fail("steps", "the workflow has no steps, and novugen requires at least one")
	}
	var out []jen.Code
	for _, st := range im.wf.Steps {
		im.step = st.StepID
		k, ok := kinds[st.Type]
		if !ok {
			im.fail("type", "step type %q has no dsl constructor", st.Type)
			continue
		}
		cv := st.ControlValues
		for key := range cv {
			if !slices.ContainsFunc(k.keys, func(c control) bool { return c.key == key }) {
				im.fail("control "+quote(key), "a %s step has no such control in the dsl", st.Type)
			}
		}
		var f fields
		for _, c := range k.keys {
			v, ok := cv[c.key]
			if !ok {
				if c.key == k.sentKey {
					im.fail("control "+quote(c.key), "not stored, and the dsl always sends it")
				}
				continue
			}
			if code := im.controlValue(c, v, k, cv); code != nil {
				f.add(c.field, code)
			}
		}
		out = append(out, dsl(k.fn).Call(jen.Lit(st.StepID), jen.Lit(st.Name), dsl(k.controls).Values(f.code()...)))
	}
	im.step = ""
	return out
}

func quote(key string) string { return fmt.Sprintf("%q", key) }

// controlValue is the Go value of one control, nil when the dsl's zero
// value sends the same. A value the dsl would send differently is an
// error naming the control.
func (im *importer) controlValue(c control, v any, k stepKind, cv map[string]any) jen.Code {
	field := "control " + quote(c.key)
	bad := func(want string) jen.Code {
		im.fail(field, "%s is not %s", show(v), want)
		return nil
	}
	switch c.kind {
	case kindString:
		s, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		if s == "" {
			im.fail(field, `"" is not sent by the dsl (an empty control is left out)`)
			return nil
		}
		return jen.Lit(s)
	case kindInt:
		n, ok := intOf(v)
		if !ok {
			return bad("a whole number")
		}
		if n == 0 {
			im.fail(field, "0 is not sent by the dsl (a zero control is left out)")
			return nil
		}
		return jen.Lit(n)
	case kindBool:
		b, ok := v.(bool)
		if !ok {
			return bad("a boolean")
		}
		if !b && c.novuFillsFalse {
			return nil
		}
		if !b {
			im.fail(field, "false is not sent by the dsl (only true is)")
			return nil
		}
		return jen.True()
	case kindEnum:
		s, ok := v.(string)
		name, known := c.enum[s]
		if !ok || !known {
			return bad("one of the dsl's constants for " + c.field)
		}
		if c.key == k.sentKey && s == implied(k.fn, cv) {
			return nil // the constructor sends it when the field is empty
		}
		return dsl(name)
	case kindObject:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		return im.literal(field, m)
	case kindSkip:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("a JSONLogic object")
		}
		return im.cond(field, m)
	case kindRedirect:
		return im.redirect(field, v)
	case kindAction:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		var f fields
		for key := range m {
			if key != "label" && key != "redirect" {
				im.fail(field+"."+key, "an action has no such field in the dsl")
			}
		}
		if l, ok := m["label"]; ok {
			f.add("Label", jen.Lit(im.nonEmpty(field+".label", l)))
		}
		if r, ok := m["redirect"]; ok {
			if code := im.redirect(field+".redirect", r); code != nil {
				f.add("Redirect", code)
			}
		}
		if len(f.items) == 0 {
			im.fail(field, "an empty action is not sent by the dsl")
			return nil
		}
		return dsl("Action").Values(f.code()...)
	case kindLayout:
		if v == nil {
			return dsl("NoLayout")
		}
		s, ok := v.(string)
		if !ok {
			return bad("a layout identifier or null")
		}
		return dsl("LayoutID").Call(jen.Lit(s))
	case kindWindow:
		m, ok := v.(map[string]any)
		if !ok || len(m) == 0 {
			return bad("a non-empty {amount, unit} object")
		}
		var f fields
		for _, key := range []string{"amount", "unit"} {
			e, ok := m[key]
			if !ok {
				continue
			}
			switch key {
			case "amount":
				n, ok := intOf(e)
				if !ok || n == 0 {
					im.fail(field+".amount", "%s is not a non-zero whole number", show(e))
				}
				f.add("Amount", jen.Lit(n))
			case "unit":
				u, ok := e.(string)
				if _, known := units[u]; !ok || !known {
					im.fail(field+".unit", "%s is not a unit", show(e))
					continue
				}
				f.add("Unit", dsl(units[u]))
			}
		}
		for key := range m {
			if key != "amount" && key != "unit" {
				im.fail(field+"."+key, "a window has no such field in the dsl")
			}
		}
		return dsl("Window").Values(f.code()...)
	case kindHeaders:
		list, ok := v.([]any)
		if !ok {
			return bad("a list of {key, value}")
		}
		hs := make([]jen.Code, 0, len(list))
		for i, h := range list {
			m, ok := h.(map[string]any)
			key, kok := m["key"].(string)
			val, vok := m["value"].(string)
			if !ok || !kok || !vok || len(m) != 2 {
				im.fail(fmt.Sprintf("%s[%d]", field, i), "%s is not {key, value} with string values", show(h))
				continue
			}
			hs = append(hs, jen.Values(jen.Lit(key), jen.Lit(val)))
		}
		return jen.Index().Add(dsl("Header")).Values(lines(hs)...)
	}
	return nil
}

// implied is the value the constructor fn sends for its sentKey when the
// field is empty, given the step's other controls.
func implied(fn string, cv map[string]any) string {
	set := func(k string) bool { s, _ := cv[k].(string); return s != "" }
	switch fn {
	case "Email":
		return "html"
	case "Delay", "Digest":
		if set("cron") {
			return "timed"
		}
		return "regular"
	case "Throttle":
		if set("dynamicKey") {
			return "dynamic"
		}
		return "fixed"
	}
	return ""
}

// nonEmpty is v as a string; anything but a non-empty string is a problem
// at field.
func (im *importer) nonEmpty(field string, v any) string {
	s, ok := v.(string)
	if !ok || s == "" {
		im.fail(field, "%s is not a non-empty string", show(v))
	}
	return s
}

func (im *importer) redirect(field string, v any) jen.Code {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		im.fail(field, "%s is not a non-empty {url, target} object", show(v))
		return nil
	}
	var f fields
	if u, ok := m["url"]; ok {
		f.add("URL", jen.Lit(im.nonEmpty(field+".url", u)))
	}
	if t, ok := m["target"]; ok {
		s, _ := t.(string)
		name, known := targets[s]
		if !known {
			im.fail(field+".target", "%s is not a target the dsl knows", show(t))
		} else {
			f.add("Target", dsl(name))
		}
	}
	for key := range m {
		if key != "url" && key != "target" {
			im.fail(field+"."+key, "a redirect has no such field in the dsl")
		}
	}
	return dsl("Redirect").Values(f.code()...)
}
