// Package warnings has a payload field encoding/json may send as null
// although the schema requires an object: a warning, not an error.
package warnings

import "github.com/novugen/novugen/dsl"

type Address struct {
	City string `json:"city"`
}

type Payload struct {
	Name    string   `json:"name"`
	Address *Address `json:"address"`
}

var Signup = dsl.Define[Payload]("signup", dsl.Settings{Name: "Signup", Active: dsl.Active},
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "Welcome {{payload.name}} from {{payload.address.city}}"}),
)
