// Package valid declares two workflows across two files, in no particular
// order: the generator must sort them by workflowId.
package valid

import "github.com/novugen/novugen/dsl"

// OrderShippedPayload is the payload of order-shipped.
type OrderShippedPayload struct {
	OrderID  string `json:"orderId"`
	Carrier  string `json:"carrier,omitempty"`
	Quantity int    `json:"quantity"`
}

var OrderShipped = dsl.Define[OrderShippedPayload]("order-shipped", dsl.Settings{
	Name:        "Order shipped",
	Description: "Tells the buyer their order is on its way.",
	Tags:        []string{"orders"},
	Active:      dsl.Active,
	Severity:    dsl.SeverityMedium,
},
	dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Order {{payload.orderId}} has shipped"}),
	dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 2, Unit: dsl.Hours}),
	dsl.Email("email", "Email", dsl.EmailControls{
		Subject: "Your order {{payload.orderId}} has shipped",
		Body:    "<p>{{payload.quantity}} items via {{payload.carrier}}</p>",
	}),
)
