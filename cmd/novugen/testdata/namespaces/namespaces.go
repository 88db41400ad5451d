// Package namespaces refers to variables outside payload, steps, subscriber
// and workflow where Novu would not provide them: a translation in a
// workflow without translations, a context field that is neither id nor
// data, environment variables that are not declared (one misspelt), an
// environment variable declared as a variable, and one Novu would refuse.
package namespaces

import "github.com/novugen/novugen/dsl"

const BaseURL dsl.EnvVar = "BASE_URL"

const Bad dsl.EnvVar = "BASE-URL"

var Region = dsl.EnvVar("REGION")

type Payload struct {
	OrderID string `json:"orderId"`
}

var Order = dsl.Define[Payload]("order", dsl.Settings{Name: "Order", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{
		Subject: "{{t.order.subject}}",
		Body:    "{{context.tenant.name}} {{context.tenant.data.plan}} {{context}}",
	}),
	dsl.SMS("sms", "SMS", dsl.SMSControls{
		Body: "{{env.BASE_UR}}/o/{{payload.orderId}} {{env.SUPPORT_EMAIL}} " + BaseURL.Ref(),
	}),
)
