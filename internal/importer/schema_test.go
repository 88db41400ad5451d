package importer_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/importer"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/payloadschema"
	"github.com/novugen/novugen/registry"
)

// The payload types below are what the import of their own schema gives
// back, byte for byte (TestSchemaFeatures): Go type → schema → Go type.

type NestingPayload struct {
	ID       string          `json:"id"`
	Shipment NestingShipment `json:"shipment"`
}

type NestingShipment struct {
	Carrier string             `json:"carrier"`
	Geo     NestingShipmentGeo `json:"geo"`
}

type NestingShipmentGeo struct {
	Lat float64 `json:"lat"`
}

type ArraysPayload struct {
	Lines []ArraysLine `json:"lines"`
	Tags  []string     `json:"tags"`
}

type ArraysLine struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

type OptionalPayload struct {
	Name string `json:"name"`
	Gift string `json:"gift,omitempty"`
	Age  int    `json:"age,omitempty"`
}

type EnumsPayload struct {
	Tier  string `json:"tier" jsonschema:"enum=free,enum=pro"`
	Level int    `json:"level" jsonschema:"enum=1,enum=2"`
}

type NumbersPayload struct {
	Count int     `json:"count"`
	Ratio float64 `json:"ratio"`
	Small int     `json:"small" jsonschema:"minimum=0,maximum=9"`
}

type NullablePayload struct {
	Note *string `json:"note" jsonschema:"nullable"`
	Seen *int    `json:"seen,omitempty" jsonschema:"nullable"`
}

type DescribedPayload struct {
	// The order, as the shop numbers it
	ID    string `json:"id" jsonschema:"description=The order\\, as the shop numbers it,pattern=^[A-Z]+$"`
	Email string `json:"email" jsonschema:"format=email"`
}

type MapsPayload struct {
	Labels map[string]string `json:"labels"`
}

// CapitalsPayload has keys in capitals, as environment variables are
// written: their words are words, not initialisms.
type CapitalsPayload struct {
	OrderID     string `json:"ORDER_ID"`
	TrackingURL string `json:"TRACKING_URL"`
}

type StrictPayload struct {
	A StrictA `json:"a"`
}

type StrictA struct {
	B string `json:"b"`
}

