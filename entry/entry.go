// Package entry turns a workflow declaration into its registry entry: the
// definition novugen writes to registry.json, payload schema included, and
// what else running the declaration tells (builder misuse, where it was
// declared, why its payload type cannot become a schema).
//
// It is the one place where a declaration becomes an entry. novugen's probe,
// a throwaway program built in the user's module, calls [Of] for each
// declaration it finds and hands the reports back with [Marshal]; cmd/apply
// calls it for the declarations compiled in beside package gen, to refuse a
// gen/ that is no longer what they generate. It is a public package because
// the probe is built in the user's module, which cannot import novugen's
// internal packages.
package entry

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/payloadschema"
)

// Report is what running one declaration tells.
type Report struct {
	// Definition is the registry entry, its PayloadSchema filled in when
	// the payload type became a schema, unless the declaration sends none
	// (dsl.NoSchema).
	Definition dsl.Definition `json:"definition"`
	// TypeSchema is the schema of the payload type when the declaration
	// sends none: the generator checks the templates' payload references
	// against it. Nil otherwise (Definition.PayloadSchema is that schema).
	TypeSchema json.RawMessage `json:"typeSchema,omitempty"`
	// Problems is builder misuse recorded by dsl (an unset Active, say).
	Problems  []dsl.Problem `json:"problems"`
	Positions dsl.Positions `json:"positions"`
	// Layouts are the layouts declared in Go that its email steps use.
	Layouts []dsl.DeclaredLayout `json:"layouts"`
	// Examples are the example payloads declared with WithExamples, each
	// encoded as encoding/json sends it.
	Examples []dsl.DeclaredExample `json:"examples"`
	// PayloadType is the payload's Go type, as fmt prints it.
	PayloadType string `json:"payloadType"`
	// Warnings are payloadschema's: fields encoding/json may not send as
	// the schema says.
	Warnings []string `json:"warnings"`
	// SchemaErrors are the reasons the payload type cannot become a
	// schema, one a field; none when it could.
	SchemaErrors []SchemaError `json:"schemaErrors"`
}

// SchemaError is one payloadschema.UnsupportedError: Field is the Go path
// to the fault (OrderPayload.Items[].Parent), Reason what is wrong there.
// Steps is Field after the payload type's name (Items, [], Parent), which
// only a run can cut off reliably: it has the reflect.Type, whose name may
// itself hold dots and brackets.
type SchemaError struct {
	Field  string   `json:"field"`
	Steps  []string `json:"steps"`
	Reason string   `json:"reason"`
}

// Of runs declaration d: its definition, problems and positions, and its
// payload schema (forbidding undeclared keys when d.StrictPayload()), in
// the definition or, when d.NoPayloadSchema(), in TypeSchema only.
func Of(d dsl.Declaration) Report {
	t := d.PayloadType()
	r := Report{Definition: d.Definition(), Problems: d.Problems(), Positions: d.Positions(), Layouts: d.Layouts(), Examples: d.Examples(), PayloadType: fmt.Sprint(t)}
	s, err := payloadschema.Generate(t, payloadschema.Options{Strict: d.StrictPayload()})
	if err != nil {
		r.SchemaErrors = schemaErrors(t, err)
		return r
	}
	r.Warnings = s.Warnings
	if d.NoPayloadSchema() {
		r.TypeSchema = s.JSON
	} else {
		r.Definition.PayloadSchema = s.JSON
	}
	return r
}

func schemaErrors(t reflect.Type, err error) []SchemaError {
	var list payloadschema.UnsupportedErrors
	var one *payloadschema.UnsupportedError
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = payloadschema.UnsupportedErrors{one}
	default:
		return []SchemaError{{Reason: err.Error()}}
	}
	out := make([]SchemaError, len(list))
	for i, e := range list {
		out[i] = SchemaError{Field: e.Field, Steps: payloadschema.FieldSteps(t, e.Field), Reason: e.Reason}
	}
	return out
}

// Err is what stops d from being generated at all, in one line: its
// problems, then its payload type's failure to become a schema; nil when
// the definition is the entry novugen writes. (novugen itself reports each
// at its position; cmd/apply, which has no source, says it this way.)
func (r Report) Err() error {
	var msgs []string
	for _, p := range r.Problems {
		if p.Step != "" {
			msgs = append(msgs, fmt.Sprintf("step %q: %s", p.Step, p.Message))
		} else {
			msgs = append(msgs, p.Message)
		}
	}
	if len(r.SchemaErrors) > 0 {
		msgs = append(msgs, fmt.Sprintf("payload type %s cannot become a JSON schema: %s", r.PayloadType, r.SchemaFaults()))
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, ", "))
}

// SchemaFaults says SchemaErrors in one line, separated by "; ": the
// wording Err and notify's refusal to send share.
func (r Report) SchemaFaults() string {
	faults := make([]string, len(r.SchemaErrors))
	for i, e := range r.SchemaErrors {
		faults[i] = e.Error()
	}
	return strings.Join(faults, "; ")
}

// Error is the fault as payloadschema.UnsupportedError says it.
func (e SchemaError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}
