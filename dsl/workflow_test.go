package dsl_test

import (
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
)

// here returns the position of its caller, for comparing with the positions
// dsl records: both come from runtime.Caller on the same line.
func here(fn string) dsl.Pos {
	_, file, line, _ := runtime.Caller(1)
	return dsl.Pos{File: file, Line: line, Func: fn}
}

type orderPayload struct {
	OrderID string `json:"orderId"`
}

func allChannels(inApp, email, sms, chat, push bool) map[dsl.Channel]dsl.ChannelPreference {
	return map[dsl.Channel]dsl.ChannelPreference{
		dsl.ChannelInApp: {Enabled: inApp},
		dsl.ChannelEmail: {Enabled: email},
		dsl.ChannelSMS:   {Enabled: sms},
		dsl.ChannelChat:  {Enabled: chat},
		dsl.ChannelPush:  {Enabled: push},
	}
}

func TestDefineDefinition(t *testing.T) {
	tests := []struct {
		name string
		w    dsl.Declaration
		want dsl.Definition
	}{
		{
			name: "defaults: tags empty, severity none, all preferences on, user null",
			w:    dsl.Define[orderPayload]("order-shipped", dsl.Settings{Name: "Order shipped", Active: dsl.Active}),
			want: dsl.Definition{
				WorkflowID: "order-shipped", Name: "Order shipped", Tags: []string{}, Active: true,
				Severity: dsl.SeverityNone,
				Preferences: dsl.PreferencesDef{Workflow: &dsl.PreferenceSet{
					All:      dsl.AllPreference{Enabled: true},
					Channels: allChannels(true, true, true, true, true),
				}},
				Steps: []dsl.StepDef{},
			},
		},
		{
			name: "every setting",
			w: dsl.Define[orderPayload]("payout", dsl.Settings{
				Name: "Payout", Description: "Money moves", Tags: []string{"payouts", "finance"},
				Active: dsl.Inactive, Severity: dsl.SeverityHigh, ValidatePayload: true,
				StrictPayload: true, TranslationEnabled: true,
				Preferences: dsl.Preferences{
					Workflow: dsl.ChannelPreferences{ReadOnly: true, InApp: dsl.On, SMS: dsl.Off, Chat: dsl.Off, Push: dsl.Off},
					User:     &dsl.ChannelPreferences{Enabled: dsl.Off, Email: dsl.Off},
				},
			}, dsl.SMS("text", "Text", dsl.SMSControls{Body: "b"})),
			want: dsl.Definition{
				WorkflowID: "payout", Name: "Payout", Description: "Money moves", Tags: []string{"payouts", "finance"},
				Active: false, Severity: dsl.SeverityHigh, ValidatePayload: true, IsTranslationEnabled: true,
				Preferences: dsl.PreferencesDef{
					Workflow: &dsl.PreferenceSet{
						All:      dsl.AllPreference{Enabled: true, ReadOnly: true},
						Channels: allChannels(true, true, false, false, false),
					},
					User: &dsl.PreferenceSet{
						All:      dsl.AllPreference{Enabled: false},
						Channels: allChannels(true, false, true, true, true),
					},
				},
				Steps: []dsl.StepDef{{StepID: "text", Name: "Text", Type: dsl.TypeSMS, ControlValues: map[string]any{"body": "b"}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.w.Definition()); diff != "" {
				t.Errorf("Definition (-want +got):\n%s", diff)
			}
			if p := tt.w.Problems(); len(p) != 0 {
				t.Errorf("unexpected problems: %v", p)
			}
		})
	}
}

func TestDeclarationAccessors(t *testing.T) {
	strict := dsl.Define[orderPayload]("a", dsl.Settings{Active: dsl.Active, StrictPayload: true})
	loose := dsl.Define[*orderPayload]("b", dsl.Settings{Active: dsl.Active})
	if !strict.StrictPayload() || loose.StrictPayload() {
		t.Errorf("StrictPayload: got %v and %v, want true and false", strict.StrictPayload(), loose.StrictPayload())
	}
	if got, want := strict.PayloadType(), reflect.TypeFor[orderPayload](); got != want {
		t.Errorf("PayloadType = %v, want %v", got, want)
	}
	if got, want := loose.PayloadType(), reflect.TypeFor[*orderPayload](); got != want {
		t.Errorf("PayloadType = %v, want %v", got, want)
	}
	if strict.ID() != "a" {
		t.Errorf("ID = %q, want a", strict.ID())
	}
}

// TestNoSchema: Settings.PayloadSchema says whether a schema is sent; the
// zero value sends the generated one. dsl.NoSchema with StrictPayload, or a
// value that is neither, is misuse.
func TestNoSchema(t *testing.T) {
	none := dsl.Define[orderPayload]("a", dsl.Settings{Active: dsl.Active, PayloadSchema: dsl.NoSchema})
	sent := dsl.Define[orderPayload]("b", dsl.Settings{Active: dsl.Active, PayloadSchema: dsl.GeneratedSchema})
	if !none.NoPayloadSchema() || sent.NoPayloadSchema() {
		t.Errorf("NoPayloadSchema: got %v and %v, want true and false", none.NoPayloadSchema(), sent.NoPayloadSchema())
	}
	if p := none.Problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
	for _, tc := range []struct {
		s    dsl.Settings
		want string
	}{
		{dsl.Settings{Active: dsl.Active, PayloadSchema: dsl.NoSchema, StrictPayload: true},
			"Settings.StrictPayload shapes the payload schema, and Settings.PayloadSchema is dsl.NoSchema, which sends none: drop one of them"},
		{dsl.Settings{Active: dsl.Active, PayloadSchema: 7},
			"Settings.PayloadSchema has invalid value 7: use dsl.GeneratedSchema or dsl.NoSchema"},
	} {
		p := dsl.Define[orderPayload]("c", tc.s).Problems()
		if len(p) != 1 || p[0].Message != tc.want {
			t.Errorf("%+v: problems %v, want %q", tc.s, p, tc.want)
		}
	}
}

func TestDefinitionIsACopy(t *testing.T) {
	w := dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active, Tags: []string{"x"}},
		dsl.InApp("n", "N", dsl.InAppControls{Body: "b", Data: map[string]any{"k": []any{"v"}}}))
	before := w.Definition()

	d := w.Definition()
	d.Tags[0] = "changed"
	d.Preferences.Workflow.All.Enabled = false
	d.Preferences.Workflow.Channels[dsl.ChannelSMS] = dsl.ChannelPreference{}
	d.Steps[0].ControlValues["body"] = "changed"
	d.Steps[0].ControlValues["data"].(map[string]any)["k"].([]any)[0] = "changed"
	w.Positions().Steps[0].Line = -1

	if diff := cmp.Diff(before, w.Definition()); diff != "" {
		t.Errorf("Definition changed through a returned copy (-before +after):\n%s", diff)
	}
	if w.Positions().Steps[0].Line == -1 {
		t.Error("Positions changed through a returned copy")
	}
}

