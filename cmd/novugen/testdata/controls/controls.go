// Package controls leaves out every required control and puts others out
// of range; each finding points at the control's key when it was written and
// at the step call when it was not.
package controls

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Name string `json:"name"`
}

var Missing = dsl.Define[Payload]("missing", dsl.Settings{Name: "Missing", Active: dsl.Active},
	dsl.Email("email", "Email", dsl.EmailControls{Body: "<p>hi</p>"}),
	dsl.Delay("delay", "Delay", dsl.DelayControls{}),
	dsl.Digest("digest", "Digest", dsl.DigestControls{}),
	dsl.Throttle("throttle", "Throttle", dsl.ThrottleControls{}),
	dsl.HTTPRequest("hook", "Hook", dsl.HTTPRequestControls{}),
)

var OutOfRange = dsl.Define[Payload]("out-of-range", dsl.Settings{Name: "Out of range", Active: dsl.Active},
	dsl.Delay("delay", "Delay", dsl.DelayControls{Amount: 0, Unit: dsl.Hours}),
	dsl.Digest("digest", "Digest", dsl.DigestControls{
		Amount:         -1,
		Unit:           dsl.Hours,
		LookBackWindow: dsl.Window{Amount: 0, Unit: dsl.Minutes},
	}),
	dsl.Throttle("throttle", "Throttle", dsl.ThrottleControls{
		Type:      dsl.ThrottleFixed,
		Amount:    1,
		Unit:      "seconds",
		Threshold: -2,
	}),
	dsl.HTTPRequest("hook", "Hook", dsl.HTTPRequestControls{Method: "FETCH", URL: "not a url"}),
)

var BadKinds = dsl.Define[Payload]("bad-kinds", dsl.Settings{Name: "Bad kinds", Active: dsl.Active},
	dsl.Throttle("throttle", "Throttle", dsl.ThrottleControls{Type: "bogus", Amount: 1, Unit: dsl.Hours}),
	dsl.Delay("delay", "Delay", dsl.DelayControls{Type: dsl.DelayTimed}),
	dsl.Digest("digest", "Digest", dsl.DigestControls{Type: dsl.DigestTimed}),
	dsl.Throttle("window", "Window", dsl.ThrottleControls{DynamicKey: "payload.nam"}),
)

var BadLinks = dsl.Define[Payload]("bad-links", dsl.Settings{Name: "Bad links", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{
		Body:     "Hi {{payload.name}}",
		Avatar:   "not-a-url",
		Redirect: dsl.Redirect{URL: "javascript:alert(1)"},
	}),
	dsl.HTTPRequest("hook", "Hook", dsl.HTTPRequestControls{Method: "POST", URL: "https://hooks.example/{{payload.name}}", Body: "{not json"}),
)
