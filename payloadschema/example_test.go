package payloadschema_test

import (
	"fmt"
	"reflect"
	"time"

	"github.com/novugen/novugen/payloadschema"
)

func ExampleGenerate() {
	type Shipment struct {
		Carrier string  `json:"carrier" jsonschema:"enum=ups,enum=dhl"`
		Weight  float64 `json:"weight" jsonschema:"minimum=0"`
	}
	type ShippedPayload struct {
		OrderID   string     `json:"orderId"`
		ShippedAt time.Time  `json:"shippedAt"`
		Shipment  Shipment   `json:"shipment"`
		Tracking  *string    `json:"tracking"` // no omitempty: warned about
		Note      string     `json:"note,omitempty"`
		Internal  chan error `json:"-"`
	}

	s, err := payloadschema.Generate(reflect.TypeFor[ShippedPayload](), payloadschema.Options{Strict: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(s.JSON))
	for _, w := range s.Warnings {
		fmt.Println("warning:", w)
	}

	type Node struct {
		Children []Node `json:"children"`
	}
	_, err = payloadschema.Generate(reflect.TypeFor[Node](), payloadschema.Options{})
	fmt.Println("error:", err)
	// Output:
	// {
	//   "properties": {
	//     "orderId": {
	//       "type": "string"
	//     },
	//     "shippedAt": {
	//       "type": "string",
	//       "format": "date-time"
	//     },
	//     "shipment": {
	//       "properties": {
	//         "carrier": {
	//           "type": "string",
	//           "enum": [
	//             "ups",
	//             "dhl"
	//           ]
	//         },
	//         "weight": {
	//           "type": "number",
	//           "minimum": 0
	//         }
	//       },
	//       "additionalProperties": false,
	//       "type": "object",
	//       "required": [
	//         "carrier",
	//         "weight"
	//       ]
	//     },
	//     "tracking": {
	//       "type": "string"
	//     },
	//     "note": {
	//       "type": "string"
	//     }
	//   },
	//   "additionalProperties": false,
	//   "type": "object",
	//   "required": [
	//     "orderId",
	//     "shippedAt",
	//     "shipment",
	//     "tracking"
	//   ]
	// }
	// warning: ShippedPayload.Tracking: pointer without omitempty is required and may not be null, but encoding/json sends null for a nil pointer; add omitempty (or omitzero), or `jsonschema:"nullable"`
	// error: Node.Children[]: recursive type payloadschema_test.Node: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID
}
