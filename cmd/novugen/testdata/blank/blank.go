// Package blank declares workflows the generator could never read: one
// assigned to _, one kept in a slice, one in an interface variable. Each is
// an error at its declaration (the generator would otherwise skip them
// without a word), printed with the findings of the workflow it can read.
package blank

import "github.com/novugen/novugen/dsl"

type BuildPayload struct {
	Branch string `json:"branch"`
}

var on = dsl.Settings{Name: "x", Active: dsl.Active}

var _ = dsl.Define[BuildPayload]("build-failed", on,
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{ payload.nope }}"}),
)

var all = []dsl.Declaration{
	dsl.Define[BuildPayload]("build-passed", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "ok"})),
}

var Legacy dsl.Declaration = dsl.Define[BuildPayload]("legacy", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "ok"}))

var (
	Deployed = dsl.Define[BuildPayload]("deployed", on,
		dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.brnch}}"}),
	)
	_ = Deployed // only mentions it: no error
)

var _ = all
