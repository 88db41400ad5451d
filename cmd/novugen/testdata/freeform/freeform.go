// Package freeform uses everything Novu provides beyond payload, steps,
// subscriber and workflow, where it provides it, and a payload with
// free-form fields: translations in a workflow that enables them, a
// context's id and data, declared environment variables (one through
// Ref), and references below an open object and an any field, which the
// schema cannot check.
package freeform

import (
	"encoding/json"

	"github.com/novugen/novugen/dsl"
)

const (
	BaseURL      dsl.EnvVar = "BASE_URL"
	SupportEmail dsl.EnvVar = "SUPPORT_EMAIL"
)

type Payload struct {
	OrderID  string          `json:"orderId"`
	Metadata map[string]any  `json:"metadata"`
	Extra    any             `json:"extra,omitempty"`
	Raw      json.RawMessage `json:"raw,omitempty"`
}

var Order = dsl.Define[Payload]("order", dsl.Settings{Name: "Order", Active: dsl.Active, TranslationEnabled: true},
	dsl.InApp("notice", "Notice", dsl.InAppControls{
		Subject: "{{t.order.subject}}",
		Body:    "{{context.tenant.id}} {{context.tenant.data.plan}} {{payload.metadata.campaign.name}} {{payload.extra.anything[0]}}",
	}),
	dsl.Email("email", "Email", dsl.EmailControls{
		Subject: "Order {{payload.orderId}}",
		Body:    `<a href="` + BaseURL.Ref() + `/o/{{payload.orderId}}">{{t.track}}</a> {{env.SUPPORT_EMAIL}} {{payload.raw.x}}`,
	}),
)
