package payloadschema_test

import (
	"encoding/json"
	"time"

	"github.com/invopop/jsonschema"
)

// Payload types the tests turn into schemas. Each golden file in testdata/ is named
// after the case that uses it in schemaCases.

type Flat struct {
	OrderID  string  `json:"orderId"`
	Quantity int     `json:"quantity"`
	Total    float64 `json:"total"`
	Gift     bool    `json:"gift"`
	Secret   string  `json:"-"`
	internal string
}

type Address struct {
	Street string `json:"street"`
	City   string `json:"city"`
	Zip    string `json:"zip,omitempty"`
}

type Nested struct {
	OrderID  string  `json:"orderId"`
	Shipping Address `json:"shipping"`
	Customer struct {
		Name  string `json:"name"`
		Email string `json:"email" jsonschema:"format=email"`
	} `json:"customer"`
}

type PointerToStruct struct {
	Billing *Address `json:"billing,omitempty"`
	Notes   *string  `json:"notes,omitzero"`
}

type LineItem struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity" jsonschema:"minimum=1"`
}

type SliceOfStructs struct {
	Items    []LineItem  `json:"items"`
	Pointers []*LineItem `json:"pointers,omitempty"`
	Pair     [2]string   `json:"pair"`
	Raw      []byte      `json:"raw,omitempty"`
}

type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Label is a named string: a map keyed by it is still a string-keyed map.
type Label string

type Maps struct {
	Labels map[Label]string `json:"labels"`
	Totals map[string]Money `json:"totals,omitempty"`
}

type Times struct {
	PlacedAt    time.Time  `json:"placedAt"`
	DeliveredAt *time.Time `json:"deliveredAt,omitempty"`
}

// Tier carries its enum with a JSONSchema method on a value receiver, which
// invopop/jsonschema honours.
type Tier string

func (Tier) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: []any{"free", "pro", "enterprise"}}
}

type Enums struct {
	Carrier  string `json:"carrier" jsonschema:"enum=ups,enum=dhl,enum=fedex"`
	Priority int    `json:"priority" jsonschema:"enum=1,enum=2,enum=3"`
	Tier     Tier   `json:"tier"`
	Tiers    []Tier `json:"tiers,omitempty"`
}

type Optionality struct {
	Plain       string `json:"plain"`
	OmitEmpty   string `json:"omitEmpty,omitempty"`
	OmitZero    int    `json:"omitZero,omitzero"`
	ForcedByTag string `json:"forcedByTag,omitempty" jsonschema:"required"`
	Last        bool   `json:"last"`
}

type Coupon struct {
	Code string `json:"code"`
}

type PointerWithoutOmitEmpty struct {
	Coupon   *Coupon `json:"coupon"`
	Discount *int    `json:"discount" jsonschema:"nullable"`
}

type Base struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
}

type Audit struct {
	Actor string `json:"actor,omitempty"`
}

type Trace struct {
	TraceID string `json:"traceId"`
}

type Embedded struct {
	Base
	*Audit
	Money  `json:"money"` // a tagged embedded struct is a named property, not flattened
	Status string         `json:"status"`
}

// EmbeddedNilable embeds a pointer whose field is required: a nil Trace sends no
// traceId, which the schema requires.
type EmbeddedNilable struct {
	*Trace
	Status string `json:"status"`
}

// EmbeddedTaggedInline embeds a struct with the inline option and no json
// name: encoding/json flattens it anyway, as the schema does.
type EmbeddedTaggedInline struct {
	Base   `json:",inline"`
	Status string `json:"status"`
}

// Note is a non-struct type to embed.
type Note string

// EmbeddedTaggedNote names its embedded non-struct: sent as "note".
type EmbeddedTaggedNote struct {
	Note `json:"note"`
}

// TextKey marshals as text, so encoding/json writes it as a string map key.
type TextKey [2]byte

func (k TextKey) MarshalText() ([]byte, error) { return k[:], nil }

type Tagged struct {
	Title string  `json:"title" jsonschema:"description=Shown as the subject,minLength=1,maxLength=120"`
	Score float64 `json:"score" jsonschema:"minimum=0,maximum=100"`
	Code  string  `json:"code" jsonschema:"pattern=^[A-Z]{3}$"`
	Count int     `json:"count,string"`
}

// OrderPayload is the payload of the Example and the validation tests.
type OrderPayload struct {
	OrderID   string            `json:"orderId" jsonschema:"minLength=1"`
	Customer  Customer          `json:"customer"`
	Items     []LineItem        `json:"items"`
	Total     Money             `json:"total"`
	Tier      Tier              `json:"tier"`
	PlacedAt  time.Time         `json:"placedAt"`
	Shipping  *Address          `json:"shipping,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
	Carrier   string            `json:"carrier,omitempty" jsonschema:"enum=ups,enum=dhl"`
	GiftNote  string            `json:"giftNote,omitempty"`
	Expedited bool              `json:"expedited"`
}

type Customer struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// FreeForm has every kind of free-form field: an open object (a map of
// any or of raw JSON) and any JSON value (any, json.RawMessage), also
// optional, in a list, and inside a nested struct.
type FreeForm struct {
	OrderID  string                     `json:"orderId"`
	Metadata map[string]any             `json:"metadata"`
	Raw      map[string]json.RawMessage `json:"raw,omitempty"`
	Extra    any                        `json:"extra"`
	Blob     json.RawMessage            `json:"blob,omitempty"`
	Opt      *json.RawMessage           `json:"opt,omitempty"`
	Events   []any                      `json:"events,omitempty"`
	Source   struct {
		Attrs map[string]any `json:"attrs"`
	} `json:"source"`
}

type WithTextKeys struct {
	ByKey map[TextKey]int `json:"byKey"`
}

// Stamp marshals itself as a string, which its derived schema cannot know.
type Stamp struct{ time.Time }

type WithStamp struct {
	At Stamp `json:"at"`
}

// Unsigned integers get minimum 0: encoding/json never sends a negative one.
type Unsigned struct {
	Count   uint              `json:"count"`
	Small   uint8             `json:"small"`
	Medium  uint16            `json:"medium"`
	Large   uint32            `json:"large"`
	Huge    uint64            `json:"huge"`
	Maybe   *uint             `json:"maybe,omitempty"`
	List    []uint            `json:"list"`
	ByName  map[string]uint32 `json:"byName"`
	Named   Retries           `json:"named"`
	AtLeast uint              `json:"atLeast" jsonschema:"minimum=1"`
	Level   Level             `json:"level"`
}

type Retries uint16

// Level describes itself, so its schema is left as it says.
type Level uint8

func (Level) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "integer", Enum: []any{1, 2, 3}}
}
