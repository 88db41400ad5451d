// Package draft07 compiles a payload schema the way Novu's Ajv reads it:
// draft-07 by default, formats asserted. Package notify checks a payload
// with it before sending, and the tests of payloadschema and of the example
// workflows share it, so "Novu would accept this payload" means the same
// thing in all three.
package draft07

import (
	"bytes"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
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
