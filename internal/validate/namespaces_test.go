package validate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novugen/novugen/registry"
)

// The namespaces beyond payload, steps, subscriber and workflow: each is
// accepted where Novu provides it and refused, with what to do, where it
// does not (docs/novu-api.md §8.1, §8.3).
func TestNamespaces(t *testing.T) {
	sms := func(tmpl string) func(d *registry.Workflow) {
		return func(d *registry.Workflow) { step(d, "sms").ControlValues["body"] = tmpl }
	}
	translated := func(tmpl string) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.IsTranslationEnabled = true
			step(d, "sms").ControlValues["body"] = tmpl
		}
	}
	cases := []struct {
		name string
		env  []string
		edit func(d *registry.Workflow)
		want []Finding
	}{
		{"t with translations", nil, translated("{{ t.welcome }} {{ t.order.shipped.title }} {% if t.x %}{% endif %}"), nil},
		{"t without translations", nil, sms("{{ t.welcome }}"), []Finding{
			ctl("sms", "body", `{{t.welcome}} reads a translation, but this workflow does not enable translations, so Novu would render nothing; set TranslationEnabled: true in its dsl.Settings (isTranslationEnabled in the registry)`),
		}},
		{"t without a key", nil, translated("{{ t }}"), []Finding{
			ctl("sms", "body", `{{t}} names no translation key; write t.<key>, e.g. t.welcome.title`),
		}},
		{"t in skip without translations", nil, func(d *registry.Workflow) {
			step(d, "sms").ControlValues["skip"] = map[string]any{"!": map[string]any{"var": "t.flag"}}
		}, []Finding{
			ctl("sms", "skip", `{"var": "t.flag"} reads a translation, but this workflow does not enable translations, so Novu would render nothing; set TranslationEnabled: true in its dsl.Settings (isTranslationEnabled in the registry)`),
		}},

		{"context id and data", nil, sms("{{ context.tenant }} {{ context.tenant.id }} {{ context.app.data.plan.name }} {% for k in context.tenant.data %}{{ k }}{% endfor %}"), nil},
		{"context without a type", nil, sms("{{ context }}"), []Finding{
			ctl("sms", "body", `{{context}} names no context type; write context.<type>.id or context.<type>.data.<field>, e.g. context.tenant.id`),
		}},
		{"context field that is not id or data", nil, sms("{{ context.tenant.name }} {{ context.tenant.dat.x }}"), []Finding{
			ctl("sms", "body", `{{context.tenant.dat.x}} names no field of context.tenant; a context has only data and id; did you mean "data"?`),
			ctl("sms", "body", `{{context.tenant.name}} names no field of context.tenant; a context has only data and id`),
		}},
		{"context id is a string", nil, sms("{{ context.tenant.id.size }} {{ context.tenant.id.x }}"), []Finding{
			ctl("sms", "body", `{{context.tenant.id.x}} reads "x" of context.tenant.id, which is a string`),
		}},

		{"declared env", []string{"BASE_URL", "SUPPORT_EMAIL"}, sms("{{ env.BASE_URL }}/orders {{ env.SUPPORT_EMAIL | downcase }} {{ env.BASE_URL.size }}"), nil},
		{"undeclared env, none declared", nil, sms("{{ env.BASE_URL }}"), []Finding{
			ctl("sms", "body", `{{env.BASE_URL}} reads environment variable "BASE_URL", which is not declared (none is declared); declare it in a package go generate reads: const BaseURL dsl.EnvVar = "BASE_URL"`),
		}},
		{"undeclared env, a near name declared", []string{"BASE_URL", "SUPPORT_EMAIL"}, sms("{{ env.BASE_UR }}"), []Finding{
			ctl("sms", "body", `{{env.BASE_UR}} reads environment variable "BASE_UR", which is not declared (declared are BASE_URL and SUPPORT_EMAIL); did you mean "BASE_URL"?`),
		}},
		{"env without a name", []string{"BASE_URL"}, sms("{{ env }}"), []Finding{
			ctl("sms", "body", `{{env}} names no environment variable; write env.<NAME>, e.g. env.BASE_URL, and declare NAME with dsl.EnvVar`),
		}},
		{"env value is a string", []string{"BASE_URL"}, sms("{{ env.BASE_URL.host }}"), []Finding{
			ctl("sms", "body", `{{env.BASE_URL.host}} reads "host" of env.BASE_URL, which is a string`),
		}},
		{"env in a throttle key and skip", []string{"REGION"}, func(d *registry.Workflow) {
			step(d, "sms").ControlValues["skip"] = map[string]any{"==": []any{map[string]any{"var": "env.REGION"}, "eu"}, "!": map[string]any{"var": "env.ZONE"}}
		}, []Finding{
			ctl("sms", "skip", `{"var": "env.ZONE"} reads environment variable "ZONE", which is not declared (declared are REGION); declare it in a package go generate reads: const Zone dsl.EnvVar = "ZONE"`),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := orderShipped()
			c.edit(&d)
			if diff := cmp.Diff(c.want, Definition(d, c.env...)); diff != "" {
				t.Errorf("Definition() (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.want, Registry([]registry.Workflow{d}, c.env...)); diff != "" {
				t.Errorf("Registry() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeclaredEnvNamesFollowNovusKeyRule(t *testing.T) {
	for _, ok := range []string{"BASE_URL", "a", "x1_2", strings.Repeat("A", 256)} {
		if err := CheckEnvVar(ok); err != nil {
			t.Errorf("CheckEnvVar(%q) = %v", ok, err)
		}
	}
	for name, want := range map[string]string{
		"":                       "an environment variable name is empty",
		"1ST":                    `environment variable name "1ST": Novu's keys start with a letter and hold only letters, digits and underscores`,
		"_X":                     `environment variable name "_X": Novu's keys start with a letter and hold only letters, digits and underscores`,
		"BASE-URL":               `environment variable name "BASE-URL": Novu's keys start with a letter and hold only letters, digits and underscores`,
		strings.Repeat("A", 257): `environment variable name "AAAAAAAAAAAAAAAAAAAA"… is 257 bytes; Novu allows at most 256`,
	} {
		err := CheckEnvVar(name)
		if err == nil || err.Error() != want {
			t.Errorf("CheckEnvVar(%.30q) = %v, want %s", name, err, want)
		}
	}
	// A registry file with a bad name is refused as a whole: no reference
	// to it could ever resolve.
	got := Registry([]registry.Workflow{orderShipped()}, "BASE-URL")
	want := []Finding{{Message: `environmentVariables: environment variable name "BASE-URL": Novu's keys start with a letter and hold only letters, digits and underscores`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Registry() (-want +got):\n%s", diff)
	}
}

// A free-form payload field (an open object, or any JSON value) accepts
// every reference below it unchecked; its siblings are still checked.
func TestFreeFormPayloadFieldsAcceptAnyReference(t *testing.T) {
	d := orderShipped()
	d.PayloadSchema = json.RawMessage(`{"type": "object", "properties": {
		"orderId": {"type": "string"},
		"metadata": {"type": "object", "additionalProperties": true},
		"extra": {},
		"events": {"type": "array", "items": {}}
	}}`)
	d.Steps = []registry.Step{{StepID: "sms", Name: "SMS", Type: registry.TypeSMS, ControlValues: map[string]any{
		"body": "{{ payload.metadata.campaign.name }} {{ payload.extra }} {{ payload.extra.a[0].b }} " +
			"{% for e in payload.events %}{{ e.kind.label }}{% endfor %} {{ payload.metadata | json }} {{ payload.ordrId }}",
	}}}
	want := []Finding{{WorkflowID: "order-shipped", StepID: "sms", Control: "body",
		Message: `{{payload.ordrId}} names no field of the payload; did you mean "orderId"?`}}
	if diff := cmp.Diff(want, Definition(d)); diff != "" {
		t.Errorf("Definition() (-want +got):\n%s", diff)
	}
}
