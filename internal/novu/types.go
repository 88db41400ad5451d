package novu

import (
	"encoding/json"

	"github.com/novugen/novugen/registry"
)

// WorkflowSettings are the fields a workflow's create and update bodies and
// its response share, under the same keys and in the same form: everything
// but its identity, preferences and steps, whose forms differ. They are
// written once, here, so that a setting is sent (WorkflowBody) and read back
// (Workflow) together: the engine compares what it reads back with the
// entry that was sent (docs/novu-api.md §6).
//
// Severity omits its empty value, which validation refuses in a request.
// Workflow embeds the same tag: a response is only ever decoded (nothing
// encodes a Workflow), and decoding does not look at omitempty.
type WorkflowSettings struct {
	Name                 string            `json:"name"`
	Description          string            `json:"description"`
	Tags                 []string          `json:"tags"`
	Active               bool              `json:"active"`
	Severity             registry.Severity `json:"severity,omitempty"`
	ValidatePayload      bool              `json:"validatePayload"`
	IsTranslationEnabled bool              `json:"isTranslationEnabled"`
	PayloadSchema        json.RawMessage   `json:"payloadSchema"`
}

// Workflow is Novu's WorkflowResponseDto (docs/novu-api.md §6): what GET, PUT, POST and
// sync answer inside {"data": …}. Fields Novu computes are kept as sent
// (timestamps as strings) so that an odd value never fails the whole decode.
type Workflow struct {
	ID         string `json:"_id"`
	WorkflowID string `json:"workflowId"`
	Slug       string `json:"slug"`
	WorkflowSettings
	Preferences     WorkflowPreferences `json:"preferences"`
	Steps           []Step              `json:"steps"`
	Origin          string              `json:"origin"`
	Status          string              `json:"status"` // ACTIVE, INACTIVE, ERROR
	Issues          json.RawMessage     `json:"issues,omitempty"`
	CreatedAt       string              `json:"createdAt"`
	UpdatedAt       string              `json:"updatedAt"`
	LastPublishedAt string              `json:"lastPublishedAt"`
	LastTriggeredAt string              `json:"lastTriggeredAt"`
}

// WorkflowPreferences is the response form of preferences: Default is what
// the request called "workflow"; User is absent or null when none are set.
type WorkflowPreferences struct {
	Default *registry.PreferenceSet `json:"default"`
	User    *registry.PreferenceSet `json:"user"`
}

// Step is one step of a Workflow (StepResponseDto).
type Step struct {
	ID     string            `json:"_id"`
	StepID string            `json:"stepId"`
	Slug   string            `json:"slug"`
	Name   string            `json:"name"`
	Type   registry.StepType `json:"type"`
	// ControlValues are the step's stored control values. Servers that omit
	// "controlValues" carry them in "controls.values"; they are copied here.
	ControlValues map[string]any `json:"controlValues"`
	Issues        *StepIssues    `json:"issues,omitempty"`
}

// StepIssues are content problems Novu found in a step (docs/novu-api.md §6): a write
// succeeds anyway and the workflow's status becomes ERROR.
type StepIssues struct {
	Controls    map[string][]Issue `json:"controls,omitempty"`
	Integration map[string][]Issue `json:"integration,omitempty"`
}

// Issue is one content problem, e.g. ILLEGAL_VARIABLE_IN_CONTROL_VALUE.
type Issue struct {
	IssueType    string `json:"issueType"`
	VariableName string `json:"variableName,omitempty"`
	Message      string `json:"message"`
}

