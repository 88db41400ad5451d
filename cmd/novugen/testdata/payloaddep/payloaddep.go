// Package payloaddep declares a workflow whose payload type lives in another
// package of the module: its unencodable fields are reported at file:line:col
// of that package's source, not at column 1.
package payloaddep

import (
	"github.com/novugen/novugen/cmd/novugen/testdata/payloaddep/types"
	"github.com/novugen/novugen/dsl"
)

var Event = dsl.Define[types.Event]("event", dsl.Settings{Name: "Event", Active: dsl.Active},
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.name}}"}))
