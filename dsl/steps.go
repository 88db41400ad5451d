package dsl

// Step is one step of a workflow, built by one of the step functions (InApp,
// Email, SMS, Push, Chat, Delay, Digest, Throttle, Custom, HTTPRequest). Each
// takes a stepId, which must stay stable across edits (Novu matches a synced
// step by it), a display name, and typed control values. A field left at its
// zero value is not sent, so Novu's default applies; exceptions are noted on
// the field.
type Step struct {
	def      StepDef
	pos      Pos
	problems []string
	layout   *DeclaredLayout // the layout an email step uses, when declared in Go
}

// Unit is a unit of time for delays, digests and throttles.
type Unit string

// Units. Throttle windows accept only Minutes, Hours and Days.
const (
	Seconds Unit = "seconds"
	Minutes Unit = "minutes"
	Hours   Unit = "hours"
	Days    Unit = "days"
	Weeks   Unit = "weeks"
	Months  Unit = "months"
)

// EditorType says how Novu reads an email body.
type EditorType string

// Editor types.
const (
	// EditorHTML: the body is HTML (with Liquid). What novugen sends when
	// EmailControls.EditorType is empty.
	EditorHTML EditorType = "html"
	// EditorBlock: the body is a Maily JSON document from Novu's block
	// editor. Novu clears any other body to "" under this editor.
	EditorBlock EditorType = "block"
)

// Target is where a redirect opens, as in an HTML link's target.
type Target string

// Redirect targets.
const (
	TargetSelf        Target = "_self"
	TargetBlank       Target = "_blank"
	TargetParent      Target = "_parent"
	TargetTop         Target = "_top"
	TargetUnfencedTop Target = "_unfencedTop"
)

// HTTPMethod is the method of an http_request step.
type HTTPMethod string

// HTTP methods Novu accepts.
const (
	MethodGet    HTTPMethod = "GET"
	MethodPost   HTTPMethod = "POST"
	MethodPut    HTTPMethod = "PUT"
	MethodDelete HTTPMethod = "DELETE"
	MethodPatch  HTTPMethod = "PATCH"
)

// DelayType selects how a delay is computed.
type DelayType string

// Delay types.
const (
	DelayRegular DelayType = "regular" // wait Amount Units
	DelayTimed   DelayType = "timed"   // wait until Cron next fires
)

// DigestType selects how a digest window is computed.
type DigestType string

// Digest types.
const (
	DigestRegular DigestType = "regular" // collect for Amount Units
	DigestTimed   DigestType = "timed"   // collect until Cron next fires
)

// ThrottleType selects how a throttle window is computed.
type ThrottleType string

// Throttle types.
const (
	ThrottleFixed   ThrottleType = "fixed"   // a window of Amount Units
	ThrottleDynamic ThrottleType = "dynamic" // a window read from DynamicKey
)

// Redirect is where a click leads. The zero Redirect is not sent.
type Redirect struct {
	URL    string // required by Novu once a redirect is sent
	Target Target
}

// Action is an in-app notification button. The zero Action is not sent.
type Action struct {
	Label    string
	Redirect Redirect
}

// Layout chooses an email layout. Novu distinguishes three cases, so Layout
// does too: the zero Layout sends no layoutId (Novu's default layout),
// NoLayout sends null (no layout at all), LayoutID names one made
// elsewhere, and DefineLayout declares one that novugen manages.
type Layout struct {
	id   string
	none bool
	set  bool
	decl *DeclaredLayout // set by DefineLayout
}

// NoLayout sends the email without any layout (layoutId: null).
var NoLayout = Layout{none: true, set: true}

// LayoutID uses the layout with the given identifier.
func LayoutID(id string) Layout { return Layout{id: id, set: true} }

// InAppControls are the controls of an in_app step. Novu needs a Subject or a
// Body.
type InAppControls struct {
	Subject         string
	Body            string
	Avatar          string // URL, a path starting with /, or {{ variable }}
	PrimaryAction   Action
	SecondaryAction Action
	Redirect        Redirect       // where clicking the notification leads
	Data            map[string]any // extra data for the Inbox; nil is not sent
	// DisableOutputSanitization sends the rendered content unescaped.
	DisableOutputSanitization bool
	Skip                      Cond
}

// EmailControls are the controls of an email step. Novu requires Subject.
type EmailControls struct {
	Subject string
	Body    string
	// EditorType is how Novu reads Body. Empty sends "html", not Novu's own
	// default "block": under "block" Novu clears any body that is not a Maily
	// JSON document (docs/novu-api.md §7.2), so hand-written HTML would arrive empty.
	EditorType                EditorType
	Layout                    Layout
	DisableOutputSanitization bool
	Skip                      Cond
}

