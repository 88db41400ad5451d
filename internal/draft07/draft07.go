// Package draft07 compiles a payload schema the way Novu's Ajv reads it:
// draft-07 by default, formats asserted. Package notify checks a payload
// with it before sending, and the tests of payloadschema and of the example
// workflows share it, so "Novu would accept this payload" means the same
// thing in all three.
package draft07

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Compile compiles schema, a JSON document, as a draft-07 schema with format
// assertion on.
func Compile(schema []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("draft07: decode schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	const loc = "payload.json"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("draft07: %w", err)
	}
	s, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("draft07: compile: %w", err)
	}
	return s, nil
}

// Fault is one reason a payload does not match its schema.
type Fault struct {
	// Location is the JSON path to the fault in the payload, one key or
	// index a segment; for a missing required key it ends with that key.
	Location []string
	Message  string
}

// Path names the fault's place as templates do: payload.shipment.carrier.
func (f Fault) Path() string {
	if len(f.Location) == 0 {
		return "payload"
	}
	return "payload." + strings.Join(f.Location, ".")
}

var printer = message.NewPrinter(language.English)

// Faults lists the faults of a validation error that Validate returned,
// one per field, in the schema's order; nil when err is not a
// *jsonschema.ValidationError.
func Faults(err error) []Fault {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []Fault
	leaves(ve, &out)
	return out
}

func leaves(ve *jsonschema.ValidationError, out *[]Fault) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			leaves(c, out)
		}
		return
	}
	if req, ok := ve.ErrorKind.(*kind.Required); ok {
		for _, missing := range req.Missing {
			*out = append(*out, Fault{Location: append(slices.Clone(ve.InstanceLocation), missing), Message: "missing (required)"})
		}
		return
	}
	*out = append(*out, Fault{Location: slices.Clone(ve.InstanceLocation), Message: ve.ErrorKind.LocalizedString(printer)})
}
