package validate

import (
	"encoding/json"

	"github.com/novugen/novugen/registry"
)

// Realistic definitions, written in wire form as the generator emits them.

func prefs() registry.Preferences {
	set := func(readOnly bool) *registry.PreferenceSet {
		chs := map[registry.Channel]registry.ChannelPreference{}
		for _, c := range registry.Channels {
			chs[c] = registry.ChannelPreference{Enabled: true}
		}
		return &registry.PreferenceSet{All: registry.AllPreference{Enabled: true, ReadOnly: readOnly}, Channels: chs}
	}
	return registry.Preferences{Workflow: set(false), User: set(true)}
}

const orderSchema = `{
  "properties": {
    "orderId": {"type": "string", "minLength": 1},
    "customer": {
      "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
      "type": "object", "required": ["name", "email"]
    },
    "items": {
      "items": {
        "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}},
        "type": "object", "required": ["sku", "quantity"]
      },
      "type": "array"
    },
    "total": {
      "properties": {"amount": {"type": "integer"}, "currency": {"type": "string"}},
      "type": "object", "required": ["amount", "currency"]
    },
    "tier": {"type": "string", "enum": ["free", "pro", "enterprise"]},
    "placedAt": {"type": "string", "format": "date-time"},
    "metadata": {"additionalProperties": {"type": "string"}, "type": "object"},
    "giftNote": {"anyOf": [{"type": "string"}, {"type": "null"}]}
  },
  "type": "object",
  "required": ["orderId", "customer", "items", "total", "tier", "placedAt"]
}`

func orderShipped() registry.Workflow {
	return registry.Workflow{
		WorkflowID:      "order-shipped",
		Name:            "Order shipped",
		Description:     "Tells the customer their order is on its way.",
		Tags:            []string{"orders"},
		Active:          true,
		Severity:        registry.SeverityMedium,
		ValidatePayload: true,
		PayloadSchema:   json.RawMessage(orderSchema),
		Preferences:     prefs(),
		Steps: []registry.Step{
			{StepID: "notice", Name: "Notice", Type: registry.TypeInApp, ControlValues: map[string]any{
				"subject": "Order {{ payload.orderId }} shipped",
				"body":    `Hi {{ subscriber.firstName | default: "there" }}, {{ payload.items | size }} items are on their way to {{ payload.customer.name }}.`,
				"primaryAction": map[string]any{
					"label":    "Track",
					"redirect": map[string]any{"url": "https://shop.example/orders/{{payload.orderId}}", "target": "_blank"},
				},
				"data": map[string]any{"orderId": "{{payload.orderId}}", "first": "{{ payload.items.first.sku }}"},
			}},
			{StepID: "wait", Name: "Wait", Type: registry.TypeDelay, ControlValues: map[string]any{
				"type": "regular", "amount": 2.0, "unit": "hours",
			}},
			{StepID: "email", Name: "Email", Type: registry.TypeEmail, ControlValues: map[string]any{
				"subject":    "Your order {{payload.orderId}} is on its way",
				"editorType": "html",
				"body": `<p>{{ payload.customer.name | capitalize }},</p>
{%- for item in payload.items %}<li>{{ item.sku }} × {{ item.quantity }}</li>{% endfor -%}
{% assign t = payload.total %}<p>{{ t.amount | divided_by: 100.0 }} {{ t.currency | upcase }}</p>
{% if payload.giftNote != blank %}<p>{{ payload.giftNote }}</p>{% endif %}
{{ payload.metadata.campaign | default: "" }} {{ payload.placedAt | date: "%b %d" }}`,
				"skip": map[string]any{"and": []any{
					map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "free"}},
					map[string]any{"!": []any{map[string]any{"var": []any{"subscriber.data.vip", false}}}},
				}},
			}},
			{StepID: "sms", Name: "SMS", Type: registry.TypeSMS, ControlValues: map[string]any{
				"body": "{{ workflow.name }}: {{ payload.orderId }} ({{ payload.items[0].sku }})",
			}},
		},
	}
}

const commentSchema = `{
  "properties": {
    "postId": {"type": "string"},
    "postTitle": {"type": "string"},
    "commentAuthor": {"type": "string"},
    "comment": {"type": "string"}
  },
  "type": "object",
  "required": ["postId", "postTitle", "commentAuthor", "comment"]
}`

