// Package unexported declares a workflow in a variable the probe cannot
// reach from another package.
package unexported

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Name string `json:"name"`
}

var orderShipped = dsl.Define[Payload]("order-shipped", dsl.Settings{Name: "x", Active: dsl.Active},
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}),
)

var _ = orderShipped
