package importer

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/novugen/novugen/registry"
)

func dsl(name string) *jen.Statement { return jen.Qual(dslPath, name) }

// settings is the dsl.Settings literal of the workflow.
func (im *importer) settings(strict bool) jen.Code {
	wf := im.wf
	var f fields
	f.add("Name", jen.Lit(wf.Name))
	if wf.Description != "" {
		f.add("Description", jen.Lit(wf.Description))
	}
	var tags []jen.Code
	for _, t := range wf.Tags {
		// An ownership tag is cmd/apply's to write: declared, it is
		// refused by go generate (validate.ReservedTag), and an imported
		// workflow is adopted, not created by the new registry.
		if lt := strings.ToLower(t); lt == "novugen" || strings.HasPrefix(lt, "novugen:") {
			im.notes = append(im.notes, fmt.Sprintf("workflow %q: ownership tag %q left out: cmd/apply writes those, and the workflow stays adopted (never pruned)", wf.WorkflowID, t))
			continue
		}
		tags = append(tags, jen.Lit(t))
	}
	if len(tags) > 0 {
		f.add("Tags", jen.Index().String().Values(tags...))
	}
	if wf.Active {
		f.add("Active", dsl("Active"))
	} else {
		f.add("Active", dsl("Inactive"))
	}
	switch wf.Severity {
	case registry.SeverityNone:
	case registry.SeverityLow:
		f.add("Severity", dsl("SeverityLow"))
	case registry.SeverityMedium:
		f.add("Severity", dsl("SeverityMedium"))
	case registry.SeverityHigh:
		f.add("Severity", dsl("SeverityHigh"))
	default:
		im.fail("severity", "%q is none of none, low, medium, high", wf.Severity)
	}
	if wf.ValidatePayload {
		f.add("ValidatePayload", jen.True())
	}
	if strict {
		f.add("StrictPayload", jen.True())
	}
	if im.inferred {
		f.add("PayloadSchema", dsl("NoSchema"))
	}
	if wf.IsTranslationEnabled {
		f.add("TranslationEnabled", jen.True())
	}
	var prefs fields
	if p := im.preferenceSet("preferences.workflow", wf.Preferences.Default); p != nil {
		prefs.add("Workflow", p)
	}
	if wf.Preferences.User != nil {
		p := im.preferenceSet("preferences.user", wf.Preferences.User)
		if p == nil {
			p = dsl("ChannelPreferences").Values()
		}
		prefs.add("User", jen.Op("&").Add(p))
	}
	if len(prefs.items) > 0 {
		f.add("Preferences", dsl("Preferences").Values(prefs.code()...))
	}
	return dsl("Settings").Values(f.code()...)
}

// preferenceSet is the dsl.ChannelPreferences literal of p, nil when p is
// all on and not read-only (the zero value). The dsl sends all five
// channels, so a set without one of them cannot round trip.
func (im *importer) preferenceSet(field string, p *registry.PreferenceSet) jen.Code {
	if p == nil {
		im.fail(field, "absent, and the dsl always sends all five channels")
		return nil
	}
	var f fields
	if !p.All.Enabled {
		f.add("Enabled", dsl("Off"))
	}
	if p.All.ReadOnly {
		f.add("ReadOnly", jen.True())
	}
	names := map[registry.Channel]string{registry.ChannelInApp: "InApp", registry.ChannelEmail: "Email",
		registry.ChannelSMS: "SMS", registry.ChannelChat: "Chat", registry.ChannelPush: "Push"}
	for ch := range p.Channels {
		if _, ok := names[ch]; !ok {
			im.fail(field+".channels."+string(ch), "not a channel the dsl knows")
		}
	}
	for _, ch := range registry.Channels {
		c, ok := p.Channels[ch]
		if !ok {
			im.fail(field+".channels."+string(ch), "absent, and the dsl always sends all five channels")
			continue
		}
		if !c.Enabled {
			f.add(names[ch], dsl("Off"))
		}
	}
	if len(f.items) == 0 {
		return nil
	}
	return dsl("ChannelPreferences").Values(f.code()...)
}

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