func TestDefineDoesNotKeepCallerSlices(t *testing.T) {
	tags := []string{"a"}
	data := map[string]any{"k": "v"}
	w := dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active, Tags: tags},
		dsl.InApp("n", "N", dsl.InAppControls{Body: "b", Data: data}))
	tags[0] = "changed"
	data["k"] = "changed"
	d := w.Definition()
	if d.Tags[0] != "a" || d.Steps[0].ControlValues["data"].(map[string]any)["k"] != "v" {
		t.Errorf("Definition follows the caller's later edits: %v, %v", d.Tags, d.Steps[0].ControlValues)
	}
}

func TestPositions(t *testing.T) {
	var zero dsl.Step
	wpos, w := here("Define"), dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active},
		dsl.InApp("a", "A", dsl.InAppControls{Body: "b"}),
		zero, // not in the Definition, so not in Positions either
		dsl.Delay("b", "B", dsl.DelayControls{Amount: 1, Unit: dsl.Days}),
	)
	email, epos := dsl.Email("c", "C", dsl.EmailControls{Subject: "s"}), here("Email")
	w2 := dsl.Define[orderPayload]("wf2", dsl.Settings{Active: dsl.Active}, email)

	got := w.Positions()
	if diff := cmp.Diff(wpos, got.Workflow); diff != "" {
		t.Errorf("workflow position (-want +got):\n%s", diff)
	}
	if len(got.Steps) != len(w.Definition().Steps) || len(got.Steps) != 2 {
		t.Fatalf("got %d step positions for %d steps, want 2", len(got.Steps), len(w.Definition().Steps))
	}
	// The step calls are on the lines after Define's; their Func names them.
	want := []dsl.Pos{
		{File: wpos.File, Line: wpos.Line + 1, Func: "InApp"},
		{File: wpos.File, Line: wpos.Line + 3, Func: "Delay"},
	}
	if diff := cmp.Diff(want, got.Steps); diff != "" {
		t.Errorf("step positions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]dsl.Pos{epos}, w2.Positions().Steps); diff != "" {
		t.Errorf("position of a step built apart from Define (-want +got):\n%s", diff)
	}
	if !filepath.IsAbs(wpos.File) || filepath.Base(wpos.File) != "workflow_test.go" {
		t.Errorf("position file %q is not this absolute test file", wpos.File)
	}
}