// UnmarshalJSON falls back to controls.values when controlValues is absent
// (older servers send only the controls metadata).
func (s *Step) UnmarshalJSON(b []byte) error {
	type plain Step // without this method
	if err := json.Unmarshal(b, (*plain)(s)); err != nil {
		return err
	}
	if s.ControlValues != nil {
		return nil
	}
	var c struct {
		Controls *struct {
			Values map[string]any `json:"values"`
		} `json:"controls"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return err
	}
	if c.Controls != nil {
		s.ControlValues = c.Controls.Values
	}
	return nil
}

// Environment is Novu's EnvironmentResponseDto (docs/novu-api.md §9). API keys are not
// decoded: the client has no use for them and they must not be kept around.
type Environment struct {
	ID         string `json:"_id"`
	Name       string `json:"name"`
	Identifier string `json:"identifier"`
	Type       string `json:"type"` // dev, prod, or empty
	ParentID   string `json:"_parentId"`
	Slug       string `json:"slug"`
	// Own is true for the environment the calling key belongs to: Novu
	// lists apiKeys on that one only (docs/novu-api.md §9). The keys themselves are
	// never decoded, so no secret is held beyond the one configured.
	Own bool `json:"-"`
}

// UnmarshalJSON decodes an EnvironmentResponseDto, turning apiKeys into Own.
func (e *Environment) UnmarshalJSON(data []byte) error {
	type plain Environment
	var wire struct {
		plain
		APIKeys []json.RawMessage `json:"apiKeys"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*e = Environment(wire.plain)
	e.Own = len(wire.APIKeys) > 0
	return nil
}

// WorkflowSummary is one item of GET /v2/workflows (WorkflowListResponseDto).
// It carries no control values: GET the workflow to compare content.
type WorkflowSummary struct {
	ID              string   `json:"_id"`
	WorkflowID      string   `json:"workflowId"`
	Slug            string   `json:"slug"`
	Name            string   `json:"name"`
	Tags            []string `json:"tags"`
	Status          string   `json:"status"`
	Origin          string   `json:"origin"`
	CreatedAt       string   `json:"createdAt"`
	UpdatedAt       string   `json:"updatedAt"`
	LastPublishedAt string   `json:"lastPublishedAt"`
}

// OriginNovuCloud is the origin an update must send, whatever the workflow's
// stored origin: sync refuses any other (docs/novu-api.md §0 trap 7, §4.2).
const OriginNovuCloud = "novu-cloud"

// WorkflowBody is what create and update bodies share: the registry entry
// (registry.Workflow) without its workflowId, which create puts first and
// update leaves to the path (UpdateWorkflowDto takes a workflowId too, and
// we never ask to change one). Every field is always sent: the server's
// defaults differ from the spec's (active, docs/novu-api.md §0 trap 5);
// only an empty severity, which validation refuses, is left out.
//
// Its settings are the response's (WorkflowSettings); the rest is the
// request form. It is not the registry entry embedded: the JSON must stay
// byte for byte what it is (key order included), and neither workflowId
// nor a severity that omits its empty value can be removed from an
// embedded struct. TestWorkflowBodyIsTheEntry keeps its keys those of the
// entry, in order.
type WorkflowBody struct {
	WorkflowSettings
	Preferences registry.Preferences `json:"preferences"`
	Steps       []StepRequest        `json:"steps"`
}

// CreateRequest is the body of POST /v2/workflows (CreateWorkflowDto). Build
// it with NewCreateRequest.
type CreateRequest struct {
	WorkflowID string `json:"workflowId"`
	WorkflowBody
}

// UpdateRequest is the body of PUT /v2/workflows/{workflowId}
// (UpdateWorkflowDto). Build it with NewUpdateRequest. PUT is a full replace:
// steps carry their stored _id so that step identity and history survive, and
// preferences.user is always sent (null clears it) so none are left stale
// (docs/novu-api.md §4.2).
type UpdateRequest struct {
	Origin string `json:"origin"`
	WorkflowBody
}

// StepRequest is one step of a create or update body: the registry entry's
// step, after the _id Novu stored for it (update only).
type StepRequest struct {
	ID string `json:"_id,omitempty"`
	registry.Step
}

// NewCreateRequest builds the POST body for def.
func NewCreateRequest(def registry.Workflow) CreateRequest {
	return CreateRequest{WorkflowID: def.WorkflowID, WorkflowBody: newBody(def, nil)}
}

// NewUpdateRequest builds the PUT body for def. stepIDs maps a stepId to the
// _id Novu stored for it (Workflow.StepIDs of the last GET); a step whose
// stepId is not in the map is sent without _id and becomes a new step.
func NewUpdateRequest(def registry.Workflow, stepIDs map[string]string) UpdateRequest {
	return UpdateRequest{Origin: OriginNovuCloud, WorkflowBody: newBody(def, stepIDs)}
}

func newBody(def registry.Workflow, stepIDs map[string]string) WorkflowBody {
	return WorkflowBody{
		WorkflowSettings: WorkflowSettings{
			Name:                 def.Name,
			Description:          def.Description,
			Tags:                 tags(def.Tags),
			Active:               def.Active,
			Severity:             def.Severity,
			ValidatePayload:      def.ValidatePayload,
			IsTranslationEnabled: def.IsTranslationEnabled,
			PayloadSchema:        schema(def.PayloadSchema),
		},
		Preferences: def.Preferences,
		Steps:       steps(def.Steps, stepIDs),
	}
}

// StepIDs maps each stepId of w to its _id, for NewUpdateRequest.
func (w *Workflow) StepIDs() map[string]string {
	m := make(map[string]string, len(w.Steps))
	for _, s := range w.Steps {
		if s.StepID != "" && s.ID != "" {
			m[s.StepID] = s.ID
		}
	}
	return m
}

// tags sends an empty array for no tags: the DTO wants an array, not null.
func tags(t []string) []string {
	if t == nil {
		return []string{}
	}
	return t
}

// schema sends null for no schema, which the DTO allows.
func schema(s json.RawMessage) json.RawMessage {
	if len(s) == 0 {
		return nil
	}
	return s
}

func steps(defs []registry.Step, stepIDs map[string]string) []StepRequest {
	out := make([]StepRequest, 0, len(defs))
	for _, s := range defs { // s is a copy: the entry is not changed
		if s.ControlValues == nil {
			// A step without controlValues has its stored values deleted
			// (docs/novu-api.md §0 trap 4), and null is not allowed: send an empty object.
			s.ControlValues = map[string]any{}
		}
		out = append(out, StepRequest{ID: stepIDs[s.StepID], Step: s})
	}
	return out
}
