package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/payloadschema"
)

type alertPayload struct {
	Host string `json:"host"`
}

type alertPayloadV2 struct {
	Host     string `json:"host"`
	Severity string `json:"severity"`
}

type cartPayload struct {
	CartID string `json:"cartId"`
}

func alert[P any](subject string, active dsl.Activation) dsl.Workflow[P] {
	return dsl.Define[P]("alert", dsl.Settings{Name: "Alert", Active: active},
		dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 5, Unit: dsl.Minutes}),
		dsl.InApp("notice", "Notice", dsl.InAppControls{Subject: subject, Body: "{{ payload.host }} is down"}))
}

var (
	alertV1 = alert[alertPayload]("Host down", dsl.Active)
	cart    = dsl.Define[cartPayload]("cart", dsl.Settings{Name: "Cart", Active: dsl.Active},
		dsl.InApp("reminder", "Reminder", dsl.InAppControls{Body: "{{ payload.cartId }} is waiting"}))
	// strict is cart with a payload schema that forbids undeclared keys.
	strict = dsl.Define[cartPayload]("cart", dsl.Settings{Name: "Cart", Active: dsl.Active, StrictPayload: true},
		dsl.InApp("reminder", "Reminder", dsl.InAppControls{Body: "{{ payload.cartId }} is waiting"}))
)

// generated is what novugen writes for decls, read back as gen reads it:
// each definition with its payload schema, through JSON.
func generated(t *testing.T, decls ...dsl.Declaration) []dsl.Definition {
	t.Helper()
	reg := dsl.Registry{Notice: dsl.RegistryNotice}
	for _, d := range decls {
		s, err := payloadschema.Generate(d.PayloadType(), payloadschema.Options{Strict: d.StrictPayload()})
		if err != nil {
			t.Fatal(err)
		}
		def := d.Definition()
		def.PayloadSchema = s.JSON
		reg.Workflows = append(reg.Workflows, def)
	}
	data, err := reg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if reg, err = dsl.ParseRegistry(data); err != nil {
		t.Fatal(err)
	}
	return reg.Workflows
}

const rerun = "; run go generate ./... and commit gen/"

