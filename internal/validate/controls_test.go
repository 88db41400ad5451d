package validate

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

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
