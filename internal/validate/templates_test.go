package validate

import (
	"encoding/json"
	"testing"

	"github.com/novugen/novugen/registry"
)

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
