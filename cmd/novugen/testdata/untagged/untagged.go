// Package untagged declares payload fields without json tags. Each is one
// mistake and gets one message, at the field: a template that names the
// field by the name the message suggests, or by its Go name, is not blamed
// for it too. A real template mistake beside them is still reported.
package untagged

import "github.com/novugen/novugen/dsl"

type Item struct {
	SKU      string `json:"sku"`
	Quantity int
}

type Payload struct {
	Code  string
	Items []Item `json:"items"`
}

var Failed = dsl.Define[Payload]("payment-failed", dsl.Settings{Name: "Payment failed", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{
		Subject: "Error {{payload.code}} ({{ payload.Code }})",
		Body:    "{% for item in payload.items %}{{ item.quantity }} × {{ item.sku }} {{ item.skuu }}{% endfor %}",
	}),
)
