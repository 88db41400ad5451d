package dsl

import (
	"fmt"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strings"
)

// Activation says whether a workflow can be triggered. It has no usable zero
// value on purpose: Novu stores active: true when the field is omitted while
// its spec and SDKs default to false (docs/novu-api.md §0 trap 5), so an author must say
// which one they mean. Leaving it unset is recorded as a Problem.
type Activation int8

// Activations.
const (
	Active   Activation = iota + 1 // the workflow can be triggered
	Inactive                       // triggers answer trigger_not_active
)

// Switch is an on/off preference whose zero value means Novu's default, on.
// Preferences default to enabled, so a declaration only names what it turns
// off: dsl.ChannelPreferences{SMS: dsl.Off}.
type Switch int8

// Switch values. The zero value behaves as On.
const (
	On  Switch = iota + 1 // enabled
	Off                   // disabled
)

// Settings are a workflow's attributes other than its id and steps.
type Settings struct {
	Name        string
	Description string
	Tags        []string

	// Active must be dsl.Active or dsl.Inactive; the zero value is a mistake.
	Active Activation

	// Severity is sent as given; empty means SeverityNone.
	Severity Severity

	// ValidatePayload makes Novu reject triggers whose payload does not match
	// the schema generated from the payload type.
	ValidatePayload bool

	// StrictPayload makes the generated payload schema reject keys the
	// payload type does not declare (additionalProperties: false). The default
	// accepts them, so a producer may start sending a new key before the
	// workflow that uses it is applied.
	StrictPayload bool

	// PayloadSchema says whether the workflow sends a payload schema. The
	// zero value, dsl.GeneratedSchema, sends the schema of the payload type;
	// dsl.NoSchema sends none (see its doc).
	PayloadSchema PayloadSchemaMode

	// TranslationEnabled is Novu's isTranslationEnabled.
	TranslationEnabled bool

	Preferences Preferences
}

// PayloadSchemaMode says whether a workflow sends a payload schema. It sits in
// Settings.PayloadSchema.
type PayloadSchemaMode int8

// Payload schema modes.
const (
	// GeneratedSchema, the zero value: go generate builds the payload schema
	// from the payload type, and apply sends it.
	GeneratedSchema PayloadSchemaMode = iota

	// NoSchema sends payloadSchema: null, for a workflow whose payload Novu
	// does not describe, as a workflow made in Novu's dashboard often is:
	// the payload type is then unchecked by Novu. go generate still checks
	// the templates' payload references against the fields of the payload
	// type, and typed triggers still use it; Novu stores its own open schema
	// (any object) when it creates the workflow, and null when it updates
	// it (docs/novu-api.md §4.1, §8.2). ValidatePayload then checks nothing,
	// and StrictPayload, which shapes the schema, is an error.
	NoSchema
)

// Preferences are a workflow's channel preferences (docs/novu-api.md §7.4).
type Preferences struct {
	// Workflow holds the defaults every subscriber starts with. Its zero value
	// enables everything and makes nothing read-only; all five channels are
	// always sent.
	Workflow ChannelPreferences

	// User, when set, holds what subscribers may change. Nil sends null,
	// which clears any user preferences stored in Novu.
	User *ChannelPreferences
}

// ChannelPreferences is one preference set: the switch for the whole
// workflow, whether subscribers may change it, and a switch per channel.
// Zero Switch fields mean On.
type ChannelPreferences struct {
	Enabled  Switch // all.enabled
	ReadOnly bool   // all.readOnly: subscribers cannot opt out

	InApp Switch
	Email Switch
	SMS   Switch
	Chat  Switch
	Push  Switch
}

// Declaration is what every Workflow[P] offers the generator, whatever P is.
type Declaration interface {
	// Definition is the workflow as it will be sent, except PayloadSchema,
	// which is nil: only the generator can build it from PayloadType.
	Definition() Definition
	// PayloadType is the Go type of the trigger payload.
	PayloadType() reflect.Type
	// StrictPayload reports whether the payload schema forbids undeclared keys.
	StrictPayload() bool
	// NoPayloadSchema reports whether the workflow sends no payload schema
	// (Settings.PayloadSchema: dsl.NoSchema).
	NoPayloadSchema() bool
	// Problems lists builder misuse that the Definition cannot show, in
	// declaration order. Content problems are internal/validate's job.
	Problems() []Problem
	// Positions says where the workflow and each of its steps were declared.
	Positions() Positions
	// Layouts are the layouts declared with DefineLayout that its email
	// steps use, in step order, each once.
	Layouts() []DeclaredLayout
	// Examples are the example payloads given with WithExamples.
	Examples() []DeclaredExample
}

