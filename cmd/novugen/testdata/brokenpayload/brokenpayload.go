// Package brokenpayload declares a workflow whose payload type cannot become
// a schema: its template mistakes are reported in the same run, payload
// paths included as far as the rest of the type shows them.
package brokenpayload

import (
	"net/url"

	"github.com/novugen/novugen/dsl"
)

type Payload struct {
	Name  string   `json:"name"`
	Link  url.URL  `json:"link"`
	Hooks chan int `json:"hooks"`
	Tags  []string `json:"tags"`
}

var Broken = dsl.Define[Payload]("broken", dsl.Settings{Name: "Broken", Active: dsl.Active},
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.nope}} {{payload.name}} {{payload.link.Host}} {{payload.hooks}} {{subscriber.nme}} {{steps.later.events}}"}),
	dsl.Digest("later", "Later", dsl.DigestControls{Amount: 1, Unit: dsl.Hours}),
)
