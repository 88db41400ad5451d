package dsl_test

// This file keeps README.md's "Declaring a workflow" snippet honest: the
// Example below holds it verbatim (indented one tab, between the README
// markers), so it must compile against the real API, build without
// Problems and pass the generator's content checks; and
// TestREADMEDeclaringAWorkflowIsExampleReadme fails when the README's text
// and the Example's drift apart, in either direction.

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/validate"
	"github.com/novugen/novugen/payloadschema"
)

// The README's workflow: an Inbox notice, a two-hour wait and an email that
// pickup orders skip. It declares without Problems and passes every check the
// generator makes.
func Example_readme() {
	// README:begin
	// OrderItem is one line of the order.
	type OrderItem struct {
		Name     string `json:"name"`
		Quantity int    `json:"quantity"`
	}

	// OrderShippedPayload is what the fulfilment service sends. Fields without
	// omitempty are required in the payload schema.
	type OrderShippedPayload struct {
		OrderID        string      `json:"orderId"`
		DeliveryMethod string      `json:"deliveryMethod"` // "courier" or "pickup"
		Items          []OrderItem `json:"items"`
		GiftMessage    string      `json:"giftMessage,omitempty"`
	}

	var OrderShipped = dsl.Define[OrderShippedPayload]("order-shipped", dsl.Settings{
		Name:            "Order shipped",
		Tags:            []string{"orders"},
		Active:          dsl.Active, // always explicit: Novu's and the SDKs' defaults disagree
		Severity:        dsl.SeverityMedium,
		ValidatePayload: true,
		Preferences: dsl.Preferences{
			Workflow: dsl.ChannelPreferences{SMS: dsl.Off, Chat: dsl.Off, Push: dsl.Off},
		},
	},
		dsl.InApp("shipped", "Shipped notice", dsl.InAppControls{
			Subject: "Order {{ payload.orderId }} has shipped",
			Body:    "{% for item in payload.items %}{{ item.quantity }} × {{ item.name }} {% endfor %}",
		}),
		dsl.Delay("wait-for-carrier", "Wait for the carrier scan", dsl.DelayControls{Amount: 2, Unit: dsl.Hours}),
		dsl.Email("details", "Shipping details", dsl.EmailControls{
			Subject: "Your order {{ payload.orderId }} is on its way",
			Body:    "<p>Hi {{ subscriber.firstName }}, ...</p>",
			Skip:    dsl.Eq(dsl.Var("payload.deliveryMethod"), "pickup"),
		}),
	)
	// README:end

	def := OrderShipped.Definition()
	fmt.Println(def.WorkflowID, def.Active, def.Severity, len(OrderShipped.Problems()), "problems")
	for _, s := range def.Steps {
		fmt.Println(s.StepID, s.Type, jsonText(s.ControlValues))
	}
	fmt.Println("generator findings:", generatorFindings(OrderShipped))
	// Output:
	// order-shipped true medium 0 problems
	// shipped in_app {"body":"{% for item in payload.items %}{{ item.quantity }} × {{ item.name }} {% endfor %}","subject":"Order {{ payload.orderId }} has shipped"}
	// wait-for-carrier delay {"amount":2,"type":"regular","unit":"hours"}
	// details email {"body":"<p>Hi {{ subscriber.firstName }}, ...</p>","editorType":"html","skip":{"==":[{"var":"payload.deliveryMethod"},"pickup"]},"subject":"Your order {{ payload.orderId }} is on its way"}
	// generator findings: []
}

// generatorFindings runs the checks go generate runs on a declaration: it
// builds the payload schema from the Go type, as the generator's probe does,
// so that {{ payload.* }} and loop variables are checked against it, then
// validates the definition.
func generatorFindings(d dsl.Declaration) []string {
	schema, err := payloadschema.Generate(d.PayloadType(), payloadschema.Options{Strict: d.StrictPayload()})
	if err != nil {
		return []string{err.Error()}
	}
	def := d.Definition()
	def.PayloadSchema = schema.JSON
	out := []string{}
	for _, f := range validate.Definition(def) {
		out = append(out, f.Error())
	}
	return out
}

// TestREADMEDeclaringAWorkflowIsExampleReadme compares the first go block of
// README.md's "Declaring a workflow" section with the code between the
// README markers of Example_readme, so neither can change alone.
func TestREADMEDeclaringAWorkflowIsExampleReadme(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := readmeGoBlock(string(readme), "## Declaring a workflow")
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	src, err := os.ReadFile("readme_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	got, err := exampleRegion(string(src))
	if err != nil {
		t.Fatalf("readme_example_test.go: %v", err)
	}
	if diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("README.md's \"Declaring a workflow\" snippet and Example_readme differ (-README +Example); copy the README's snippet into the Example, one tab in, and fix it until the Example passes:\n%s", diff)
	}
}

// readmeGoBlock returns the body of the first ```go block after the heading.
func readmeGoBlock(readme, heading string) (string, error) {
	_, section, ok := strings.Cut(readme, "\n"+heading+"\n")
	if !ok {
		return "", fmt.Errorf("no heading %q", heading)
	}
	_, block, ok := strings.Cut(section, "\n```go\n")
	if !ok {
		return "", fmt.Errorf("no ```go block after %q", heading)
	}
	block, _, ok = strings.Cut(block, "\n```\n")
	if !ok {
		return "", fmt.Errorf("the ```go block after %q is not closed", heading)
	}
	return block + "\n", nil
}

// exampleRegion returns the lines between the README markers of this file,
// one tab less indented: the README shows them at file level.
func exampleRegion(src string) (string, error) {
	_, region, ok := strings.Cut(src, "\t// README:begin\n")
	if !ok {
		return "", fmt.Errorf("no README:begin marker")
	}
	region, _, ok = strings.Cut(region, "\t// README:end\n")
	if !ok {
		return "", fmt.Errorf("no README:end marker")
	}
	var b bytes.Buffer
	for line := range strings.Lines(region) {
		b.WriteString(strings.TrimPrefix(line, "\t"))
	}
	return b.String(), nil
}
