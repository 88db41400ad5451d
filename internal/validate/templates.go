package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/goname"
	"github.com/novugen/novugen/internal/liquid"
	"github.com/novugen/novugen/registry"
)

// namespaces are the variable roots Novu provides (docs/novu-api.md §8.1).
var namespaces = []string{"context", "env", "payload", "steps", "subscriber", "t", "workflow"}

// subscriberSchema lists the subscriber attributes Novu exposes; data is the
// subscriber's free-form data, so anything under it is accepted.
var subscriberSchema = object(map[string]any{
	"subscriberId": scalar("string"), "firstName": scalar("string"), "lastName": scalar("string"),
	"email": scalar("string"), "phone": scalar("string"), "avatar": scalar("string"),
	"locale": scalar("string"), "timezone": scalar("string"), "isOnline": scalar("boolean"),
	"lastOnlineAt": scalar("string"), "data": map[string]any{},
})

var workflowSchema = object(map[string]any{
	"workflowId": scalar("string"), "name": scalar("string"), "description": scalar("string"),
	"tags": map[string]any{"type": "array", "items": scalar("string")}, "severity": scalar("string"),
})

// digestSchema is a digest step's result: the digested events, each
// carrying the payload of the trigger it came from.
func digestSchema(payload any) any {
	if payload == nil {
		payload = map[string]any{}
	}
	return object(map[string]any{
		"events": map[string]any{"type": "array", "items": object(map[string]any{
			"id": scalar("string"), "time": scalar("string"), "payload": payload,
		})},
		"eventCount": scalar("integer"),
	})
}

// templates checks every string in a step's control values, however deeply
// nested, as a Liquid template, the var paths of its skip condition, and a
// throttle's dynamicKey.
func (c *checker) templates(t registry.StepType, cv map[string]any) {
	for _, key := range sortedKeys(cv) {
		c.strings(key, cv[key])
		switch {
		case key == "skip":
			c.skipVars(cv[key])
		case key == "dynamicKey" && t == registry.TypeThrottle:
			c.dynamicKey(cv[key])
		}
	}
}

// dynamicKey checks a throttle's dynamicKey, a bare variable path such as
// payload.timestamp that Novu reads the window from (docs/novu-api.md §7.2). One
// written as a template ({{payload.timestamp}}) is checked as a template.
func (c *checker) dynamicKey(v any) {
	p, ok := v.(string)
	if !ok || strings.TrimSpace(p) == "" || strings.Contains(p, "{") {
		return // the type and emptiness checks report these
	}
	p = strings.TrimSpace(p)
	if msg := c.variable(pathSegs(p)); msg != "" {
		c.add("dynamicKey", "%q %s", p, msg)
	}
}

// pathSegs splits a dotted variable path; a numeric segment indexes a list.
func pathSegs(p string) []string {
	segs := strings.Split(p, ".")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i] = liquid.Elem
		}
	}
	return segs
}

func (c *checker) strings(path string, v any) {
	switch v := v.(type) {
	case string:
		c.template(path, v)
	case map[string]any:
		for _, k := range sortedKeys(v) {
			c.strings(path+"."+k, v[k])
		}
	case []any:
		for i, e := range v {
			c.strings(fmt.Sprintf("%s[%d]", path, i), e)
		}
	}
}

func (c *checker) template(path, tmpl string) {
	if !strings.Contains(tmpl, "{") {
		return // no output or tag: nothing to scan
	}
	refs, err := liquid.Refs(tmpl)
	if err != nil {
		c.add(path, "template error: %v", err)
	}
	for _, r := range refs {
		shown := "{{" + r.Raw + "}}"
		if full := display(r.Path); full != r.Raw {
			shown += " (" + full + ")"
		}
		if msg := c.variable(r.Path); msg != "" {
			c.add(path, "%s %s", shown, msg)
		}
	}
}

// skipVars checks the paths of JSONLogic {"var": …} operations: Novu
// evaluates them against the same variables as templates (docs/novu-api.md §7.3).
func (c *checker) skipVars(v any) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if k == "var" {
				c.jsonVar(v[k])
			}
			c.skipVars(v[k])
		}
	case []any:
		for _, e := range v {
			c.skipVars(e)
		}
	}
}

func (c *checker) jsonVar(arg any) {
	if a, ok := arg.([]any); ok && len(a) > 0 {
		arg = a[0] // ["payload.x", default]
	}
	p, ok := arg.(string)
	if !ok || p == "" {
		return // a computed path, or "" (all data): nothing to check
	}
	// JSONLogic indexes lists with numeric segments, as pathSegs reads them.
	if msg := c.variable(pathSegs(p)); msg != "" {
		c.add("skip", `{"var": %q} %s`, p, msg)
	}
}

