package novutest

import "encoding/json"

// Environment is one Novu environment of the emulated organization.
type Environment struct {
	ID         string `json:"_id"`        // 24-hex _id, the value sync's targetEnvironmentId takes
	Name       string `json:"name"`       // e.g. "Staging"
	Identifier string `json:"identifier"` // public application identifier
	SecretKey  string `json:"secretKey"`  // the API key that selects this environment
}

// Workflow is a stored workflow. Its json tags follow Novu's
// WorkflowResponseDto, so json.Marshal of a Workflow is what GET answers
// inside {"data": …}. Server-computed fields (Slug, Status, step Slug,
// Controls, Variables, Issues) are recomputed on every write.
type Workflow struct {
	ID                   string         `json:"_id"`
	WorkflowID           string         `json:"workflowId"`
	Slug                 string         `json:"slug"`
	Name                 string         `json:"name"`
	Description          string         `json:"description,omitempty"`
	Tags                 []string       `json:"tags"`
	Active               bool           `json:"active"`
	ValidatePayload      bool           `json:"validatePayload"`
	PayloadSchema        map[string]any `json:"payloadSchema"`
	IsTranslationEnabled bool           `json:"isTranslationEnabled"`
	Severity             string         `json:"severity"`
	Origin               string         `json:"origin"`
	Status               string         `json:"status"`
	Preferences          Preferences    `json:"preferences"`
	Steps                []Step         `json:"steps"`
	Activity                            // last, as Novu sends them
}

// Activity is when a workflow was created, written, published and
// triggered, and by whom: the fields a workflow's GET and its list item
// (GET /v2/workflows) both end with.
type Activity struct {
	CreatedAt       string  `json:"createdAt"`
	UpdatedAt       string  `json:"updatedAt"`
	UpdatedBy       *User   `json:"updatedBy,omitempty"`
	LastPublishedAt *string `json:"lastPublishedAt,omitempty"`
	LastPublishedBy *User   `json:"lastPublishedBy,omitempty"`
	LastTriggeredAt *string `json:"lastTriggeredAt,omitempty"`
}

// Step is one step of a workflow, shaped as Novu's StepResponseDto.
type Step struct {
	ID                 string         `json:"_id"`
	StepID             string         `json:"stepId"`
	Slug               string         `json:"slug"`
	Name               string         `json:"name"`
	Type               string         `json:"type"`
	Origin             string         `json:"origin"`
	WorkflowID         string         `json:"workflowId"`
	WorkflowDatabaseID string         `json:"workflowDatabaseId"`
	ControlValues      map[string]any `json:"controlValues,omitempty"` // nil after a write without controlValues
	Controls           Controls       `json:"controls"`
	Variables          map[string]any `json:"variables"`
	Issues             *StepIssues    `json:"issues,omitempty"`
}

// Controls is a step's controls metadata: the values with defaults filled
// and the schema of the step type.
type Controls struct {
	Values     map[string]any `json:"values"`
	DataSchema map[string]any `json:"dataSchema,omitempty"`
}

// StepIssues lists content problems Novu reports instead of failing a write.
type StepIssues struct {
	Controls map[string][]ContentIssue `json:"controls,omitempty"`
}

// ContentIssue is one control problem, e.g. MISSING_VALUE.
type ContentIssue struct {
	IssueType    string `json:"issueType"`
	VariableName string `json:"variableName,omitempty"`
	Message      string `json:"message"`
}

// Preferences holds a workflow's default preferences and what subscribers
// may change (nil when not set).
type Preferences struct {
	Default PreferenceSet  `json:"default"`
	User    *PreferenceSet `json:"user"`
}

// PreferenceSet is Novu's WorkflowPreferencesDto.
type PreferenceSet struct {
	All      AllPreference                `json:"all"`
	Channels map[string]ChannelPreference `json:"channels"`
}

// AllPreference is the preference for all channels at once.
type AllPreference struct {
	Enabled  bool `json:"enabled"`
	ReadOnly bool `json:"readOnly"`
}

// ChannelPreference is the preference for one channel.
type ChannelPreference struct {
	Enabled bool `json:"enabled"`
}

// User is the minimal UserResponseDto the emulator fills in.
type User struct {
	ID string `json:"_id"`
}

// Event is a trigger the emulator accepted, from a single, bulk or
// broadcast trigger. A repeated transactionId is answered but not recorded
// again, as Novu delivers it once.
type Event struct {
	WorkflowID    string         `json:"workflowId"`
	TransactionID string         `json:"transactionId"`
	To            any            `json:"to"`                  // as sent: a subscriber id, object, topic, or a list; nil for a broadcast
	Payload       map[string]any `json:"payload"`             // with schema defaults filled, as Novu stores it
	Status        string         `json:"status"`              // "processed" or "trigger_not_active"
	Actor         any            `json:"actor,omitempty"`     // as sent
	Tenant        any            `json:"tenant,omitempty"`    // as sent
	Broadcast     bool           `json:"broadcast,omitempty"` // sent to every subscriber (POST /v1/events/trigger/broadcast)
	Cancelled     bool           `json:"cancelled,omitempty"` // DELETE /v1/events/trigger/{transactionId} cancelled it
	Time          string         `json:"time"`
}

// Webhook is an outbound webhook event Novu would send to the
// organization's endpoint after a workflow changed. The emulator sends
// none; it records them so tests can count what a change costs the user.
type Webhook struct {
	Type       string `json:"type"`       // one of the Webhook* constants
	WorkflowID string `json:"workflowId"` // the workflow it concerns, in the environment it is recorded in
	Time       string `json:"time"`
}

// Novu's workflow webhook events (WebhookEventEnum).
const (
	WebhookWorkflowCreated   = "workflow.created"
	WebhookWorkflowUpdated   = "workflow.updated"
	WebhookWorkflowDeleted   = "workflow.deleted"
	WebhookWorkflowPublished = "workflow.published"
)

// clone returns a deep copy of w. JSON is the simplest deep copy that is
// correct for the nested maps of control values and schemas.
func (w Workflow) clone() Workflow {
	data, err := json.Marshal(w)
	if err != nil {
		panic("novutest: cannot copy workflow: " + err.Error())
	}
	var c Workflow
	if err := json.Unmarshal(data, &c); err != nil {
		panic("novutest: cannot copy workflow: " + err.Error())
	}
	return c
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic("novutest: cannot copy map: " + err.Error())
	}
	var c map[string]any
	if err := json.Unmarshal(data, &c); err != nil {
		panic("novutest: cannot copy map: " + err.Error())
	}
	return c
}

var channels = []string{"in_app", "email", "sms", "chat", "push"}

func defaultPreferenceSet() PreferenceSet {
	p := PreferenceSet{All: AllPreference{Enabled: true}, Channels: map[string]ChannelPreference{}}
	for _, c := range channels {
		p.Channels[c] = ChannelPreference{Enabled: true}
	}
	return p
}
