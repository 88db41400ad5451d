// Package ids exercises every workflowId and stepId rule: syntax, ids Novu
// would misread, duplicates (a workflowId declared in a.go and b.go), the
// step limit and an empty workflow.
package ids

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Name string `json:"name"`
}

var on = dsl.Settings{Name: "x", Active: dsl.Active}

func sms(id string) dsl.Step { return dsl.SMS(id, "SMS "+id, dsl.SMSControls{Body: "hi"}) }

var BadSyntax = dsl.Define[Payload]("bad id!", on, sms("a"))

var HexLike = dsl.Define[Payload]("0123456789abcdef01234567", on, sms("a"))

var WorkflowMarker = dsl.Define[Payload]("orders_wf_shipped", on, sms("a"))

var StepMarkers = dsl.Define[Payload]("step-markers", on,
	dsl.SMS("x_st_y", "SMS", dsl.SMSControls{Body: "hi"}),
	dsl.SMS("x_env_y", "SMS", dsl.SMSControls{Body: "hi"}),
	dsl.SMS("-dash", "SMS", dsl.SMSControls{Body: "hi"}),
)

var DuplicateSteps = dsl.Define[Payload]("duplicate-steps", on,
	dsl.SMS("same", "First", dsl.SMSControls{Body: "hi"}),
	dsl.SMS("same", "Second", dsl.SMSControls{Body: "hi"}),
)

var Empty = dsl.Define[Payload]("empty", on)

var TooMany = dsl.Define[Payload]("too-many", on,
	sms("s1"), sms("s2"), sms("s3"), sms("s4"), sms("s5"), sms("s6"), sms("s7"),
	sms("s8"), sms("s9"), sms("s10"), sms("s11"), sms("s12"), sms("s13"), sms("s14"),
	sms("s15"), sms("s16"), sms("s17"), sms("s18"), sms("s19"), sms("s20"), sms("s21"),
)

var Shipped = dsl.Define[Payload]("shipped", on, sms("a"))