// variable checks one resolved variable path and returns what is wrong with
// it (to follow the variable in a message), or "".
func (c *checker) variable(p []string) string {
	switch p[0] {
	case "payload":
		return walk(c.schema, p[1:], "payload", "the payload")
	case "subscriber":
		return walk(subscriberSchema, p[1:], "subscriber", "the subscriber")
	case "workflow":
		return walk(workflowSchema, p[1:], "workflow", "the workflow")
	case "steps":
		return c.stepVariable(p[1:])
	case "t":
		return c.translation(p[1:])
	case "context":
		return contextVariable(p[1:])
	case "env":
		return c.envVariable(p[1:])
	}
	return fmt.Sprintf("reads %q, which Novu does not provide; variables start with %s%s",
		p[0], oneOf(namespaces), suggest(p[0], namespaces))
}

// translation checks t.<key>: Novu resolves it from the workflow's
// translations, which it keeps only when isTranslationEnabled is set
// (docs/novu-api.md §8.1). The keys live in Novu, not in the registry, so
// any key is accepted.
func (c *checker) translation(p []string) string {
	if !c.def.IsTranslationEnabled {
		return "reads a translation, but this workflow does not enable translations, so Novu would render nothing; " +
			"set TranslationEnabled: true in its dsl.Settings (isTranslationEnabled in the registry)"
	}
	if len(p) == 0 {
		return "names no translation key; write t.<key>, e.g. t.welcome.title"
	}
	return ""
}

// contextFields are what a trigger gives for each context type: an id,
// and the context's free-form data (docs/novu-api.md §8.1).
var contextFields = []string{"data", "id"}

// contextVariable checks context.<type>.id and context.<type>.data…: the
// types and their data are whatever the trigger or the stored context
// holds, so only the shape is checked.
func contextVariable(p []string) string {
	if len(p) == 0 || p[0] == liquid.AnyKey || p[0] == liquid.Elem {
		if len(p) == 0 {
			return "names no context type; write context.<type>.id or context.<type>.data.<field>, e.g. context.tenant.id"
		}
		return ""
	}
	if len(p) == 1 || p[1] == "data" || p[1] == liquid.AnyKey {
		return ""
	}
	if p[1] == "id" {
		return walk(scalar("string"), p[2:], "context."+p[0]+".id", "context."+p[0]+".id")
	}
	return fmt.Sprintf("names no field of context.%s; a context has only %s%s", p[0], allOf(contextFields), suggest(p[1], contextFields))
}

// envVariable checks env.<NAME>: NAME must be declared (dsl.EnvVar), so
// that apply can check that every environment gives it a value; a value is
// a string (docs/novu-api.md §8.3).
func (c *checker) envVariable(p []string) string {
	if len(p) == 0 || p[0] == liquid.AnyKey || p[0] == liquid.Elem {
		return "names no environment variable; write env.<NAME>, e.g. env.BASE_URL, and declare NAME with dsl.EnvVar"
	}
	if !slices.Contains(c.env, p[0]) {
		declared := "none is declared"
		if len(c.env) > 0 {
			declared = "declared are " + allOf(c.env)
		}
		if hint := suggest(p[0], c.env); hint != "" {
			return fmt.Sprintf("reads environment variable %q, which is not declared (%s)%s", p[0], declared, hint)
		}
		return fmt.Sprintf("reads environment variable %q, which is not declared (%s); declare it in a package go generate reads: const %s dsl.EnvVar = %q",
			p[0], declared, goname.Exported(p[0], "Env"), p[0])
	}
	return walk(scalar("string"), p[1:], "env."+p[0], "env."+p[0])
}

// stepVariable checks steps.<stepId>.…: the step must run earlier and have a
// result (digest: events, eventCount; http_request: its response).
func (c *checker) stepVariable(p []string) string {
	if len(p) == 0 || p[0] == liquid.AnyKey {
		return ""
	}
	id := p[0]
	j, ok := c.index[id]
	if !ok {
		ids := make([]string, 0, len(c.steps))
		for _, s := range c.steps {
			ids = append(ids, s.StepID)
		}
		return fmt.Sprintf("names no step of this workflow%s", or(suggest(id, ids), steps(ids)))
	}
	switch {
	case j == c.step:
		return "reads this step's own result; only earlier steps' results are available"
	case j > c.step:
		return fmt.Sprintf("reads step %q, which runs after this one; only earlier steps' results are available", id)
	}
	switch t := c.steps[j].Type; t {
	case registry.TypeDigest:
		return walk(digestSchema(c.schema), p[1:], "steps."+id, fmt.Sprintf("digest step %q", id))
	case registry.TypeHTTPRequest:
		return ""
	default:
		return fmt.Sprintf("reads step %q, %s %s step, which has no result; only digest and http_request steps have one", id, article(string(t)), t)
	}
}

// steps names a workflow's steps for a message.
func steps(ids []string) string {
	if len(ids) == 1 {
		return "; its only step is " + ids[0]
	}
	return "; its steps are " + allOf(ids)
}

// display writes a resolved path the way a template would: payload.items[].sku.
func display(path []string) string {
	var b strings.Builder
	for i, s := range path {
		if i == 0 {
			b.WriteString(s)
			continue
		}
		b.WriteString(displaySeg(s))
	}
	return b.String()
}

func displaySeg(s string) string {
	if s == liquid.Elem || s == liquid.AnyKey {
		return s
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return fmt.Sprintf("[%q]", s)
		}
	}
	if s == "" {
		return `[""]`
	}
	return "." + s
}
