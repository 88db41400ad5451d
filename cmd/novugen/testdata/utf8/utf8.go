// Package utf8 declares text that is not UTF-8, as a Go string literal can
// hold: encoding/json would send each bad byte as U+FFFD, so each one is an
// error at the place it was written, naming the workflow, step and field.
package utf8

import "github.com/novugen/novugen/dsl"

type Payload struct {
	OrderID string `json:"orderId"`
}

var Mangled = dsl.Define[Payload]("mangled", dsl.Settings{
	Name:        "Order\xff\xfe shipped",
	Description: "caf\xc3",
	Tags:        []string{"ok", "or\xffders"},
	Active:      dsl.Active,
},
	dsl.InApp("notice", "Not\xe2\x82ice", dsl.InAppControls{
		Subject: "Order {{ payload.orderId }} \xff",
		Body:    "Body",
		Data:    map[string]any{"k\xfe": "v", "list": []any{"ok", "b\xff"}},
	}),
)