// operators maps JSONLogic operators to the dsl functions that build them.
var operators = map[string]string{"==": "Eq", "!=": "Ne", ">": "Gt", ">=": "Gte", "<": "Lt", "<=": "Lte", "in": "In", "and": "And", "or": "Or", "!": "Not"}

// cond turns a JSONLogic object back into dsl calls.
func (im *importer) cond(field string, m map[string]any) jen.Code {
	if len(m) != 1 {
		im.fail(field, "%s is not a JSONLogic operation (one key)", show(m))
		return nil
	}
	for op, arg := range m {
		if op == "var" {
			s, ok := arg.(string)
			if !ok {
				im.fail(field, "%s: dsl.Var takes a path string only (no default value)", show(m))
				return nil
			}
			return dsl("Var").Call(jen.Lit(s))
		}
		fn, ok := operators[op]
		if !ok {
			im.fail(field, "JSONLogic operator %q has no dsl function (Var, Eq, Ne, Gt, Gte, Lt, Lte, In, And, Or, Not)", op)
			return nil
		}
		args, ok := arg.([]any)
		if !ok {
			im.fail(field, "%s: the dsl always sends the operands of %q as a list", show(m), op)
			return nil
		}
		want := map[string]int{"!": 1, "and": -1, "or": -1}[op]
		if want == 0 {
			want = 2
		}
		if want > 0 && len(args) != want || want < 0 && len(args) == 0 {
			im.fail(field, "%s: dsl.%s takes %d operands", show(m), fn, want)
			return nil
		}
		var out []jen.Code
		for i, a := range args {
			sub := fmt.Sprintf("%s.%s[%d]", field, op, i)
			if op == "and" || op == "or" || op == "!" {
				am, ok := a.(map[string]any)
				if !ok {
					im.fail(sub, "%s is not a condition", show(a))
					return nil
				}
				out = append(out, im.cond(sub, am))
				continue
			}
			out = append(out, im.operand(sub, a))
		}
		return dsl(fn).Call(out...)
	}
	return nil
}

// operand is a comparison operand: a condition when it is a one-key
// object naming an operator the dsl has, a literal otherwise.
func (im *importer) operand(field string, v any) jen.Code {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		for k := range m {
			if _, op := operators[k]; op || k == "var" {
				return im.cond(field, m)
			}
		}
	}
	return im.value(field, v)
}

// literal is a map[string]any literal with sorted keys.
func (im *importer) literal(field string, m map[string]any) jen.Code {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	items := make([]jen.Code, len(keys))
	for i, k := range keys {
		items[i] = jen.Lit(k).Op(":").Add(im.value(field+"."+k, m[k]))
	}
	return jen.Map(jen.String()).Any().Values(lines(items)...)
}

// value is the Go literal of a JSON value, in the form toWire reads back
// to the same JSON: whole numbers as ints, others as float64.
func (im *importer) value(field string, v any) jen.Code {
	switch v := v.(type) {
	case nil:
		return jen.Nil()
	case string:
		return jen.Lit(v)
	case bool:
		return jen.Lit(v)
	case float64:
		if n, ok := intOf(v); ok {
			return jen.Lit(n)
		}
		return jen.Lit(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			im.fail(field, "%s is not a number Go reads back", v)
			return jen.Nil()
		}
		return im.value(field, f)
	case []any:
		items := make([]jen.Code, len(v))
		for i, e := range v {
			items[i] = im.value(fmt.Sprintf("%s[%d]", field, i), e)
		}
		return jen.Index().Any().Values(items...)
	case map[string]any:
		return im.literal(field, v)
	}
	im.fail(field, "%s has no Go literal", show(v))
	return jen.Nil()
}

// intOf reads a whole JSON number within the range the dsl sends exactly.
func intOf(v any) (int, bool) {
	f, ok := v.(float64)
	if !ok {
		if n, isNum := v.(json.Number); isNum {
			var err error
			if f, err = n.Float64(); err != nil {
				return 0, false
			}
		} else if i, isInt := v.(int); isInt {
			return i, true
		} else {
			return 0, false
		}
	}
	if f != math.Trunc(f) || math.Abs(f) >= 1<<53 {
		return 0, false
	}
	return int(f), true
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strings.ReplaceAll(s, "\n", " ")
}
