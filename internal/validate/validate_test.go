package validate

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

func TestValidDefinitionsHaveNoFindings(t *testing.T) {
	defs := []registry.Workflow{orderShipped(), commentDigest(), payout()}
	if got := Registry(defs); got != nil {
		t.Errorf("Registry(valid definitions) = %d findings, want none:\n%s", len(got), lines(got))
	}
}

// Registry must also accept a definition read back from registry.json,
// where every number is a float64 and every object a map[string]any.
func TestValidDefinitionsSurviveJSONRoundTrip(t *testing.T) {
	data, err := json.Marshal(registry.File{Workflows: []registry.Workflow{orderShipped(), commentDigest(), payout()}})
	if err != nil {
		t.Fatal(err)
	}
	var reg registry.File
	if err := json.Unmarshal(data, &reg); err != nil {
		t.Fatal(err)
	}
	if got := Registry(reg.Workflows); got != nil {
		t.Errorf("Registry(round-tripped definitions):\n%s", lines(got))
	}
}

func lines(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Error() + "\n")
	}
	return b.String()
}

// step returns the step of d with stepID, for rows that edit it.
func step(d *registry.Workflow, stepID string) *registry.Step {
	for i := range d.Steps {
		if d.Steps[i].StepID == stepID {
			return &d.Steps[i]
		}
	}
	panic("test bug: no step " + stepID)
}

// wf, st and ctl build expected findings of the order-shipped workflow.
func wf(msg string) Finding { return Finding{WorkflowID: "order-shipped", Message: msg} }
func st(stepID, msg string) Finding {
	return Finding{WorkflowID: "order-shipped", StepID: stepID, Message: msg}
}
func ctl(stepID, control, msg string) Finding {
	return Finding{WorkflowID: "order-shipped", StepID: stepID, Control: control, Message: msg}
}

type row struct {
	name string
	edit func(d *registry.Workflow)
	want []Finding
}