func commentDigest() registry.Workflow {
	return registry.Workflow{
		WorkflowID:    "comment-digest",
		Name:          "Comment digest",
		Tags:          []string{"social"},
		Active:        true,
		Severity:      registry.SeverityLow,
		PayloadSchema: json.RawMessage(commentSchema),
		Preferences:   prefs(),
		Steps: []registry.Step{
			{StepID: "limit", Name: "Limit", Type: registry.TypeThrottle, ControlValues: map[string]any{
				"type": "fixed", "amount": 1.0, "unit": "hours", "threshold": 50.0, "throttleKey": "{{payload.postId}}",
			}},
			{StepID: "collect", Name: "Collect", Type: registry.TypeDigest, ControlValues: map[string]any{
				"type": "regular", "amount": 30.0, "unit": "minutes",
				"lookBackWindow": map[string]any{"amount": 5.0, "unit": "minutes"},
				"digestKey":      "{{payload.postId}}",
			}},
			{StepID: "inbox", Name: "Inbox", Type: registry.TypeInApp, ControlValues: map[string]any{
				"subject": "{{ steps.collect.eventCount }} new comments on {{ payload.postTitle }}",
				"body":    `{% for e in steps.collect.events limit: 3 %}{{ e.payload.commentAuthor }}: {{ e.payload.comment | truncate: 40 }} ({{ e.time }}){% endfor %}`,
			}},
			{StepID: "email", Name: "Email", Type: registry.TypeEmail, ControlValues: map[string]any{
				"subject":    "{{ steps.collect.events.length }} new comments",
				"editorType": "html",
				"body":       `{% for e in steps.collect.events %}<p>{{ forloop.index }}. {{ e.payload.comment }}</p>{% endfor %}`,
				"skip":       map[string]any{"<": []any{map[string]any{"var": "steps.collect.eventCount"}, 2.0}},
			}},
		},
	}
}

func payout() registry.Workflow {
	return registry.Workflow{
		WorkflowID:    "payout.sent",
		Name:          "Payout sent",
		Active:        true,
		Severity:      registry.SeverityHigh,
		PayloadSchema: json.RawMessage(`{"properties": {"payoutId": {"type": "string"}, "amount": {"properties": {"value": {"type": "number"}, "currency": {"type": "string"}}, "type": "object"}, "account": {"properties": {"last4": {"type": "string"}}, "type": "object"}, "labels": {"type": "object"}}, "type": "object"}`),
		Preferences:   prefs(),
		Steps: []registry.Step{
			{StepID: "fx", Name: "FX rate", Type: registry.TypeHTTPRequest, ControlValues: map[string]any{
				"method":            "GET",
				"url":               "https://fx.example/rates?to={{payload.amount.currency}}",
				"headers":           []any{map[string]any{"key": "X-Payout", "value": "{{payload.payoutId}}"}},
				"continueOnFailure": true,
			}},
			{StepID: "hold", Name: "Hold", Type: registry.TypeDelay, ControlValues: map[string]any{
				"type": "timed", "cron": "0 9 * * 1-5",
			}},
			{StepID: "once", Name: "Once", Type: registry.TypeThrottle, ControlValues: map[string]any{
				"type": "dynamic", "dynamicKey": "payload.payoutId",
			}},
			{StepID: "push", Name: "Push", Type: registry.TypePush, ControlValues: map[string]any{
				"subject": "Payout sent",
				"body":    "{{ payload.amount.value }} {{ payload.amount.currency }} to ••{{ payload.account.last4 }} at {{ steps.fx.rates.EUR }}",
			}},
			{StepID: "chat", Name: "Chat", Type: registry.TypeChat, ControlValues: map[string]any{
				"body": "Payout {{ payload.payoutId }} for {{ subscriber.email }} ({{ payload.labels.team }})",
			}},
			{StepID: "audit", Name: "Audit", Type: registry.TypeCustom, ControlValues: map[string]any{
				"custom": map[string]any{"event": "payout {{payload.payoutId}}", "n": 1.0},
			}},
		},
	}
}
