// Package active forgets Settings.Active, which dsl records as a problem at
// the Define call instead of sending Novu's surprising default.
package active

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Name string `json:"name"`
}

var Forgotten = dsl.Define[Payload]("forgotten", dsl.Settings{Name: "Forgotten"},
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi {{payload.name}}"}),
)

var ZeroValue dsl.Workflow[Payload]
