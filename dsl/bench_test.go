package dsl_test

import (
	"testing"

	"github.com/novugen/novugen/dsl"
)

// BenchmarkDefine measures declaring a three-step workflow, which every
// program importing a workflows package pays at init.
func BenchmarkDefine(b *testing.B) {
	for b.Loop() {
		w := dsl.Define[orderPayload]("order-shipped", dsl.Settings{Name: "Order shipped", Active: dsl.Active},
			dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Order {{payload.orderId}}"}),
			dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 2, Unit: dsl.Hours}),
			dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "s", Skip: dsl.Eq(dsl.Var("payload.orderId"), "x")}),
		)
		if len(w.Problems()) != 0 {
			b.Fatal(w.Problems())
		}
	}
}