// SMSControls are the controls of an sms step.
type SMSControls struct {
	Body string
	Skip Cond
}

// PushControls are the controls of a push step.
type PushControls struct {
	Subject string
	Body    string
	Skip    Cond
}

// ChatControls are the controls of a chat step.
type ChatControls struct {
	Body string
	Skip Cond
}

// DelayControls are the controls of a delay step: Amount and Unit for a
// regular delay, Cron for a timed one.
type DelayControls struct {
	// Type is always sent, since Novu requires it. Empty means DelayTimed
	// when Cron is set and DelayRegular otherwise.
	Type   DelayType
	Amount int
	Unit   Unit
	Cron   string
	Skip   Cond
}

// Window is a span of time, such as a digest's look-back window. The zero
// Window is not sent.
type Window struct {
	Amount int
	Unit   Unit
}

// DigestControls are the controls of a digest step: Amount and Unit (and
// optionally LookBackWindow) for a regular digest, Cron for a timed one.
// Later steps read the collected events as steps.<stepId>.events and their
// number as steps.<stepId>.eventCount.
type DigestControls struct {
	// Type is always sent, because Novu reads the other fields by it. Empty
	// means DigestTimed when Cron is set and DigestRegular otherwise.
	Type           DigestType
	Amount         int
	Unit           Unit
	LookBackWindow Window
	Cron           string
	DigestKey      string // groups events by this key instead of the subscriber
	Skip           Cond
}

// ThrottleControls are the controls of a throttle step: Amount and Unit for
// a fixed window, DynamicKey for a dynamic one.
type ThrottleControls struct {
	// Type is always sent, since Novu requires it. Empty means
	// ThrottleDynamic when DynamicKey is set and ThrottleFixed otherwise.
	Type        ThrottleType
	Amount      int
	Unit        Unit   // Minutes, Hours or Days
	DynamicKey  string // e.g. "payload.timestamp"
	Threshold   int    // executions allowed per window; Novu's default is 1
	ThrottleKey string // groups throttling by this key
	Skip        Cond
}

// CustomControls are the controls of a custom step: one free object, sent as
// the "custom" control. Custom steps take no skip condition.
type CustomControls struct {
	Custom map[string]any
}

// Header is one HTTP header of an http_request step.
type Header struct {
	Key   string
	Value string
}

// HTTPRequestControls are the controls of an http_request step. Novu
// requires Method and URL. HTTP request steps take no skip condition.
type HTTPRequestControls struct {
	Method  HTTPMethod
	URL     string
	Headers []Header
	// Body is the request body as raw JSON text. (Novu's legacy key-value
	// body form is not offered.)
	Body string
	// ResponseBodySchema is a JSON Schema for the response; later steps may
	// reference its fields as steps.<stepId>.<field>.
	ResponseBodySchema      map[string]any
	EnforceSchemaValidation bool
	ContinueOnFailure       bool
}

// InApp declares an in_app step: a notification in the subscriber's Inbox.
func InApp(stepID, name string, c InAppControls) Step {
	return declare(TypeInApp, stepID, name, c, "InApp")
}

// Email declares an email step.
func Email(stepID, name string, c EmailControls) Step {
	return declare(TypeEmail, stepID, name, c, "Email")
}

// SMS declares an sms step.
func SMS(stepID, name string, c SMSControls) Step {
	return declare(TypeSMS, stepID, name, c, "SMS")
}

// Push declares a push step.
func Push(stepID, name string, c PushControls) Step {
	return declare(TypePush, stepID, name, c, "Push")
}

// Chat declares a chat step.
func Chat(stepID, name string, c ChatControls) Step {
	return declare(TypeChat, stepID, name, c, "Chat")
}

// Delay declares a delay step, which holds the following steps back.
func Delay(stepID, name string, c DelayControls) Step {
	return declare(TypeDelay, stepID, name, c, "Delay")
}

// Digest declares a digest step, which collects triggers into one event for
// the following steps.
func Digest(stepID, name string, c DigestControls) Step {
	return declare(TypeDigest, stepID, name, c, "Digest")
}

// Throttle declares a throttle step, which stops the workflow once the
// threshold of executions in the window is reached.
func Throttle(stepID, name string, c ThrottleControls) Step {
	return declare(TypeThrottle, stepID, name, c, "Throttle")
}

// Custom declares a custom step.
func Custom(stepID, name string, c CustomControls) Step {
	return declare(TypeCustom, stepID, name, c, "Custom")
}

// HTTPRequest declares an http_request step, which calls an HTTP endpoint.
func HTTPRequest(stepID, name string, c HTTPRequestControls) Step {
	return declare(TypeHTTPRequest, stepID, name, c, "HTTPRequest")
}
