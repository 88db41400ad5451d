// Package unexported declares a workflow in an unexported variable next to
// exported workflows with mistakes of their own: the variable is reported,
// and its own mistakes and everyone else's still print in the same run.
package unexported

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Name string `json:"name"`
}

var badDelay = dsl.Define[Payload]("bad-delay", dsl.Settings{Name: "Bad delay", Active: dsl.Active},
	dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 1}),
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi {{payload.nme}}"}),
)

// Mentioning a workflow declared elsewhere in _ declares nothing: no error.
var _ = badDelay

var Shipped = dsl.Define[Payload]("shipped", dsl.Settings{Name: "Shipped", Active: dsl.Active},
	dsl.Email("email", "Email", dsl.EmailControls{Body: "<p>{{payload.nope}}</p>"}),
)

var Paused = dsl.Define[Payload]("paused", dsl.Settings{Name: "Paused"},
	dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "{{subscriber.nickname}}"}),
)
