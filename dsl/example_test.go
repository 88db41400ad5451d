package dsl_test

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/novugen/novugen/dsl"
)

// OrderShippedPayload is what the shop sends when it triggers the workflow.
type OrderShippedPayload struct {
	OrderID        string `json:"orderId"`
	DeliveryMethod string `json:"deliveryMethod"` // "courier" or "pickup"
}

// A workflow reads top to bottom as it runs: an Inbox notice, a two-hour
// wait, then an email that pickup orders skip.
func ExampleDefine() {
	// Settings the example leaves out (tags, severity, preferences) are
	// shown in README.md's workflow.
	orderShipped := dsl.Define[OrderShippedPayload]("order-shipped", dsl.Settings{Name: "Order shipped", Active: dsl.Active},
		dsl.InApp("notice", "Notice", dsl.InAppControls{
			Body: "Order {{payload.orderId}} is on its way.",
		}),
		dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 2, Unit: dsl.Hours}),
		dsl.Email("email", "Email", dsl.EmailControls{
			Subject: "Order {{payload.orderId}} shipped",
			Body:    "<p>Your order {{payload.orderId}} has shipped.</p>",
			Skip:    dsl.Eq(dsl.Var("payload.deliveryMethod"), "pickup"),
		}),
	)

	def := orderShipped.Definition()
	fmt.Println(def.WorkflowID, def.Active, len(orderShipped.Problems()), "problems")
	for _, s := range def.Steps {
		fmt.Println(s.StepID, s.Type, jsonText(s.ControlValues))
	}
	// Output:
	// order-shipped true 0 problems
	// notice in_app {"body":"Order {{payload.orderId}} is on its way."}
	// wait delay {"amount":2,"type":"regular","unit":"hours"}
	// email email {"body":"<p>Your order {{payload.orderId}} has shipped.</p>","editorType":"html","skip":{"==":[{"var":"payload.deliveryMethod"},"pickup"]},"subject":"Order {{payload.orderId}} shipped"}
}

// Mistakes are recorded where they were made and reported together; the
// builders never panic.
func ExampleWorkflow_Problems() {
	w := dsl.Define[OrderShippedPayload]("order-shipped", dsl.Settings{Name: "Order shipped"},
		dsl.InApp("notice", "Notice", dsl.InAppControls{
			Body: "Order {{payload.orderId}}",
			Data: map[string]any{"notify": func() {}},
		}),
	)
	for _, p := range w.Problems() {
		fmt.Printf("%s (step %q): %s\n", p.Pos.Func, p.Step, p.Message)
	}
	// Output:
	// Define (step ""): Settings.Active is not set: say dsl.Active or dsl.Inactive (Novu stores active: true when it is omitted)
	// InApp (step "notice"): data.notify: func() is not supported: use string, bool, a number, a slice or map[string]any
}

// Skip conditions are JSONLogic; the step is skipped when they hold.
func ExampleAnd() {
	skip := dsl.And(
		dsl.Eq(dsl.Var("payload.tier"), "pro"),
		dsl.Or(dsl.Gt(dsl.Var("payload.amount"), 4), dsl.Not(dsl.Var("subscriber.email"))),
		dsl.In(dsl.Var("payload.country"), []string{"DE", "AT"}),
	)
	fmt.Println(skip)
	// Output:
	// {"and":[{"==":[{"var":"payload.tier"},"pro"]},{"or":[{">":[{"var":"payload.amount"},4]},{"!":[{"var":"subscriber.email"}]}]},{"in":[{"var":"payload.country"},["DE","AT"]]}]}
}

// An email's layout has three states, as in Novu.
func ExampleLayoutID() {
	for _, l := range []dsl.Layout{{}, dsl.NoLayout, dsl.LayoutID("brand")} {
		s := dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "Hi", Layout: l})
		def := dsl.Define[struct{}]("wf", dsl.Settings{Active: dsl.Active}, s).Definition()
		fmt.Println(jsonText(def.Steps[0].ControlValues))
	}
	// Output:
	// {"editorType":"html","subject":"Hi"}
	// {"editorType":"html","layoutId":null,"subject":"Hi"}
	// {"editorType":"html","layoutId":"brand","subject":"Hi"}
}

// A registry edited by hand must not lose a misspelt setting silently.
func ExampleParseRegistry() {
	_, err := dsl.ParseRegistry([]byte(`{"//": "", "workflows": [{"workflowId": "order-shipped", "actve": true}]}`))
	fmt.Println(err)
	// Output:
	// registry: workflows[0] ("order-shipped"): json: unknown field "actve"
}

func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err.Error()
	}
	return string(bytes.TrimSpace(buf.Bytes()))
}
