// Package sameline declares two workflows in one var spec on one line; each
// finding must point at the call of its own variable, not the first on the
// line.
package sameline

import "github.com/novugen/novugen/dsl"

type P struct {
	Name string `json:"name"`
}

var B, C = dsl.Define[P]("b", dsl.Settings{Name: "B", Active: dsl.Active}, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.nam}}"})), dsl.Define[P]("c", dsl.Settings{Active: dsl.Active}, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.nme}}"}))
