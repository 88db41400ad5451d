// Package ownertag declares tags that look like the ownership tags
// cmd/apply writes: each is reported at its workflow's declaration, naming
// the tag.
package ownertag

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Name string `json:"name"`
}

func sms() dsl.Step { return dsl.SMS("a", "SMS", dsl.SMSControls{Body: "hi"}) }

var CopiedFromTheDashboard = dsl.Define[Payload]("copied", dsl.Settings{
	Name: "Copied", Active: dsl.Active, Tags: []string{"orders", "novugen:5f1d2c3b4a69"},
}, sms())

var Oldest = dsl.Define[Payload]("oldest", dsl.Settings{Name: "Oldest", Active: dsl.Active, Tags: []string{"novugen"}}, sms())

var LookAlike = dsl.Define[Payload]("look-alike", dsl.Settings{Name: "Fine", Active: dsl.Active, Tags: []string{"novugen-team"}}, sms())