func runRows(t *testing.T, rows []row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			d := orderShipped()
			r.edit(&d)
			got := Definition(d)
			if diff := cmp.Diff(r.want, got); diff != "" {
				t.Errorf("Definition() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefinitionRejectsBadWorkflowFields(t *testing.T) {
	runRows(t, []row{
		{"workflowId with a space", func(d *registry.Workflow) { d.WorkflowID = "order shipped" }, []Finding{{
			WorkflowID: "order shipped",
			Message:    `invalid workflowId: id "order shipped" has " " at byte 5; ids are letters and digits, with single "-", "_" or "." between them`,
		}}},
		{"workflowId that is an ObjectId", func(d *registry.Workflow) { d.WorkflowID = "65f1c0ffee0ddba11dead000" }, []Finding{{
			WorkflowID: "65f1c0ffee0ddba11dead000",
			Message:    `invalid workflowId: id "65f1c0ffee0ddba11dead000" is 24 hexadecimal characters, which Novu reads as a database _id; change or add a character`,
		}}},
		{"empty name", func(d *registry.Workflow) { d.Name = " " }, []Finding{
			wf("name is empty; Novu requires a workflow name"),
		}},
		{"misspelt severity", func(d *registry.Workflow) { d.Severity = "hgh" }, []Finding{
			wf(`severity "hgh" is not one of none, low, medium or high; did you mean "high"?`),
		}},
		{"missing severity", func(d *registry.Workflow) { d.Severity = "" }, []Finding{
			wf(`severity "" is not one of none, low, medium or high`),
		}},
		{"no steps", func(d *registry.Workflow) { d.Steps = nil }, []Finding{
			wf("workflow has no steps; declare at least one"),
		}},
		{"21 steps", func(d *registry.Workflow) {
			d.Steps = nil
			for i := range 21 {
				d.Steps = append(d.Steps, registry.Step{StepID: fmt.Sprintf("s%d", i), Name: "S", Type: registry.TypeSMS})
			}
		}, []Finding{wf("workflow has 21 steps; Novu allows at most 20")}},
		{"unknown and missing channels", func(d *registry.Workflow) {
			d.Preferences.User.Channels["fax"] = registry.ChannelPreference{}
			d.Preferences.User.Channels["emial"] = registry.ChannelPreference{}
			delete(d.Preferences.User.Channels, registry.ChannelEmail)
			delete(d.Preferences.Workflow.Channels, registry.ChannelPush)
		}, []Finding{
			wf(`preferences.user.channels has unknown channel "emial"; channels are in_app, email, sms, chat and push; did you mean "email"?`),
			wf(`preferences.user.channels has unknown channel "fax"; channels are in_app, email, sms, chat and push`),
			wf(`preferences.user.channels lacks "email"; Novu requires all of in_app, email, sms, chat and push`),
			wf(`preferences.workflow.channels lacks "push"; Novu requires all of in_app, email, sms, chat and push`),
		}},
		{"payload schema that is not JSON", func(d *registry.Workflow) { d.PayloadSchema = json.RawMessage(`{"type":`) }, []Finding{
			wf("payloadSchema is not valid JSON: unexpected end of JSON input"),
		}},
		{"payload schema that is not an object", func(d *registry.Workflow) { d.PayloadSchema = json.RawMessage(`[]`) }, []Finding{
			wf("payloadSchema must be a JSON Schema object, not a list"),
		}},
		{"payload schema of a string", func(d *registry.Workflow) { d.PayloadSchema = json.RawMessage(`{"type": "string"}`) }, []Finding{
			wf(`payloadSchema must describe an object (type "object"), not type string`),
		}},
		{"payload schema with references", func(d *registry.Workflow) {
			var schema map[string]any
			if err := json.Unmarshal(d.PayloadSchema, &schema); err != nil {
				panic(err)
			}
			schema["$schema"] = "http://json-schema.org/draft-07/schema#"
			schema["$defs"] = map[string]any{"Order": map[string]any{"type": "object"}}
			props := schema["properties"].(map[string]any)
			props["definitions"] = map[string]any{"type": "string"} // a field name, not a keyword
			props["shipTo"] = map[string]any{"$ref": "#/$defs/Order"}
			d.PayloadSchema, _ = json.Marshal(schema)
		}, []Finding{
			wf(`payloadSchema has "$defs" at /$defs; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
			wf(`payloadSchema has "$ref" at /properties/shipTo/$ref; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
			wf(`payloadSchema has "$schema" at /$schema; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
		}},
	})
}

func TestDefinitionRejectsBadSteps(t *testing.T) {
	runRows(t, []row{
		{"stepId with _st_", func(d *registry.Workflow) {
			step(d, "wait").StepID = "wait_st_1"
		}, []Finding{
			st("wait_st_1", `invalid stepId: id "wait_st_1" contains "_st_", which Novu reads as a slug carrying an _id; avoid "_wf_", "_st_" and "_env_"`),
		}},
		{"empty stepId", func(d *registry.Workflow) { step(d, "wait").StepID = "" }, []Finding{
			wf(`steps[1] has no stepId; ids are letters and digits, with single "-", "_" or "." between them`),
		}},
		{"duplicate stepId", func(d *registry.Workflow) { step(d, "sms").StepID = "notice" }, []Finding{
			st("notice", `stepId "notice" is used by steps[0] and steps[3]; stepIds must be unique in a workflow`),
		}},
		{"empty step name", func(d *registry.Workflow) { step(d, "sms").Name = "" }, []Finding{
			st("sms", "step name is empty; Novu requires one"),
		}},
		{"misspelt step type", func(d *registry.Workflow) { step(d, "email").Type = "emial" }, []Finding{
			st("email", `unknown step type "emial"; did you mean "email"?`),
		}},
		{"unknown step type", func(d *registry.Workflow) { step(d, "sms").Type = "fax" }, []Finding{
			st("sms", `unknown step type "fax"; types are chat, custom, delay, digest, email, http_request, in_app, push, sms and throttle`),
		}},
	})
}

func TestDefinitionRejectsBadControls(t *testing.T) {
	cv := func(d *registry.Workflow, stepID string) map[string]any { return step(d, stepID).ControlValues }
	runRows(t, []row{
		{"email without subject", func(d *registry.Workflow) { delete(cv(d, "email"), "subject") }, []Finding{
			ctl("email", "subject", "email steps need a subject"),
		}},
		{"email with blank subject", func(d *registry.Workflow) { cv(d, "email")["subject"] = "  " }, []Finding{
			ctl("email", "subject", "email steps need a subject"),
		}},
		{"email subject of the wrong type", func(d *registry.Workflow) { cv(d, "email")["subject"] = 3.0 }, []Finding{
			ctl("email", "subject", "email steps need a subject"),
			ctl("email", "subject", "must be a string, not a number"),
		}},
		{"html body under the block editor", func(d *registry.Workflow) { delete(cv(d, "email"), "editorType") }, []Finding{
			ctl("email", "body", `body is not a block-editor document but editorType is "block" (the default), so Novu would clear it; set editorType to "html"`),
		}},
		{"bad editorType", func(d *registry.Workflow) { cv(d, "email")["editorType"] = "HTML" }, []Finding{
			ctl("email", "editorType", `"HTML" is not one of block or html; did you mean "html"?`),
		}},
		{"misspelt control", func(d *registry.Workflow) { cv(d, "email")["subjcet"] = "x" }, []Finding{
			ctl("email", "subjcet", `unknown control for email steps; did you mean "subject"?`),
		}},
		{"unknown control", func(d *registry.Workflow) { cv(d, "sms")["to"] = "x" }, []Finding{
			ctl("sms", "to", `unknown control for sms steps; they take body and skip`),
		}},
		{"in_app without subject and body", func(d *registry.Workflow) {
			delete(cv(d, "notice"), "subject")
			cv(d, "notice")["body"] = ""
		}, []Finding{ctl("notice", "body", "in_app steps need a subject or a body")}},
		{"redirect target and unknown action field", func(d *registry.Workflow) {
			cv(d, "notice")["primaryAction"] = map[string]any{"label": "Go", "redirct": map[string]any{}}
			cv(d, "notice")["redirect"] = map[string]any{"url": "/orders", "target": "blank"}
		}, []Finding{
			ctl("notice", "primaryAction.redirct", `unknown field of primaryAction; did you mean "redirect"?`),
			ctl("notice", "redirect.target", `"blank" is not one of _self, _blank, _parent, _top or _unfencedTop; did you mean "_blank"?`),
		}},
		{"links that are not URLs", func(d *registry.Workflow) {
			cv(d, "notice")["avatar"] = "not-a-url"
			cv(d, "notice")["redirect"] = map[string]any{"url": "javascript:alert(1)"}
			cv(d, "notice")["primaryAction"] = map[string]any{"redirect": map[string]any{"url": "https://"}}
			cv(d, "notice")["secondaryAction"] = map[string]any{"redirect": map[string]any{"url": "JavaScript:{{payload.orderId}}"}}
		}, []Finding{
			ctl("notice", "avatar", `"not-a-url" is not a URL Novu accepts; use an absolute http(s) URL, a path starting with "/", or a {{ variable }}`),
			ctl("notice", "primaryAction.redirect.url", `"https://" is not a URL Novu accepts; use an absolute http(s) URL, a path starting with "/", or a {{ variable }}`),
			ctl("notice", "redirect.url", `"javascript:alert(1)" has scheme "javascript", which Novu does not open; use an absolute http(s) URL, a path starting with "/", or a {{ variable }}`),
			ctl("notice", "secondaryAction.redirect.url", `"JavaScript:{{payload.orderId}}" has scheme "javascript", which Novu does not open; use an absolute http(s) URL, a path starting with "/", or a {{ variable }}`),
		}},
		{"links that are URLs, paths or templates", func(d *registry.Workflow) {
			cv(d, "notice")["avatar"] = "{{subscriber.avatar}}"
			cv(d, "notice")["redirect"] = map[string]any{"url": "/orders/{{payload.orderId}}"}
			cv(d, "notice")["primaryAction"] = map[string]any{"redirect": map[string]any{"url": "http://shop.example"}}
		}, nil},
		{"redirect without url", func(d *registry.Workflow) {
			cv(d, "notice")["redirect"] = map[string]any{"target": "_self"}
		}, []Finding{ctl("notice", "redirect.url", "url is required in redirect")}},
		{"delay without type", func(d *registry.Workflow) { delete(cv(d, "wait"), "type") }, []Finding{
			ctl("wait", "type", "delay steps need a type: regular or timed"),
		}},
		{"regular delay without amount and unit", func(d *registry.Workflow) {
			delete(cv(d, "wait"), "amount")
			delete(cv(d, "wait"), "unit")
		}, []Finding{
			ctl("wait", "amount", "a regular delay needs an amount of at least 1"),
			ctl("wait", "unit", "a regular delay needs a unit: seconds, minutes, hours, days, weeks or months"),
		}},
		{"delay amount and unit out of range", func(d *registry.Workflow) {
			cv(d, "wait")["amount"] = 0.0
			cv(d, "wait")["unit"] = "hour"
		}, []Finding{
			ctl("wait", "amount", "must be at least 1, not 0"),
			ctl("wait", "unit", `"hour" is not one of seconds, minutes, hours, days, weeks or months; did you mean "hours"?`),
		}},
		{"timed delay without cron", func(d *registry.Workflow) { cv(d, "wait")["type"] = "timed" }, []Finding{
			ctl("wait", "cron", "a timed delay needs a cron expression"),
		}},
		{"skip on a step that cannot be skipped", func(d *registry.Workflow) {
			d.Steps = append(d.Steps, registry.Step{StepID: "audit", Name: "Audit", Type: registry.TypeCustom,
				ControlValues: map[string]any{"skip": map[string]any{"var": "payload.tier"}}})
		}, []Finding{
			ctl("audit", "skip", "custom steps cannot be skipped: Novu does not take skip on them"),
		}},
		{"skip that is not an object", func(d *registry.Workflow) { cv(d, "sms")["skip"] = true }, []Finding{
			ctl("sms", "skip", "must be a JSONLogic object, not a boolean"),
		}},
		{"null control", func(d *registry.Workflow) { cv(d, "sms")["body"] = nil }, []Finding{
			ctl("sms", "body", "must not be null; leave the control out instead"),
		}},
	})
}

func TestDefinitionRejectsBadTimingControls(t *testing.T) {
	digest := func(cv map[string]any) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.Steps = append(d.Steps, registry.Step{StepID: "d", Name: "D", Type: registry.TypeDigest, ControlValues: cv})
		}
	}
	throttle := func(cv map[string]any) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.Steps = append(d.Steps, registry.Step{StepID: "t", Name: "T", Type: registry.TypeThrottle, ControlValues: cv})
		}
	}
	dg := func(control, msg string) Finding { return ctl("d", control, msg) }
	th := func(control, msg string) Finding { return ctl("t", control, msg) }
	runRows(t, []row{
		{"digest with nothing", digest(nil), []Finding{
			dg("amount", "a regular digest needs an amount of at least 1"),
			dg("unit", "a regular digest needs a unit: seconds, minutes, hours, days, weeks or months"),
		}},
		{"digest look-back window incomplete", digest(map[string]any{
			"amount": 1.0, "unit": "hours", "lookBackWindow": map[string]any{"amount": 0.0},
		}), []Finding{
			dg("lookBackWindow.amount", "must be at least 1, not 0"),
			dg("lookBackWindow.unit", "unit is required in lookBackWindow"),
		}},
		{"timed digest without cron", digest(map[string]any{"type": "timed"}), []Finding{
			dg("cron", "a timed digest needs a cron expression"),
		}},
		{"digest type", digest(map[string]any{"type": "daily", "amount": 1.0, "unit": "days"}), []Finding{
			dg("type", `"daily" is not one of regular or timed`),
		}},
		{"throttle without type", throttle(map[string]any{"amount": 1.0, "unit": "hours"}), []Finding{
			th("type", "throttle steps need a type: fixed or dynamic"),
		}},
		{"fixed throttle in weeks, threshold 0", throttle(map[string]any{"type": "fixed", "amount": 1.0, "unit": "weeks", "threshold": 0.0}), []Finding{
			th("threshold", "must be at least 1, not 0"),
			th("unit", `"weeks" is not one of minutes, hours or days`),
		}},
		{"dynamic throttle key names no field", throttle(map[string]any{"type": "dynamic", "dynamicKey": "payload.placedat"}), []Finding{
			th("dynamicKey", `"payload.placedat" names no field of the payload; did you mean "placedAt"?`),
		}},
		{"dynamic throttle key outside the namespaces", throttle(map[string]any{"type": "dynamic", "dynamicKey": "placedAt"}), []Finding{
			th("dynamicKey", `"placedAt" reads "placedAt", which Novu does not provide; variables start with context, env, payload, steps, subscriber, t or workflow`),
		}},
		{"dynamic throttle key as a template", throttle(map[string]any{"type": "dynamic", "dynamicKey": "{{payload.placedAt}}"}), nil},
		{"dynamic throttle key of a list element", throttle(map[string]any{"type": "dynamic", "dynamicKey": "payload.items.0.sku"}), nil},
		{"dynamic throttle without key", throttle(map[string]any{"type": "dynamic"}), []Finding{
			th("dynamicKey", "a dynamic throttle needs a dynamicKey, such as payload.timestamp"),
		}},
	})
}

func TestDefinitionRejectsBadHTTPRequests(t *testing.T) {
	http := func(cv map[string]any) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.Steps = append(d.Steps, registry.Step{StepID: "call", Name: "Call", Type: registry.TypeHTTPRequest, ControlValues: cv})
		}
	}
	hc := func(control, msg string) Finding { return ctl("call", control, msg) }
	runRows(t, []row{
		{"nothing", http(nil), []Finding{
			hc("method", "http_request steps need a method: GET, POST, PUT, DELETE or PATCH"),
			hc("url", "http_request steps need a url"),
		}},
		{"bad method, empty url", http(map[string]any{"method": "FETCH", "url": ""}), []Finding{
			hc("method", `"FETCH" is not one of GET, POST, PUT, DELETE or PATCH`),
			hc("url", "must not be empty"),
		}},
		{"headers and body", http(map[string]any{
			"method": "POST", "url": "https://x.example",
			"headers": []any{map[string]any{"key": "A"}, "B: c"},
			"body":    12.0,
		}), []Finding{
			hc("body", "must be a JSON string (or a legacy list of {key, value}), not a number"),
			hc("headers[0].value", "value is required in headers[0]"),
			hc("headers[1]", "must be an object, not a string"),
		}},
		{"url that is not a URL, body that is not JSON", http(map[string]any{
			"method": "POST", "url": "not a url", "body": "{not json",
		}), []Finding{
			hc("body", "is not valid JSON (invalid character 'n' looking for beginning of object key string); Novu sends the body as a JSON document"),
			hc("url", `"not a url" is not a URL Novu accepts; use an absolute http(s) URL, such as https://api.example.com/hook, or a {{ variable }}`),
		}},
		{"relative url", http(map[string]any{"method": "GET", "url": "/hook"}), []Finding{
			hc("url", `"/hook" is not a URL Novu accepts; use an absolute http(s) URL, such as https://api.example.com/hook, or a {{ variable }}`),
		}},
		{"scheme before a template", http(map[string]any{"method": "GET", "url": "ftp://{{payload.orderId}}"}), []Finding{
			hc("url", `"ftp://{{payload.orderId}}" has scheme "ftp", which Novu does not open; use an absolute http(s) URL, such as https://api.example.com/hook, or a {{ variable }}`),
		}},
		{"templated url and body, empty body", http(map[string]any{
			"method": "POST", "url": "{{payload.orderId}}", "body": `{"id": {{payload.orderId}}}`,
		}), nil},
		{"json body, empty body", http(map[string]any{"method": "POST", "url": "HTTPS://x.example/a?b=c", "body": " "}), nil},
		{"legacy body pairs", http(map[string]any{
			"method": "POST", "url": "https://x.example",
			"body": []any{map[string]any{"key": "a", "value": "{{payload.orderId}}", "extra": 1.0}},
		}), []Finding{
			hc("body[0].extra", "unknown field of body[0]; it takes key and value"),
		}},
	})
}

func TestDefinitionRejectsBadTemplateVariables(t *testing.T) {
	body := func(stepID, tmpl string) func(d *registry.Workflow) {
		return func(d *registry.Workflow) { step(d, stepID).ControlValues["body"] = tmpl }
	}
	runRows(t, []row{
		{"misspelt payload field", func(d *registry.Workflow) {
			step(d, "email").ControlValues["subject"] = "Order {{payload.ordrId}} shipped"
		}, []Finding{
			ctl("email", "subject", `{{payload.ordrId}} names no field of the payload; did you mean "orderId"?`),
		}},
		{"nested field", body("sms", "{{ payload.customer.nmae }}"), []Finding{
			ctl("sms", "body", `{{payload.customer.nmae}} names no field of payload.customer; did you mean "name"?`),
		}},
		{"unrelated field lists the fields", body("sms", "{{ payload.total.cents }}"), []Finding{
			ctl("sms", "body", `{{payload.total.cents}} names no field of payload.total; its fields are amount and currency`),
		}},
		{"loop variable", body("sms", "{% for item in payload.items %}{{ item.skuu }}{% endfor %}"), []Finding{
			ctl("sms", "body", `{{item.skuu}} (payload.items[].skuu) names no field of payload.items[]; did you mean "sku"?`),
		}},
		{"first and last of a list", body("sms", "{% assign f = payload.items | first %}{% assign l = payload.items | last %}{{ f.n8 }}{{ l.sku }}"), []Finding{
			ctl("sms", "body", `{{f.n8}} (payload.items[].n8) names no field of payload.items[]; its fields are quantity and sku`),
		}},
		{"misspelt loop collection", body("sms", "{% for item in payload.itemz %}{{ item.sku }}{% endfor %}"), []Finding{
			ctl("sms", "body", `{{item.sku}} (payload.itemz[].sku) names no field of the payload; did you mean "items"?`),
			ctl("sms", "body", `{{payload.itemz}} names no field of the payload; did you mean "items"?`),
		}},
		{"field of a list", body("sms", "{{ payload.items.sku }}"), []Finding{
			ctl("sms", "body", `{{payload.items.sku}} reads "sku" of payload.items, which is a list; loop over it with {% for %}, or use first, last or size`),
		}},
		{"field of a string", body("sms", "{{ payload.orderId.value }} {{ payload.orderId.size }}"), []Finding{
			ctl("sms", "body", `{{payload.orderId.value}} reads "value" of payload.orderId, which is a string`),
		}},
		{"nested control path", func(d *registry.Workflow) {
			step(d, "notice").ControlValues["primaryAction"] = map[string]any{
				"redirect": map[string]any{"url": "https://x.example/{{payload.order.id}}"},
			}
		}, []Finding{
			ctl("notice", "primaryAction.redirect.url", `{{payload.order.id}} names no field of the payload; did you mean "orderId"?`),
		}},
		{"list inside data", func(d *registry.Workflow) {
			step(d, "notice").ControlValues["data"] = map[string]any{"tags": []any{"ok", "{{ payload.tag }}"}}
		}, []Finding{
			ctl("notice", "data.tags[1]", `{{payload.tag}} names no field of the payload; its fields are customer, giftNote, items, metadata, orderId, placedAt, tier and total`),
		}},
		{"subscriber attribute", body("sms", "{{ subscriber.firstname }} {{ subscriber.data.anything.goes }} {{ subscriber.company }}"), []Finding{
			ctl("sms", "body", `{{subscriber.company}} names no field of the subscriber; its fields are avatar, data, email, firstName, isOnline, lastName, lastOnlineAt, locale, phone, subscriberId and timezone`),
			ctl("sms", "body", `{{subscriber.firstname}} names no field of the subscriber; did you mean "firstName"?`),
		}},
		{"workflow attribute", body("sms", "{{ workflow.id }}"), []Finding{
			ctl("sms", "body", `{{workflow.id}} names no field of the workflow; its fields are description, name, severity, tags and workflowId`),
		}},
		{"unknown namespace", body("sms", "{{ order.id }} {{ payloads.orderId }}"), []Finding{
			ctl("sms", "body", `{{order.id}} reads "order", which Novu does not provide; variables start with context, env, payload, steps, subscriber, t or workflow`),
			ctl("sms", "body", `{{payloads.orderId}} reads "payloads", which Novu does not provide; variables start with context, env, payload, steps, subscriber, t or workflow; did you mean "payload"?`),
		}},
		{"step without a result", body("sms", "{{ steps.wait.until }}"), []Finding{
			ctl("sms", "body", `{{steps.wait.until}} reads step "wait", a delay step, which has no result; only digest and http_request steps have one`),
		}},
		{"in_app step without a result", body("sms", "{{ steps.notice.x }}"), []Finding{
			ctl("sms", "body", `{{steps.notice.x}} reads step "notice", an in_app step, which has no result; only digest and http_request steps have one`),
		}},
		{"later step", body("notice", "{{ steps.email.x }}"), []Finding{
			ctl("notice", "body", `{{steps.email.x}} reads step "email", which runs after this one; only earlier steps' results are available`),
		}},
		{"own step", body("sms", "{{ steps.sms.x }}"), []Finding{
			ctl("sms", "body", `{{steps.sms.x}} reads this step's own result; only earlier steps' results are available`),
		}},
		{"unknown step", body("sms", "{{ steps.emial.x }}"), []Finding{
			ctl("sms", "body", `{{steps.emial.x}} names no step of this workflow; did you mean "email"?`),
		}},
		{"unrelated step lists the steps", body("sms", "{{ steps.digest.events }}"), []Finding{
			ctl("sms", "body", `{{steps.digest.events}} names no step of this workflow; its steps are notice, wait, email and sms`),
		}},
		{"template syntax error", body("sms", "Hi {{ payload.orderId"), []Finding{
			ctl("sms", "body", `template error: "{{ payload.orderId" is not closed by "}}" (at byte 3)`),
		}},
		{"skip variable", func(d *registry.Workflow) {
			step(d, "email").ControlValues["skip"] = map[string]any{"==": []any{map[string]any{"var": "payload.tierr"}, "free"}}
		}, []Finding{
			ctl("email", "skip", `{"var": "payload.tierr"} names no field of the payload; did you mean "tier"?`),
		}},
		{"skip variable with default and index", func(d *registry.Workflow) {
			step(d, "email").ControlValues["skip"] = map[string]any{"in": []any{
				map[string]any{"var": []any{"payload.items.0.sku", ""}},
				map[string]any{"var": "payload.items.0.name"},
			}}
		}, []Finding{
			ctl("email", "skip", `{"var": "payload.items.0.name"} names no field of payload.items[]; its fields are quantity and sku`),
		}},
		{"no payload schema accepts any payload variable", func(d *registry.Workflow) {
			d.PayloadSchema = nil
			step(d, "sms").ControlValues["body"] = "{{ payload.anything.at.all }} {{ subscriber.nope }}"
		}, []Finding{
			ctl("sms", "body", `{{subscriber.nope}} names no field of the subscriber; its fields are avatar, data, email, firstName, isOnline, lastName, lastOnlineAt, locale, phone, subscriberId and timezone`),
		}},
		{"payloadSchema null, as registry.json holds dsl.NoSchema, accepts any payload variable", func(d *registry.Workflow) {
			d.PayloadSchema = json.RawMessage("null")
			step(d, "sms").ControlValues["body"] = "{{ payload.anything.at.all }}"
			step(d, "email").ControlValues["skip"] = map[string]any{"==": []any{map[string]any{"var": "payload.whatever"}, "free"}}
		}, nil},
		{"open object level accepts any key", func(d *registry.Workflow) {
			d.PayloadSchema = json.RawMessage(`{"type": "object", "properties": {"meta": {"type": "object", "additionalProperties": true}, "closed": {"type": "object", "additionalProperties": false}}}`)
			d.Steps = []registry.Step{{StepID: "sms", Name: "SMS", Type: registry.TypeSMS, ControlValues: map[string]any{
				"body": "{{ payload.meta.x.y }} {{ payload.closed.x }}",
			}}}
		}, []Finding{
			ctl("sms", "body", `{{payload.closed.x}} names no field of payload.closed, which has none`),
		}},
	})
}

func TestDigestVariables(t *testing.T) {
	body := func(tmpl string) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.WorkflowID = "order-shipped"
			d.PayloadSchema = json.RawMessage(orderSchema)
			d.Steps = []registry.Step{
				{StepID: "bundle", Name: "Bundle", Type: registry.TypeDigest, ControlValues: map[string]any{"amount": 1.0, "unit": "hours"}},
				{StepID: "sms", Name: "SMS", Type: registry.TypeSMS, ControlValues: map[string]any{"body": tmpl}},
			}
		}
	}
	runRows(t, []row{
		{"fine", body("{{ steps.bundle.eventCount }} {{ steps.bundle.events.size }} {% for e in steps.bundle.events %}{{ e.payload.items.first.sku }}{{ e.id }}{% endfor %}"), nil},
		{"misspelt result", body("{{ steps.bundle.evnts }}"), []Finding{
			ctl("sms", "body", `{{steps.bundle.evnts}} names no field of digest step "bundle"; did you mean "events"?`),
		}},
		{"event payload checked against the schema", body("{% for e in steps.bundle.events %}{{ e.payload.ordrId }}{% endfor %}"), []Finding{
			ctl("sms", "body", `{{e.payload.ordrId}} (steps.bundle.events[].payload.ordrId) names no field of steps.bundle.events[].payload; did you mean "orderId"?`),
		}},
		{"event field", body("{% for e in steps.bundle.events %}{{ e.payload }}{{ e.tim }}{% endfor %}"), []Finding{
			ctl("sms", "body", `{{e.tim}} (steps.bundle.events[].tim) names no field of steps.bundle.events[]; did you mean "time"?`),
		}},
	})
}

func TestRegistryReportsDuplicateWorkflowIDsInOrder(t *testing.T) {
	a, b, c := orderShipped(), commentDigest(), orderShipped()
	c.Name = "Order shipped again"
	step(&c, "sms").ControlValues["body"] = "{{ payload.nope }}"
	b.Name = ""
	got := Registry([]registry.Workflow{a, b, c})
	want := []Finding{
		{WorkflowID: "comment-digest", Message: "name is empty; Novu requires a workflow name"},
		{WorkflowID: "order-shipped", Message: `workflowId "order-shipped" is used by workflows[0] ("Order shipped") and workflows[2] ("Order shipped again"); workflowIds must be unique`},
		{WorkflowID: "order-shipped", StepID: "sms", Control: "body", Message: `{{payload.nope}} names no field of the payload; its fields are customer, giftNote, items, metadata, orderId, placedAt, tier and total`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Registry() (-want +got):\n%s", diff)
	}
}

func TestFindingsAreOrderedByStepThenControlAndDeduplicated(t *testing.T) {
	d := orderShipped()
	step(&d, "sms").ControlValues["body"] = "{{ payload.x }} {{ payload.x }}"
	step(&d, "notice").ControlValues["subject"] = "{{ b.x }}"
	step(&d, "notice").ControlValues["body"] = "{{ a.x }}"
	d.Name = ""
	var got []string
	for _, f := range Definition(d) {
		got = append(got, f.Error())
	}
	want := []string{
		`workflow "order-shipped": name is empty; Novu requires a workflow name`,
		`workflow "order-shipped", step "notice", control "body": {{a.x}} reads "a", which Novu does not provide; variables start with context, env, payload, steps, subscriber, t or workflow`,
		`workflow "order-shipped", step "notice", control "subject": {{b.x}} reads "b", which Novu does not provide; variables start with context, env, payload, steps, subscriber, t or workflow`,
		`workflow "order-shipped", step "sms", control "body": {{payload.x}} names no field of the payload; its fields are customer, giftNote, items, metadata, orderId, placedAt, tier and total`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Definition() (-want +got):\n%s", diff)
	}
}

func TestFindingError(t *testing.T) {
	f := Finding{WorkflowID: "order-shipped", StepID: "email", Control: "subject", Message: `{{payload.ordrId}} names no field of the payload; did you mean "orderId"?`}
	want := `workflow "order-shipped", step "email", control "subject": {{payload.ordrId}} names no field of the payload; did you mean "orderId"?`
	if got := f.Error(); got != want {
		t.Errorf("Error() = %s\nwant      %s", got, want)
	}
}

func BenchmarkRegistry(b *testing.B) {
	var defs []registry.Workflow
	for i := range 100 {
		for _, d := range []registry.Workflow{orderShipped(), commentDigest(), payout()} {
			d.WorkflowID = fmt.Sprintf("%s-%d", d.WorkflowID, i)
			defs = append(defs, d)
		}
	}
	for b.Loop() {
		if fs := Registry(defs); fs != nil {
			b.Fatal(lines(fs))
		}
	}
	b.ReportMetric(float64(len(defs)), "workflows/op")
}

func TestPayloadSchemaShapes(t *testing.T) {
	sms := func(schema, tmpl string) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.PayloadSchema = json.RawMessage(schema)
			d.Steps = []registry.Step{{StepID: "sms", Name: "SMS", Type: registry.TypeSMS, ControlValues: map[string]any{"body": tmpl}}}
		}
	}
	runRows(t, []row{
		{"allOf merges properties", sms(`{"allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {"type": "integer"}}}, true]}`,
			"{{ payload.a }}{{ payload.b }}{{ payload.b.x }}{{ payload.c }}"), []Finding{
			ctl("sms", "body", `{{payload.b.x}} reads "x" of payload.b, which is a number`),
			ctl("sms", "body", `{{payload.c}} names no field of the payload; its fields are a and b`),
		}},
		{"an open alternative accepts anything", sms(`{"properties": {"x": {"oneOf": [{"type": "string"}, {}]}}}`,
			"{{ payload.x.y.z }}"), nil},
		{"a $ref is refused, and not followed", sms(`{"properties": {"x": {"$ref": "#/definitions/X"}}}`, "{{ payload.x.y }}"), []Finding{
			wf(`payloadSchema has "$ref" at /properties/x/$ref; Novu needs one self-contained draft-07 schema (no $schema, $id, $ref, $defs or definitions): regenerate it with go generate`),
		}},
		{"nullable object", sms(`{"properties": {"x": {"type": ["object", "null"], "properties": {"y": {"type": "boolean"}}}}}`,
			"{{ payload.x.y }}{{ payload.x.z }}{{ payload.x.y.w }}"), []Finding{
			ctl("sms", "body", `{{payload.x.y.w}} reads "w" of payload.x.y, which is a boolean`),
			ctl("sms", "body", `{{payload.x.z}} names no field of payload.x; its only field is y`),
		}},
		{"map values and dynamic keys", sms(`{"properties": {"m": {"type": "object", "additionalProperties": {"properties": {"v": {"type": "string"}}}}, "k": {"type": "string"}, "l": {"type": "array", "items": {"properties": {"v": {"type": "string"}}}}}}`,
			"{{ payload.m.any.v }}{{ payload.m[payload.k].w }}{{ payload.l[payload.k].v }}{{ payload.l.last.w }}{{ payload.l.size }}{{ payload.k[0] }}"), []Finding{
			ctl("sms", "body", `{{payload.l.last.w}} names no field of payload.l.last; its only field is v`),
			ctl("sms", "body", `{{payload.m[payload.k].w}} (payload.m[*].w) names no field of payload.m[*]; its only field is v`),
		}},
	})
}

func TestHandBuiltNumbers(t *testing.T) {
	for _, amount := range []any{2, int64(2), int32(2), uint(2), uint32(2), uint64(2), float32(2), json.Number("2")} {
		d := orderShipped()
		step(&d, "wait").ControlValues["amount"] = amount
		if got := Definition(d); got != nil {
			t.Errorf("amount %T(%v): %s", amount, amount, lines(got))
		}
	}
	d := orderShipped()
	step(&d, "wait").ControlValues["amount"] = "2"
	step(&d, "wait").ControlValues["unit"] = []any{"hours"}
	step(&d, "notice").ControlValues["disableOutputSanitization"] = "yes"
	step(&d, "notice").ControlValues["data"] = []any{}
	want := []Finding{
		ctl("notice", "data", "must be an object, not a list"),
		ctl("notice", "disableOutputSanitization", "must be true or false, not a string"),
		ctl("wait", "amount", "must be a number, not a string"),
		ctl("wait", "unit", "must be a string, not a list"),
	}
	if diff := cmp.Diff(want, Definition(d)); diff != "" {
		t.Errorf("Definition() (-want +got):\n%s", diff)
	}
}

func TestArticle(t *testing.T) {
	for word, want := range map[string]string{
		"in_app": "an", "email": "an", "sms": "an", "http_request": "an",
		"push": "a", "chat": "a", "delay": "a", "digest": "a", "throttle": "a", "custom": "a",
	} {
		if got := article(word); got != want {
			t.Errorf("article(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestLists(t *testing.T) {
	for _, tc := range []struct {
		values     []string
		one, every string
	}{
		{nil, "nothing", "nothing"},
		{[]string{"a"}, "a", "a"},
		{[]string{"a", "b"}, "a or b", "a and b"},
		{[]string{"a", "b", "c"}, "a, b or c", "a, b and c"},
	} {
		if got := oneOf(tc.values); got != tc.one {
			t.Errorf("oneOf(%q) = %q, want %q", tc.values, got, tc.one)
		}
		if got := allOf(tc.values); got != tc.every {
			t.Errorf("allOf(%q) = %q, want %q", tc.values, got, tc.every)
		}
	}
}
