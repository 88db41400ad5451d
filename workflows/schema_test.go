package workflows_test

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/draft07"
)

// mistakes are what the declarations do not say, by workflowId: a field
// Novu must refuse a trigger without, and one given a value of the wrong
// JSON type below. The payloads they are taken out of or put into are the
// workflow's declared examples, which are what the services send; a
// workflow without an entry here is still checked with its examples.
var mistakes = map[string]struct {
	required string // a field Novu must refuse a trigger without
	wrong    string // a field given a value of the wrong JSON type below
}{
	"order-shipped":    {required: "orderId", wrong: "items"},
	"payout-initiated": {required: "amount", wrong: "amount"},
	"weekly-digest":    {required: "title", wrong: "url"},
}

// TestExamplePayloadsMatchTheirSchemas reads the generated registry and
// validates every declared example payload against its payloadSchema the
// way Novu's Ajv does (draft-07): what the services send must pass, and a
// payload missing a required field or with a field of the wrong type must
// not.
func TestExamplePayloadsMatchTheirSchemas(t *testing.T) {
	reg, err := gen.Registry()
	if err != nil {
		t.Fatal(err)
	}
	generated := map[string]json.RawMessage{}
	for _, def := range reg.Workflows {
		generated[def.WorkflowID] = def.PayloadSchema
	}
	declared := map[string]bool{}
	for _, d := range gen.Declarations {
		declared[d.Definition().WorkflowID] = true
	}
	for id := range mistakes {
		if !declared[id] {
			t.Errorf("mistakes for %s, which is not declared", id)
		}
	}
	for _, d := range gen.Declarations {
		id := d.Definition().WorkflowID
		t.Run(id, func(t *testing.T) {
			examples := d.Examples()
			if len(examples) == 0 {
				t.Fatalf("%s declares no examples to validate: add them with WithExamples", id)
			}
			payloadSchema, ok := generated[id]
			if !ok {
				t.Fatalf("%s is declared but not in gen/registry.json: run go generate ./...", id)
			}
			schema, err := draft07.Compile(payloadSchema)
			if err != nil {
				t.Fatalf("%v\n%s", err, payloadSchema)
			}
			mistake, hasMistakes := mistakes[id]
			for _, ex := range examples {
				var good map[string]any
				if err := json.Unmarshal(ex.Payload, &good); err != nil {
					t.Fatalf("example %q: %v", ex.Name, err)
				}
				if err := schema.Validate(good); err != nil {
					t.Errorf("example %q %s rejected: %v", ex.Name, ex.Payload, err)
				}
				if !hasMistakes {
					continue
				}

				missing := maps.Clone(good) // only top-level keys change
				if _, ok := missing[mistake.required]; !ok {
					t.Fatalf("test bug: example %q has no %q", ex.Name, mistake.required)
				}
				delete(missing, mistake.required)
				if err := schema.Validate(missing); err == nil {
					t.Errorf("example %q without %q accepted", ex.Name, mistake.required)
				}

				wrong := maps.Clone(good) // only top-level keys change
				wrong[mistake.wrong] = true
				if err := schema.Validate(wrong); err == nil {
					t.Errorf("example %q with %q: true accepted", ex.Name, mistake.wrong)
				}
			}
		})
	}
}