func TestEveryStepFunctionRecordsItsPosition(t *testing.T) {
	tests := []struct {
		step dsl.Step
		pos  dsl.Pos
	}{}
	add := func(s dsl.Step, p dsl.Pos) {
		tests = append(tests, struct {
			step dsl.Step
			pos  dsl.Pos
		}{s, p})
	}
	add(dsl.InApp("s", "S", dsl.InAppControls{}), here("InApp"))
	add(dsl.Email("s", "S", dsl.EmailControls{}), here("Email"))
	add(dsl.SMS("s", "S", dsl.SMSControls{}), here("SMS"))
	add(dsl.Push("s", "S", dsl.PushControls{}), here("Push"))
	add(dsl.Chat("s", "S", dsl.ChatControls{}), here("Chat"))
	add(dsl.Delay("s", "S", dsl.DelayControls{}), here("Delay"))
	add(dsl.Digest("s", "S", dsl.DigestControls{}), here("Digest"))
	add(dsl.Throttle("s", "S", dsl.ThrottleControls{}), here("Throttle"))
	add(dsl.Custom("s", "S", dsl.CustomControls{}), here("Custom"))
	add(dsl.HTTPRequest("s", "S", dsl.HTTPRequestControls{}), here("HTTPRequest"))
	for _, tt := range tests {
		t.Run(tt.pos.Func, func(t *testing.T) {
			w := dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active}, tt.step)
			if diff := cmp.Diff([]dsl.Pos{tt.pos}, w.Positions().Steps); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestProblems(t *testing.T) {
	type ch chan int
	tests := []struct {
		name  string
		build func() (dsl.Declaration, []dsl.Problem)
	}{
		{"active unset", func() (dsl.Declaration, []dsl.Problem) {
			w, p := dsl.Define[orderPayload]("wf", dsl.Settings{Name: "Wf"}), here("Define")
			return w, []dsl.Problem{{Pos: p, Message: "Settings.Active is not set: say dsl.Active or dsl.Inactive (Novu stores active: true when it is omitted)"}}
		}},
		{"active out of range", func() (dsl.Declaration, []dsl.Problem) {
			w, p := dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Activation(7)}), here("Define")
			return w, []dsl.Problem{{Pos: p, Message: "Settings.Active has invalid value 7: use dsl.Active or dsl.Inactive"}}
		}},
		{"switch out of range", func() (dsl.Declaration, []dsl.Problem) {
			p, w := here("Define"), dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active, Preferences: dsl.Preferences{
				Workflow: dsl.ChannelPreferences{Push: dsl.Switch(3)},
				User:     &dsl.ChannelPreferences{Enabled: dsl.Switch(-1)},
			}})
			return w, []dsl.Problem{
				{Pos: p, Message: "Preferences.Workflow.Push has invalid value 3: use dsl.On or dsl.Off"},
				{Pos: p, Message: "Preferences.User.Enabled has invalid value -1: use dsl.On or dsl.Off"},
			}
		}},
		{"zero step", func() (dsl.Declaration, []dsl.Problem) {
			w, p := dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active}, dsl.Step{}), here("Define")
			return w, []dsl.Problem{{Pos: p, Message: "step 1 of 1 is a zero dsl.Step: build steps with dsl.InApp, dsl.Email, dsl.Delay and the other step functions"}}
		}},
		{"unsupported control values", func() (dsl.Declaration, []dsl.Problem) {
			p, s := here("InApp"), dsl.InApp("n", "N", dsl.InAppControls{Body: "b", Data: map[string]any{
				"when": struct{ A int }{1}, "list": []any{1, make(ch)}, "blob": []byte("x"), "keys": map[int]string{1: "a"},
			}})
			return dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active}, s), []dsl.Problem{
				{Pos: p, Step: "n", Message: "data.blob: []uint8 is not supported (encoding/json would send base64); use a string"},
				{Pos: p, Step: "n", Message: "data.keys: map[int]string is not supported: object keys must be strings"},
				{Pos: p, Step: "n", Message: "data.list[1]: dsl_test.ch is not supported: use string, bool, a number, a slice or map[string]any"},
				{Pos: p, Step: "n", Message: "data.when: struct { A int } is not supported: use string, bool, a number, a slice or map[string]any"},
			}
		}},
		{"bad condition operands", func() (dsl.Declaration, []dsl.Problem) {
			skip := dsl.Or(dsl.Eq(dsl.Var("payload.x"), func() {}), dsl.And(), dsl.Not(dsl.Cond{}))
			s, p := dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "s", Skip: skip}), here("Email")
			return dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active}, s), []dsl.Problem{
				{Pos: p, Step: "mail", Message: "skip: dsl.Or operand 1: dsl.Eq operand 2: func() is not supported: use string, bool, a number, a slice or map[string]any"},
				{Pos: p, Step: "mail", Message: "skip: dsl.Or operand 2: dsl.And needs at least one condition"},
				{Pos: p, Step: "mail", Message: "skip: dsl.Or operand 3: dsl.Not operand 1: empty dsl.Cond"},
			}
		}},
		{"numbers JSON cannot carry", func() (dsl.Declaration, []dsl.Problem) {
			nan := 0.0
			nan /= nan
			p, s := here("Custom"), dsl.Custom("c", "C", dsl.CustomControls{Custom: map[string]any{
				"a": nan, "b": int64(1) << 53, "c": uint64(1) << 60, "d": -(int64(1) << 53),
			}})
			return dsl.Define[orderPayload]("wf", dsl.Settings{Active: dsl.Active}, s), []dsl.Problem{
				{Pos: p, Step: "c", Message: "custom.a: NaN is not a JSON number"},
				{Pos: p, Step: "c", Message: "custom.b: 9007199254740992 cannot be sent exactly as a JSON number; use a string"},
				{Pos: p, Step: "c", Message: "custom.c: 1152921504606846976 cannot be sent exactly as a JSON number; use a string"},
				{Pos: p, Step: "c", Message: "custom.d: -9007199254740992 cannot be sent exactly as a JSON number; use a string"},
			}
		}},
		{"workflow problems come before step problems", func() (dsl.Declaration, []dsl.Problem) {
			s, sp := dsl.HTTPRequest("h", "H", dsl.HTTPRequestControls{ResponseBodySchema: map[string]any{"x": complex(1, 2)}}), here("HTTPRequest")
			w, wp := dsl.Define[orderPayload]("wf", dsl.Settings{}, s, dsl.Step{}), here("Define")
			return w, []dsl.Problem{
				{Pos: wp, Message: "Settings.Active is not set: say dsl.Active or dsl.Inactive (Novu stores active: true when it is omitted)"},
				{Pos: wp, Message: "step 2 of 2 is a zero dsl.Step: build steps with dsl.InApp, dsl.Email, dsl.Delay and the other step functions"},
				{Pos: sp, Step: "h", Message: "responseBodySchema.x: complex128 is not supported: use string, bool, a number, a slice or map[string]any"},
			}
		}},
		{"zero workflow", func() (dsl.Declaration, []dsl.Problem) {
			return dsl.Workflow[orderPayload]{}, []dsl.Problem{{Message: "workflow of payload dsl_test.orderPayload was not built with dsl.Define"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, want := tt.build()
			if diff := cmp.Diff(want, w.Problems()); diff != "" {
				t.Errorf("Problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	p := dsl.Problem{Pos: dsl.Pos{File: "/src/w.go", Line: 12, Func: "Email"}, Step: "mail", Message: "boom"}
	if got, want := p.String(), `/src/w.go:12: step "mail": boom`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	p = dsl.Problem{Message: "boom"}
	if got, want := p.String(), `-: boom`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestEnvVarRef(t *testing.T) {
	const BaseURL dsl.EnvVar = "BASE_URL"
	if got, want := "Track at "+BaseURL.Ref()+"/orders", "Track at {{env.BASE_URL}}/orders"; got != want {
		t.Errorf("Ref: %q, want %q", got, want)
	}
}
