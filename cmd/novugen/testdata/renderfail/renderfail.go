// Package renderfail declares templates that pass the static checks but
// fail to render with the workflow's example, each reported at its control.
package renderfail

import "github.com/novugen/novugen/dsl"

type Payload struct {
	OrderID string   `json:"orderId"`
	Tags    []string `json:"tags"`
}

var Order = dsl.Define[Payload]("order", dsl.Settings{Name: "Order", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{
		Subject: "{{ payload.orderId | shout }}",
		Body:    "{{ payload.tags | join: ', ' }} {{ payload.tags | pluralize: 'tag' }}",
	}),
	dsl.Email("email", "Email", dsl.EmailControls{
		Subject: "Order {{ payload.orderId }}",
		Body:    "<p>{{ payload.tags | toSentence }} {{ payload.orderId | truncate: 'x' }}</p>",
		Skip:    dsl.Eq(dsl.Var("payload.orderId"), "A-2"),
	}),
).WithExamples(
	dsl.Example[Payload]{Name: "one", Payload: Payload{OrderID: "A-1", Tags: []string{"new"}}},
	dsl.Example[Payload]{Name: "two", Payload: Payload{OrderID: "A-2", Tags: []string{}}},
)