// Pos is a place in the declaring source: the call of a dsl function.
type Pos struct {
	File string // absolute, as runtime.Caller reports it
	Line int    // the line of the call's opening parenthesis
	Func string // the dsl function called: "Define", "Email", ...
}

// String formats p as file:line.
func (p Pos) String() string {
	if p.File == "" {
		return "-"
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Positions locates a workflow's declaration. Steps[i] is the constructor
// call of Definition().Steps[i].
type Positions struct {
	Workflow Pos
	Steps    []Pos
}

// Problem is one piece of builder misuse, recorded where it happened instead
// of panicking so that the generator can report every mistake at once.
type Problem struct {
	Pos     Pos
	Step    string // stepId, empty for the workflow itself
	Message string
}

// String formats p as "file:line: step "id": message".
func (p Problem) String() string {
	if p.Step == "" {
		return fmt.Sprintf("%s: %s", p.Pos, p.Message)
	}
	return fmt.Sprintf("%s: step %q: %s", p.Pos, p.Step, p.Message)
}

// Workflow is a declared Novu workflow whose trigger payload is P. Build it
// with Define; the zero value reports itself as a Problem.
type Workflow[P any] struct {
	def      Definition
	strict   bool
	noSchema bool
	problems []Problem
	pos      Positions
	layouts  []DeclaredLayout
	examples []DeclaredExample
	built    bool
}

var _ Declaration = Workflow[struct{}]{}

// Define declares a workflow with payload type P. Steps run in the order
// given. Mistakes are recorded, not panicked: see Workflow.Problems.
func Define[P any](workflowID string, s Settings, steps ...Step) Workflow[P] {
	pos := caller(1, "Define")
	w := Workflow[P]{
		strict:   s.StrictPayload,
		noSchema: s.PayloadSchema == NoSchema,
		pos:      Positions{Workflow: pos, Steps: []Pos{}},
		built:    true,
	}
	problem := func(msg string, args ...any) {
		w.problems = append(w.problems, Problem{Pos: pos, Message: fmt.Sprintf(msg, args...)})
	}

	severity := s.Severity
	if severity == "" {
		severity = SeverityNone
	}
	tags := make([]string, len(s.Tags))
	copy(tags, s.Tags)

	switch s.Active {
	case Active, Inactive:
	case 0:
		problem("Settings.Active is not set: say dsl.Active or dsl.Inactive (Novu stores active: true when it is omitted)")
	default:
		problem("Settings.Active has invalid value %d: use dsl.Active or dsl.Inactive", s.Active)
	}

	switch s.PayloadSchema {
	case GeneratedSchema:
	case NoSchema:
		if s.StrictPayload {
			problem("Settings.StrictPayload shapes the payload schema, and Settings.PayloadSchema is dsl.NoSchema, which sends none: drop one of them")
		}
	default:
		problem("Settings.PayloadSchema has invalid value %d: use dsl.GeneratedSchema or dsl.NoSchema", s.PayloadSchema)
	}

	wf, probs := s.Preferences.Workflow.wire("Preferences.Workflow")
	for _, p := range probs {
		problem("%s", p)
	}
	var user *PreferenceSet
	if s.Preferences.User != nil {
		u, probs := s.Preferences.User.wire("Preferences.User")
		for _, p := range probs {
			problem("%s", p)
		}
		user = &u
	}

	w.def = Definition{
		WorkflowID:           workflowID,
		Name:                 s.Name,
		Description:          s.Description,
		Tags:                 tags,
		Active:               s.Active == Active,
		Severity:             severity,
		ValidatePayload:      s.ValidatePayload,
		IsTranslationEnabled: s.TranslationEnabled,
		Preferences:          PreferencesDef{Workflow: &wf, User: user},
		Steps:                []StepDef{},
	}
	var stepProblems []Problem
	for i, st := range steps {
		if st.def.Type == "" {
			// A zero Step has no position of its own: report it at Define.
			problem("step %d of %d is a zero dsl.Step: build steps with dsl.InApp, dsl.Email, dsl.Delay and the other step functions", i+1, len(steps))
			continue
		}
		w.def.Steps = append(w.def.Steps, cloneStep(st.def))
		w.pos.Steps = append(w.pos.Steps, st.pos)
		if st.layout != nil && !slices.ContainsFunc(w.layouts, func(l DeclaredLayout) bool { return l == *st.layout }) {
			w.layouts = append(w.layouts, *st.layout)
		}
		for _, msg := range st.problems {
			stepProblems = append(stepProblems, Problem{Pos: st.pos, Step: st.def.StepID, Message: msg})
		}
	}
	w.problems = append(w.problems, stepProblems...)
	return w
}

// ID is the workflowId, the name triggers use.
func (w Workflow[P]) ID() string { return w.def.WorkflowID }

// Definition returns a copy of the wire form; changing it does not change w.
func (w Workflow[P]) Definition() Definition {
	d := w.def
	d.Tags = append([]string{}, w.def.Tags...)
	d.PayloadSchema = nil
	d.Preferences = PreferencesDef{
		Workflow: clonePreferenceSet(w.def.Preferences.Workflow),
		User:     clonePreferenceSet(w.def.Preferences.User),
	}
	d.Steps = make([]StepDef, len(w.def.Steps))
	for i, s := range w.def.Steps {
		d.Steps[i] = cloneStep(s)
	}
	return d
}

// PayloadType returns reflect.TypeFor[P]().
func (w Workflow[P]) PayloadType() reflect.Type { return reflect.TypeFor[P]() }

// StrictPayload reports Settings.StrictPayload.
func (w Workflow[P]) StrictPayload() bool { return w.strict }

// NoPayloadSchema reports whether Settings.PayloadSchema is dsl.NoSchema.
func (w Workflow[P]) NoPayloadSchema() bool { return w.noSchema }

// Problems returns the recorded builder misuse, workflow-level first, then
// each step's in step order. It is empty for a well-built workflow.
func (w Workflow[P]) Problems() []Problem {
	if !w.built {
		return []Problem{{Message: fmt.Sprintf("workflow of payload %s was not built with dsl.Define", reflect.TypeFor[P]())}}
	}
	return append([]Problem(nil), w.problems...)
}

// Positions returns where w and its steps were declared.
func (w Workflow[P]) Positions() Positions {
	return Positions{Workflow: w.pos.Workflow, Steps: append([]Pos{}, w.pos.Steps...)}
}

// Layouts returns the declared layouts w's email steps use.
func (w Workflow[P]) Layouts() []DeclaredLayout {
	return append([]DeclaredLayout{}, w.layouts...)
}

func (c ChannelPreferences) wire(field string) (PreferenceSet, []string) {
	var probs []string
	on := func(name string, s Switch) bool {
		switch s {
		case 0, On:
			return true
		case Off:
			return false
		}
		probs = append(probs, fmt.Sprintf("%s.%s has invalid value %d: use dsl.On or dsl.Off", field, name, s))
		return true
	}
	return PreferenceSet{
		All: AllPreference{Enabled: on("Enabled", c.Enabled), ReadOnly: c.ReadOnly},
		Channels: map[Channel]ChannelPreference{
			ChannelInApp: {Enabled: on("InApp", c.InApp)},
			ChannelEmail: {Enabled: on("Email", c.Email)},
			ChannelSMS:   {Enabled: on("SMS", c.SMS)},
			ChannelChat:  {Enabled: on("Chat", c.Chat)},
			ChannelPush:  {Enabled: on("Push", c.Push)},
		},
	}, probs
}

func clonePreferenceSet(p *PreferenceSet) *PreferenceSet {
	if p == nil {
		return nil
	}
	c := *p
	c.Channels = maps.Clone(p.Channels) // nil stays nil
	return &c
}

func cloneStep(s StepDef) StepDef {
	if s.ControlValues != nil {
		s.ControlValues = cloneWire(s.ControlValues).(map[string]any)
	}
	return s
}

// caller returns the position of the code that called the dsl function fn;
// skip counts frames above caller's own caller, as in runtime.Caller.
func caller(skip int, fn string) Pos {
	_, file, line, ok := runtime.Caller(skip + 1)
	if !ok {
		return Pos{Func: fn}
	}
	return Pos{File: file, Line: line, Func: fn}
}

// joinPath appends a key to a dotted control path.
func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	if strings.HasPrefix(key, "[") {
		return base + key
	}
	return base + "." + key
}
