package registry

import (
	"bytes"
	"encoding/json"
)

// Workflow is one registry entry: a workflow exactly as novugen sends it to
// Novu, the body of PUT /v2/workflows/{workflowId} (plus origin, added by
// the client) and of POST /v2/workflows (plus nothing: workflowId is
// already here).
//
// It is plain data on purpose. The generator writes it to gen/registry.json,
// cmd/apply reads it back, and internal/apply compares it with what Novu holds;
// none of them needs the payload's Go type any more once the schema is built.
//
// Every field Novu would otherwise default is present, because the server's
// defaults differ from the spec's (docs/novu-api.md §0 trap 5: active).
type Workflow struct {
	WorkflowID           string          `json:"workflowId"`
	Name                 string          `json:"name"`
	Description          string          `json:"description"`
	Tags                 []string        `json:"tags"`
	Active               bool            `json:"active"`
	Severity             Severity        `json:"severity"`
	ValidatePayload      bool            `json:"validatePayload"`
	IsTranslationEnabled bool            `json:"isTranslationEnabled"`
	PayloadSchema        json.RawMessage `json:"payloadSchema"`
	Preferences          Preferences     `json:"preferences"`
	Steps                []Step          `json:"steps"`
}

// Step is one step of a Workflow. ControlValues holds only the keys the
// declaration set (see docs/novu-api.md §6: compare only the keys we send), already in
// their wire form: strings, float64-compatible numbers, bools, nested objects.
type Step struct {
	StepID        string         `json:"stepId"`
	Name          string         `json:"name"`
	Type          StepType       `json:"type"`
	ControlValues map[string]any `json:"controlValues"`
}

// Preferences is the request form of workflow preferences (docs/novu-api.md §7.4).
// Workflow are the defaults; User is what subscribers may change. A nil User
// is sent as null, which clears user preferences: it is always sent so that an
// update never leaves stale ones behind.
type Preferences struct {
	Workflow *PreferenceSet `json:"workflow"`
	User     *PreferenceSet `json:"user"`
}

// PreferenceSet is Novu's WorkflowPreferencesDto: all keys required.
type PreferenceSet struct {
	All      AllPreference                 `json:"all"`
	Channels map[Channel]ChannelPreference `json:"channels"`
}

// AllPreference is Novu's WorkflowPreferenceDto.
type AllPreference struct {
	Enabled  bool `json:"enabled"`
	ReadOnly bool `json:"readOnly"`
}

// ChannelPreference is Novu's ChannelPreferenceDto.
type ChannelPreference struct {
	Enabled bool `json:"enabled"`
}

// Severity is a workflow's severity.
type Severity string

// Severities Novu accepts.
const (
	SeverityNone   Severity = "none"
	SeverityLow    Severity = "low"
	SeverityMedium Severity = "medium"
	SeverityHigh   Severity = "high"
)

// StepType is Novu's step type.
type StepType string

// Step types Novu's v2 workflows accept (spec 3.18.1).
const (
	TypeInApp       StepType = "in_app"
	TypeEmail       StepType = "email"
	TypeSMS         StepType = "sms"
	TypePush        StepType = "push"
	TypeChat        StepType = "chat"
	TypeDelay       StepType = "delay"
	TypeDigest      StepType = "digest"
	TypeThrottle    StepType = "throttle"
	TypeCustom      StepType = "custom"
	TypeHTTPRequest StepType = "http_request"
)

// Channel is a delivery channel in preferences.
type Channel string

// Channels, as Novu names them in preferences. All five are always sent.
const (
	ChannelInApp Channel = "in_app"
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	ChannelChat  Channel = "chat"
	ChannelPush  Channel = "push"
)

// Channels lists every channel in the order Novu documents them.
var Channels = []Channel{ChannelInApp, ChannelEmail, ChannelSMS, ChannelChat, ChannelPush}

// SendsNoSchema reports whether the entry carries no payload schema
// (dsl.NoSchema): its payloadSchema is absent or null.
func (w Workflow) SendsNoSchema() bool {
	raw := bytes.TrimSpace(w.PayloadSchema)
	return len(raw) == 0 || string(raw) == "null"
}