func TestFresh(t *testing.T) {
	for _, tt := range []struct {
		name     string
		decls    []dsl.Declaration
		registry []dsl.Definition
		want     string // "" for fresh
	}{
		{"fresh", []dsl.Declaration{alertV1, cart}, generated(t, alertV1, cart), ""},
		{"changed subject", []dsl.Declaration{alert[alertPayload]("Host is down", dsl.Active), cart}, generated(t, alertV1, cart),
			`gen/ is stale: workflow "alert" differs from its declaration (steps[1].controlValues.subject)` + rerun},
		{"added workflow", []dsl.Declaration{alertV1, cart}, generated(t, alertV1),
			`gen/ is stale: workflow "cart" is declared but not in registry.json` + rerun},
		{"removed workflow", []dsl.Declaration{cart}, generated(t, alertV1, cart),
			`gen/ is stale: workflow "alert" is in registry.json but no longer declared` + rerun},
		{"changed payload type", []dsl.Declaration{alert[alertPayloadV2]("Host down", dsl.Active)}, generated(t, alertV1),
			`gen/ is stale: workflow "alert" differs from its declaration (payloadSchema.properties.severity)` + rerun},
		{"strict payload", []dsl.Declaration{strict}, generated(t, cart),
			`gen/ is stale: workflow "cart" differs from its declaration (payloadSchema.additionalProperties)` + rerun},
		{"problem", []dsl.Declaration{alert[alertPayload]("Host down", 0)}, generated(t, alertV1),
			`gen/ is stale: workflow "alert": Settings.Active is not set: say dsl.Active or dsl.Inactive (Novu stores active: true when it is omitted)` + rerun},
		{"declared twice", []dsl.Declaration{cart, cart}, generated(t, cart),
			`gen/ is stale: workflow "cart" is declared more than once` + rerun},
		{"every stale workflow, by workflowId", []dsl.Declaration{cart, alert[alertPayload]("Host is down", dsl.Active)}, generated(t, alertV1),
			`gen/ is stale: workflow "alert" differs from its declaration (steps[1].controlValues.subject); ` +
				`workflow "cart" is declared but not in registry.json` + rerun},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := errText(fresh(reportsOf(tt.decls), tt.registry)); got != tt.want {
				t.Errorf("fresh:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestCompiledRegistryIsFresh runs the command on the registry compiled in
// from gen: go generate ./... has been run on this repository's workflows.
func TestCompiledRegistryIsFresh(t *testing.T) {
	r := runCmd(t, nil, "-emulator", "-plan")
	if r.code != 0 || strings.Contains(r.stderr, "stale") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// A smoke check that the plan is of the compiled-in registry, not a
	// golden: TestEmulatorFlag's golden holds the plan text of these
	// workflows already, and a second copy would only have to be
	// rewritten with it whenever gen/ changes.
	if !strings.Contains(r.stdout, "create    order-shipped") {
		t.Errorf("plan does not create order-shipped:\n%s", r.stdout)
	}
}

func TestCompiledRegistryIsOnlyForThisRepository(t *testing.T) {
	mod := func(path, version, sum string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: path, Version: version, Sum: sum}}
	}
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string // "" = allowed
	}{
		{"a checkout of this repository", mod(module, "(devel)", ""), ""},
		{"a checkout with a VCS-stamped version", mod(module, "v0.0.0-20261127000000-abcdef012345+dirty", ""), ""},
		{"a tool of the user's module", mod("example.com/team", "(devel)", ""),
			"no -registry: this apply was built as part of module example.com/team, so its compiled-in registry is novugen's example workflows, not yours; pass -registry gen/registry.json (the file go generate wrote in your module)"},
		{"a tool from the module proxy", mod(module, "v1.2.3", "h1:abc="),
			"no -registry: this apply was built as part of novugen v1.2.3 as a dependency of another module, so its compiled-in registry is novugen's example workflows, not yours; pass -registry gen/registry.json (the file go generate wrote in your module)"},
		{"a tool through a replace", &debug.BuildInfo{Main: debug.Module{Path: module, Version: "v0.0.0-00010101000000-000000000000",
			Replace: &debug.Module{Path: "/src/novugen", Version: "(devel)"}}},
			"no -registry: this apply was built as part of novugen v0.0.0-00010101000000-000000000000 as a dependency of another module, so its compiled-in registry is novugen's example workflows, not yours; pass -registry gen/registry.json (the file go generate wrote in your module)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errText(compiledRegistryIsYours(tc.info)); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestFreshLayouts(t *testing.T) {
	brand := func(body string) dsl.Layout {
		return dsl.DefineLayout("brand", dsl.LayoutSettings{Name: "Brand", Body: body})
	}
	mail := func(l dsl.Layout) dsl.Declaration {
		return dsl.Define[cartPayload]("cart", dsl.Settings{Name: "Cart", Active: dsl.Active},
			dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "Cart", Body: "{{ payload.cartId }}", Layout: l}))
	}
	v1 := "<html><body>{{ content }}</body></html>"
	def := dsl.LayoutDef{LayoutID: "brand", Name: "Brand", Body: v1, EditorType: "html"}
	other := def
	other.LayoutID = "old"
	for _, tt := range []struct {
		name    string
		decls   []dsl.Declaration
		layouts []dsl.LayoutDef
		want    string
	}{
		{"fresh", []dsl.Declaration{mail(brand(v1))}, []dsl.LayoutDef{def}, ""},
		{"changed body", []dsl.Declaration{mail(brand("<html><body>{{ content }}!</body></html>"))}, []dsl.LayoutDef{def},
			`gen/ is stale: layout "brand" differs from its declaration` + rerun},
		{"added", []dsl.Declaration{mail(brand(v1))}, nil,
			`gen/ is stale: layout "brand" is declared but not in registry.json` + rerun},
		{"no longer used", []dsl.Declaration{mail(brand(v1))}, []dsl.LayoutDef{def, other},
			`gen/ is stale: layout "old" is in registry.json but no declared workflow uses it` + rerun},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := errText(freshLayouts(reportsOf(tt.decls), tt.layouts)); got != tt.want {
				t.Errorf("freshLayouts:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
