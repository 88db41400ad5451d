// Package templates refers to variables Novu will not have: a missing payload
// field (with a suggestion), a Go field name where the json name counts, a
// misspelt field of a loop variable and of a skip condition, an unknown
// subscriber attribute, a later digest step, and a step that is no digest.
package templates

import "github.com/novugen/novugen/dsl"

type OrderPayload struct {
	OrderID string `json:"orderId"`
	Items   []struct {
		SKU string `json:"sku"`
	} `json:"items"`
}

var Order = dsl.Define[OrderPayload]("order", dsl.Settings{Name: "Order", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{
		Subject: "Order {{payload.ordrId}}",
		Body:    "Hi {{subscriber.nickname}}, {{payload.noSuchField}} {% for i in payload.items %}{{i.sku}} {{i.skuu}}{% endfor %}",
	}),
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{steps.later.events.length}} events, {{steps.notice.events}}"}),
	dsl.Digest("later", "Later", dsl.DigestControls{
		Amount:         1,
		Unit:           dsl.Hours,
		LookBackWindow: dsl.Window{Amount: 5, Unit: dsl.Minutes},
	}),
	dsl.Email("email", "Email", dsl.EmailControls{
		Subject: "{{subscriber.firstName}}: {{steps.later.eventCount}} orders",
		Body:    "{{subscriber.data.anything}} {{payload.items[0].sku}} {{payload.items.first.skew}} {{payload.OrderID}}",
		Skip:    dsl.Not(dsl.Var("payload.orderID")),
	}),
)
