// Package payload declares payload types that cannot become a JSON schema:
// each error points at the field at fault (at the Define call when the
// payload type itself is at fault), names the type and the field, and a type
// with several faults has each reported. A free-form field (Base.Extra, any)
// is no fault; an interface with methods is.
package payload

import (
	"fmt"

	"github.com/novugen/novugen/dsl"
)

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

type Base struct {
	Extra any `json:"extra"`
}

type Several struct {
	Data   fmt.Stringer `json:"data"`
	Name   string       `json:"name"`
	Events *chan int    `json:"events"`
	*Base
	Items []struct {
		Lookup map[int]string `json:"lookup"`
	} `json:"items"`
}

// Page's name holds dots and brackets once instantiated.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  chan T `json:"next"`
}

var on = dsl.Settings{Name: "x", Active: dsl.Active}

var Tree = dsl.Define[Recursive]("tree", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "{{payload.root.name}}"}))

var Stream = dsl.Define[WithChan]("stream", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Hook = dsl.Define[WithFunc]("hook", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Signal = dsl.Define[WithComplex]("signal", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Many = dsl.Define[Several]("many", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Scalar = dsl.Define[string]("scalar", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Pointer = dsl.Define[*WithComplex]("pointer", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))

var Paged = dsl.Define[Page[WithFunc]]("paged", on, dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "hi"}))
