// Package layoutsvalid declares a layout two workflows use: it is written
// into the registry once, and each email step names it by its layoutId.
// Two more come from one helper, one DefineLayout call: both are kept.
package layoutsvalid

import "github.com/novugen/novugen/dsl"

type P struct {
	Name string `json:"name"`
}

var Brand = dsl.DefineLayout("brand", dsl.LayoutSettings{
	Name: "Brand",
	Body: "<html><body><p>Hi {{ subscriber.firstName }}</p>{{ content }}</body></html>",
})

func plain(id string) dsl.Layout {
	return dsl.DefineLayout(id, dsl.LayoutSettings{Name: "Plain " + id, Body: "<html><body>{{ content }}</body></html>"})
}

var Welcome = dsl.Define[P]("welcome", dsl.Settings{Name: "Welcome", Active: dsl.Active},
	dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "Welcome", Body: "<p>{{ payload.name }}</p>", Layout: Brand}),
)

var Goodbye = dsl.Define[P]("goodbye", dsl.Settings{Name: "Goodbye", Active: dsl.Active},
	dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "Goodbye", Body: "<p>{{ payload.name }}</p>", Layout: Brand}),
	dsl.Email("a", "A", dsl.EmailControls{Subject: "A", Body: "<p>{{ payload.name }}</p>", Layout: plain("plain-a")}),
	dsl.Email("b", "B", dsl.EmailControls{Subject: "B", Body: "<p>{{ payload.name }}</p>", Layout: plain("plain-b")}),
)
