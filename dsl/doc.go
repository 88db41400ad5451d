// Package dsl declares Novu notification workflows as typed Go values.
//
// A workflow is a Workflow[P], where P is the struct a trigger sends as its
// payload: its fields and json tags are the payload contract, from which the
// generator (cmd/novugen) builds the workflow's payload JSON Schema. Define
// takes the workflowId, the Settings and the ordered steps; each step
// function (InApp, Email, SMS, Push, Chat, Delay, Digest, Throttle, Custom,
// HTTPRequest) takes a stable stepId, a name and typed control values:
//
//	type OrderShippedPayload struct {
//		OrderID        string `json:"orderId"`
//		DeliveryMethod string `json:"deliveryMethod"` // "courier" or "pickup"
//	}
//
//	var OrderShipped = dsl.Define[OrderShippedPayload]("order-shipped", dsl.Settings{
//		Name:            "Order shipped",
//		Tags:            []string{"orders"},
//		Active:          dsl.Active,
//		Severity:        dsl.SeverityMedium,
//		ValidatePayload: true,
//		Preferences: dsl.Preferences{
//			Workflow: dsl.ChannelPreferences{SMS: dsl.Off, Chat: dsl.Off, Push: dsl.Off},
//		},
//	},
//		dsl.InApp("notice", "Notice", dsl.InAppControls{
//			Body: "Order {{payload.orderId}} is on its way.",
//		}),
//		dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 2, Unit: dsl.Hours}),
//		dsl.Email("email", "Email", dsl.EmailControls{
//			Subject: "Order {{payload.orderId}} shipped",
//			Body:    "<p>Your order {{payload.orderId}} has shipped.</p>",
//			Skip:    dsl.Eq(dsl.Var("payload.deliveryMethod"), "pickup"),
//		}),
//	)
//
// A control left at its zero value is not sent, so Novu's default applies.
// Where Novu's default would surprise, dsl sends a value: every preference
// channel, the email editorType ("html", see EmailControls), and the type of
// delays, digests and throttles. Skip conditions are JSONLogic built with
// Var, Eq, And and the other operators (see Cond).
//
// # Mistakes
//
// The builders never panic. Misuse that the resulting Definition could not
// show (Active left unset, a zero Step, a control value JSON cannot carry)
// is recorded with the position of the offending call and returned by
// Problems, so the generator can report every mistake at once as
// file:line errors. Content rules (id syntax, required controls, template
// variables that name no payload field) are checked on the Definition by
// internal/validate, which works the same on a registry file edited by hand.
//
// # Registry
//
// A Definition is plain data: the registry entry, defined with the
// registry file's format in package registry, the data layer that the
// engine, the validator and the HTTP client read without seeing dsl. dsl
// names those types again under their authoring names (Definition is
// registry.Workflow, Registry is registry.File, ParseRegistry is
// registry.Parse), so declarations, the generated package and the tools
// built on them can speak dsl alone.
package dsl
