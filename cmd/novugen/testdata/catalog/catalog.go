// Package catalog declares workflows with every kind of step, skip
// conditions and payload fields, for the Markdown catalog.
package catalog

import (
	"github.com/novugen/novugen/cmd/novugen/testdata/catalog/parts"
	"github.com/novugen/novugen/dsl"
)

// Meta is embedded: its fields are the payload's own.
type Meta struct {
	// Tenant owns the order.
	Tenant string `json:"tenant"`
}

// Payload is the order of a <b>catalog</b> test.
type Payload struct {
	Meta
	// Kind is the kind of order.
	Kind     string         `json:"kind" jsonschema:"enum=retail,enum=b2b"`
	Email    string         `json:"email,omitempty" jsonschema:"format=email"`
	Address  *parts.Address `json:"address,omitempty"`
	Lines    []Line         `json:"lines"`
	Labels   []string       `json:"labels,omitempty"`
	Extra    map[string]any `json:"extra,omitempty"`
	internal string         //nolint:unused // not sent
	Skipped  string         `json:"-"`
}

// Line is an order line.
type Line struct {
	SKU string `json:"sku"` // stock keeping unit
}

var Orders = dsl.Define[Payload]("orders", dsl.Settings{
	Name:        "Orders | all *kinds*",
	Description: "Tells <everyone> about orders\nin two lines.",
	Tags:        []string{"orders", "b2b"},
	Active:      dsl.Active,
	Severity:    dsl.SeverityHigh,
},
	dsl.Throttle("calm", "Calm down", dsl.ThrottleControls{Amount: 1, Unit: dsl.Hours, Threshold: 5}),
	dsl.InApp("notice", `Say "hi"`, dsl.InAppControls{Body: "{{ payload.kind }}"}),
	dsl.Digest("batch", "Batch", dsl.DigestControls{Amount: 30, Unit: dsl.Minutes, DigestKey: "payload.tenant",
		Skip: dsl.Eq(dsl.Var("payload.kind"), "b2b")}),
	dsl.HTTPRequest("hook", "Hook", dsl.HTTPRequestControls{Method: dsl.MethodPost, URL: "https://example.com/hook"}),
	dsl.SMS("text", "Text", dsl.SMSControls{Body: "{{ payload.kind }}",
		Skip: dsl.And(dsl.Not(dsl.Var("subscriber.phone")), dsl.Or(dsl.Gt(dsl.Var("payload.lines.length"), 3), dsl.In(dsl.Var("payload.kind"), []any{"retail"})))}),
	dsl.Delay("later", "Later", dsl.DelayControls{Cron: "0 9 * * 1"}),
).WithExamples(
	dsl.Example[Payload]{Name: "retail `one`", Payload: Payload{Kind: "retail", Lines: []Line{{SKU: "A"}}}},
	dsl.Example[Payload]{Name: "b2b", Payload: Payload{Kind: "b2b", Lines: []Line{{SKU: "A"}, {SKU: "B"}, {SKU: "C"}, {SKU: "D"}}}},
)

var Empty = dsl.Define[struct{}]("empty", dsl.Settings{Name: "Empty", Active: dsl.Inactive},
	dsl.Chat("chat", "chat", dsl.ChatControls{Body: "hello"}))
