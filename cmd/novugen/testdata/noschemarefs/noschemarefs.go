// Package noschemarefs: a workflow that sends no payload schema still has
// its templates checked against its payload type, and dsl.NoSchema with
// StrictPayload is misuse.
package noschemarefs

import "github.com/novugen/novugen/dsl"

type Payload struct {
	Orders []struct {
		ID string `json:"id,omitempty"`
	} `json:"orders,omitempty"`
}

var Dashboard = dsl.Define[Payload]("dashboard", dsl.Settings{Name: "Dashboard", Active: dsl.Active, PayloadSchema: dsl.NoSchema},
	dsl.InApp("hi", "Hi", dsl.InAppControls{
		Body: "{% for o in payload.orders %}{{ o.idd }}{% endfor %} {{ payload.total }}",
	}),
)

var Strict = dsl.Define[Payload]("strict", dsl.Settings{Name: "Strict", Active: dsl.Active, PayloadSchema: dsl.NoSchema, StrictPayload: true},
	dsl.InApp("hi", "Hi", dsl.InAppControls{Body: "x"}),
)
