// Package examples declares example payloads the generated payload schema
// refuses, each reported at the part of its literal that is wrong.
package examples

import "github.com/novugen/novugen/dsl"

// Payload is a delivery.
type Payload struct {
	Method string `json:"method" jsonschema:"enum=courier,enum=pickup"`
	Email  string `json:"email,omitempty" jsonschema:"format=email"`
	Items  []Item `json:"items"`
}

// Item is a line of the delivery.
type Item struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity" jsonschema:"minimum=1"`
}

var Delivery = dsl.Define[Payload]("delivery", dsl.Settings{Name: "Delivery", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "{{ payload.method }}"}),
).WithExamples(
	dsl.Example[Payload]{Name: "good", Payload: Payload{Method: "courier", Items: []Item{{SKU: "A", Quantity: 1}}}},
	dsl.Example[Payload]{Name: "no items", Payload: Payload{Method: "pickup"}},
	dsl.Example[Payload]{Name: "drone", Payload: Payload{
		Method: "drone",
		Email:  "not an address",
		Items: []Item{
			{SKU: "A", Quantity: 1},
			{SKU: "B", Quantity: 0},
		},
	}},
	dsl.Example[Payload]{Name: "good", Payload: Payload{Method: "pickup", Items: []Item{}}},
)
