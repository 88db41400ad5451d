package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/entry"
	"github.com/novugen/novugen/internal/draft07"
)

// schemaKey names a compiled payload schema: the schema depends on the
// payload type and on strictness alone, and the workflow id keeps the
// errors' wording right.
type schemaKey struct {
	workflowID string
	payload    reflect.Type
	strict     bool
	none       bool // dsl.NoSchema: nothing to check
}

type compiled struct {
	schema *jsonschema.Schema
	err    error
}

// schemas holds each workflow's compiled payload schema: building it runs
// the schema generator, which a service should pay for once, not per event.
var schemas sync.Map // schemaKey → *compiled

// PayloadError is a payload that fails its workflow's schema: nothing was
// sent. Fields names each fault, e.g. "shipment.trackingUrl: missing".
type PayloadError struct {
	Fields []string
}

func (e *PayloadError) Error() string {
	return "payload does not match the workflow's payload schema: " + strings.Join(e.Fields, "; ")
}

// checkPayload encodes payload as encoding/json does and checks the
// result against the schema novugen generates for P, with the draft-07
// rules Novu's validator applies (docs/novu-api.md §8.2); a workflow that
// sends no schema (dsl.NoSchema) is checked for an object only, as Novu
// checks it.
func checkPayload[P any](wf dsl.Workflow[P], payload P) (json.RawMessage, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encoding the payload: %w", err)
	}
	sch, err := schemaOf(wf)
	if err != nil {
		return nil, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("reading the encoded payload: %w", err)
	}
	if _, isObject := inst.(map[string]any); !isObject {
		// A nil map or pointer encodes as null; Novu's payload is an object.
		return nil, &PayloadError{Fields: []string{"payload: encodes as " + string(raw) + ", not a JSON object"}}
	}
	if sch == nil {
		// dsl.NoSchema: Novu holds no schema to refuse the payload by.
		return raw, nil
	}
	if err := sch.Validate(inst); err != nil {
		faults := draft07.Faults(err)
		if faults == nil {
			return nil, fmt.Errorf("checking the payload: %w", err)
		}
		fields := make([]string, len(faults))
		for i, f := range faults {
			fields[i] = f.Path() + ": " + f.Message
		}
		return nil, &PayloadError{Fields: fields}
	}
	return raw, nil
}

func schemaOf[P any](wf dsl.Workflow[P]) (*jsonschema.Schema, error) {
	key := schemaKey{wf.ID(), wf.PayloadType(), wf.StrictPayload(), wf.NoPayloadSchema()}
	if c, ok := schemas.Load(key); ok {
		return c.(*compiled).schema, c.(*compiled).err
	}
	c := &compiled{}
	r := entry.Of(wf)
	switch {
	case len(r.SchemaErrors) > 0:
		c.err = fmt.Errorf("payload type %s has no payload schema: %s", r.PayloadType, r.SchemaFaults())
	case wf.NoPayloadSchema():
		// The workflow sends no schema, so Novu checks nothing: neither
		// does the client. c.schema stays nil.
	default:
		c.schema, c.err = draft07.Compile(r.Definition.PayloadSchema)
	}
	v, _ := schemas.LoadOrStore(key, c)
	return v.(*compiled).schema, v.(*compiled).err
}
