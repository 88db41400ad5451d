// Package payload declares payload types that cannot become a JSON schema:
// each error points at the Define call and names the type and the field.
package payload

import "github.com/novugen/novugen/dsl"

type Node struct {
	Name     string `json:"name"`
	Children []Node `json:"children"`
}

type Recursive struct {
	Root Node `json:"root"`
}

type WithChan struct {
	Events chan string `json:"events"`
}

type WithFunc struct {
	Callback func() `json:"callback"`
}

type WithComplex struct {
	Value complex128 `json:"value"`
}

var on = dsl.Settings{Name: "x", Active: dsl.Active}

var Tree = dsl.Define[Recursive]("tree", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.root.name}}"}))

var Stream = dsl.Define[WithChan]("stream", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Hook = dsl.Define[WithFunc]("hook", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Signal = dsl.Define[WithComplex]("signal", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))
