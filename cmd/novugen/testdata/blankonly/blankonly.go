// Package blankonly declares its only workflow in _: the error says so,
// rather than that the package declares no workflows.
package blankonly

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Name string `json:"name"`
}

var _ = dsl.Define[Payload]("1st-alert", dsl.Settings{Name: "x", Active: dsl.Active},
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.nope}}"}),
)