func TestSchemaFeatures(t *testing.T) {
	for _, tt := range []struct {
		id     string
		typ    reflect.Type
		strict bool
		want   string // the type declarations the import writes
		notes  []string
	}{
		{"nesting", reflect.TypeFor[NestingPayload](), false, `
type NestingPayload struct {
	ID       string          ` + "`json:\"id\"`" + `
	Shipment NestingShipment ` + "`json:\"shipment\"`" + `
}
type NestingShipment struct {
	Carrier string             ` + "`json:\"carrier\"`" + `
	Geo     NestingShipmentGeo ` + "`json:\"geo\"`" + `
}
type NestingShipmentGeo struct {
	Lat float64 ` + "`json:\"lat\"`" + `
}`, nil},
		{"arrays", reflect.TypeFor[ArraysPayload](), false, `
type ArraysPayload struct {
	Lines []ArraysLine ` + "`json:\"lines\"`" + `
	Tags  []string     ` + "`json:\"tags\"`" + `
}
type ArraysLine struct {
	SKU string ` + "`json:\"sku\"`" + `
	Qty int    ` + "`json:\"qty\"`" + `
}`, nil},
		{"optional", reflect.TypeFor[OptionalPayload](), false, `
type OptionalPayload struct {
	Name string ` + "`json:\"name\"`" + `
	Gift string ` + "`json:\"gift,omitempty\"`" + `
	Age  int    ` + "`json:\"age,omitempty\"`" + `
}`, nil},
		{"enums", reflect.TypeFor[EnumsPayload](), false, `
type EnumsPayload struct {
	Tier  string ` + "`json:\"tier\" jsonschema:\"enum=free,enum=pro\"`" + `
	Level int    ` + "`json:\"level\" jsonschema:\"enum=1,enum=2\"`" + `
}`, []string{
			`workflow "enums", payload field tier: enum "free", "pro" (kept in the jsonschema tag; the Go type is string)`,
			`workflow "enums", payload field level: enum "1", "2" (kept in the jsonschema tag; the Go type is int)`}},
		{"numbers", reflect.TypeFor[NumbersPayload](), false, `
type NumbersPayload struct {
	Count int     ` + "`json:\"count\"`" + `
	Ratio float64 ` + "`json:\"ratio\"`" + `
	Small int     ` + "`json:\"small\" jsonschema:\"minimum=0,maximum=9\"`" + `
}`, nil},
		{"nullable", reflect.TypeFor[NullablePayload](), false, `
type NullablePayload struct {
	Note *string ` + "`json:\"note\" jsonschema:\"nullable\"`" + `
	Seen *int    ` + "`json:\"seen,omitempty\" jsonschema:\"nullable\"`" + `
}`, []string{
			"workflow \"nullable\", payload field note: nullable: a pointer with `jsonschema:\"nullable\"`",
			"workflow \"nullable\", payload field seen: nullable: a pointer with `jsonschema:\"nullable\"`"}},
		{"described", reflect.TypeFor[DescribedPayload](), false, `
type DescribedPayload struct {
	// The order, as the shop numbers it
	ID    string ` + "`json:\"id\" jsonschema:\"description=The order\\\\, as the shop numbers it,pattern=^[A-Z]+$\"`" + `
	Email string ` + "`json:\"email\" jsonschema:\"format=email\"`" + `
}`, []string{
			`workflow "described", payload field id: pattern "^[A-Z]+$" (kept in the jsonschema tag; Go's type does not check it)`,
			`workflow "described", payload field email: format "email" (kept in the jsonschema tag; Go's type does not check it)`}},
		{"maps", reflect.TypeFor[MapsPayload](), false, `
type MapsPayload struct {
	Labels map[string]string ` + "`json:\"labels\"`" + `
}`, nil},
		{"capitals", reflect.TypeFor[CapitalsPayload](), false, `
type CapitalsPayload struct {
	OrderID     string ` + "`json:\"ORDER_ID\"`" + `
	TrackingURL string ` + "`json:\"TRACKING_URL\"`" + `
}`, nil},
		{"strict", reflect.TypeFor[StrictPayload](), true, `
type StrictPayload struct {
	A StrictA ` + "`json:\"a\"`" + `
}
type StrictA struct {
	B string ` + "`json:\"b\"`" + `
}`, nil},
	} {
		t.Run(tt.id, func(t *testing.T) {
			s, err := payloadschema.Generate(tt.typ, payloadschema.Options{Strict: tt.strict})
			if err != nil {
				t.Fatal(err)
			}
			files, errs := importer.Import([]novu.Workflow{workflow(tt.id, s.JSON)}, "workflows", map[string]bool{})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			src := string(files[0].Source)
			if got := typeDecls(src); got != strings.TrimSpace(tt.want) {
				t.Errorf("types (-want +got):\n%s\nschema:\n%s", cmp.Diff(strings.TrimSpace(tt.want), got), s.JSON)
			}
			if strict := strings.Contains(src, "StrictPayload:   true,") || strings.Contains(src, "StrictPayload: true,"); strict != tt.strict {
				t.Errorf("StrictPayload in the settings: %v, want %v\n%s", strict, tt.strict, src)
			}
			if !cmp.Equal(files[0].Notes, tt.notes) {
				t.Errorf("notes (-want +got):\n%s", cmp.Diff(tt.notes, files[0].Notes))
			}
		})
	}
}

// typeDecls is the type declarations of an imported file without their
// doc comments or blank lines.
func typeDecls(src string) string {
	var out []string
	in := false
	for line := range strings.SplitSeq(src, "\n") {
		switch {
		case strings.HasPrefix(line, "type "):
			in = true
		case strings.HasPrefix(line, "var "):
			in = false
		}
		if in && line != "" && !strings.HasPrefix(line, "// ") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// workflow is a minimal workflow with the given payload schema, as GET
// answers it.
func workflow(id string, schema json.RawMessage) novu.Workflow {
	all := &registry.PreferenceSet{All: registry.AllPreference{Enabled: true}, Channels: map[registry.Channel]registry.ChannelPreference{}}
	for _, ch := range registry.Channels {
		all.Channels[ch] = registry.ChannelPreference{Enabled: true}
	}
	return novu.Workflow{
		WorkflowID:       id,
		WorkflowSettings: novu.WorkflowSettings{Name: id, Active: true, Severity: registry.SeverityNone, PayloadSchema: schema},
		Preferences:      novu.WorkflowPreferences{Default: all},
		Steps:            []novu.Step{{StepID: "s", Name: "S", Type: registry.TypeSMS, ControlValues: map[string]any{"body": "x"}}},
	}
}
