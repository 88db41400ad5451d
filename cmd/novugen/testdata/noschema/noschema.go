// Package noschema declares a workflow that sends no payload schema
// (dsl.NoSchema), as one imported from Novu's dashboard is: its entry has
// payloadSchema null, and its templates are checked against the payload
// type all the same, beside a workflow that sends its schema.
package noschema

import "github.com/novugen/novugen/dsl"

// DashboardPayload was inferred from the templates.
type DashboardPayload struct {
	Orders []DashboardOrder `json:"orders,omitempty"`
	Tier   string           `json:"tier,omitempty"`
}

type DashboardOrder struct {
	ID string `json:"id,omitempty"`
}

var Dashboard = dsl.Define[DashboardPayload]("dashboard", dsl.Settings{Name: "Dashboard", Active: dsl.Active, ValidatePayload: true, PayloadSchema: dsl.NoSchema},
	dsl.InApp("hi", "Hi", dsl.InAppControls{
		Body: "{% for o in payload.orders %}{{ o.id }}{% endfor %} ({{ payload.orders.size }})",
		Skip: dsl.Eq(dsl.Var("payload.tier"), "free"),
	}),
)

var Typed = dsl.Define[DashboardPayload]("typed", dsl.Settings{Name: "Typed", Active: dsl.Active},
	dsl.InApp("hi", "Hi", dsl.InAppControls{Body: "{{ payload.tier }}"}),
)
