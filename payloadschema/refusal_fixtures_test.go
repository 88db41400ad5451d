package payloadschema_test

import (
	"fmt"
	"net/url"
	"reflect"
	"unsafe"

	"github.com/invopop/jsonschema"
)

// Payload types Generate refuses (refusals_test.go): each cannot become a
// schema, or would become one that says otherwise than encoding/json sends.

type WithUntagged struct {
	OrderID string
}

// NamedInline tags a named field inline, an option encoding/json v1 does not
// have: it sends {"audit": {"actor": ...}}, not the flattened actor the
// library would describe.
type NamedInline struct {
	Audit  Audit  `json:"audit,inline"`
	Status string `json:"status"`
}

// UnnamedInline is NamedInline without the json name: sent as "Audit".
type UnnamedInline struct {
	Audit *Audit `json:",inline"`
}

// InlineString tags a non-struct inline: encoding/json sends "code", the
// library leaves it out.
type InlineString struct {
	Code string `json:"code,inline"`
}

// DashName tags a field `json:"-,"`, encoding/json's name for a key "-":
// it sends {"-": ...}, which the library skips as if tagged `json:"-"`.
type DashName struct {
	//lint:ignore SA5008 the tag under test, which staticcheck flags too
	Internal string `json:"-,"`
	Status   string `json:"status"`
}

// Unchecked sends "note", which jsonschema:"-" leaves out of the schema.
type Unchecked struct {
	ID   string `json:"id"`
	Note string `json:"note,omitempty" jsonschema:"-"`
}

// UncheckedEmbedded flattens Base's fields into what encoding/json sends,
// and jsonschema:"-" leaves them all out of the schema.
type UncheckedEmbedded struct {
	Base   `jsonschema:"-"`
	Status string `json:"status"`
}

// EmbeddedNote embeds a non-struct without a json tag: encoding/json sends it
// as "Note", named after its type.
type EmbeddedNote struct {
	Note
	Status string `json:"status"`
}

// EmbeddedNotePointer is EmbeddedNote through a pointer: sent as "Note" too.
type EmbeddedNotePointer struct {
	*Note `jsonschema:"nullable"`
}

// memo is an unexported non-struct type: encoding/json never sends an
// embedded field of it, tagged or not, but the library would describe it.
type memo string

type EmbeddedUnexportedNonStruct struct {
	memo
	Status string `json:"status"`
}

type EmbeddedUnexportedNonStructPointer struct {
	*memo  `json:"memo,omitempty"`
	Status string `json:"status"`
}

type TreeNode struct {
	Name     string     `json:"name"`
	Children []TreeNode `json:"children"`
}

type RecursiveDeep struct {
	Items []Item `json:"items"`
}

type SelfEmbedding struct {
	*SelfEmbedding
	Name string `json:"name"`
}

type WithChan struct {
	Updates chan string `json:"updates"`
}

type WithFunc struct {
	Callback func() error `json:"callback"`
}

type WithComplex struct {
	Ratio complex128 `json:"ratio"`
}

type WithUnsafe struct {
	Ptr unsafe.Pointer `json:"ptr"`
}

type WithStringer struct {
	Label fmt.Stringer `json:"label"`
}

type WithURL struct {
	Link url.URL `json:"link"`
}

type WithIntKeys struct {
	ByID map[int]string `json:"byId"`
}

// PointerTier puts JSONSchema on a pointer receiver, which the library ignores (#102).
type PointerTier string

func (*PointerTier) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: []any{"a", "b"}}
}

type WithPointerReceiver struct {
	Tier PointerTier `json:"tier"`
}

type WithExtras struct {
	Name string `json:"name" jsonschema_extras:"x-internal=true"`
}

type DuplicateName struct {
	Base
	Identifier string `json:"id"`
}

type WithRefTag struct {
	Target string `json:"target" jsonschema:"oneof_ref=#/definitions/a;#/definitions/b"`
}

type WithUnknownFormat struct {
	Phone string `json:"phone/mobile" jsonschema:"format=phone"`
}

// DraftLater returns a schema with a keyword from a later draft.
type DraftLater string

func (DraftLater) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Deprecated: true}
}

type WithDraftLater struct {
	Old DraftLater `json:"old"`
}

// Panicky's JSONSchema method panics; Generate must survive it.
type Panicky string

func (Panicky) JSONSchema() *jsonschema.Schema { panic("boom") }

type WithPanicky struct {
	P Panicky `json:"p"`
}

// StringRoot is a struct whose JSONSchema makes it a string, so it cannot be a payload.
type StringRoot struct{}

func (StringRoot) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "string"} }

// ManyFaults has a fault in several fields, one of them nested, and fields
// that are fine between them: each fault is reported, in field order.
type ManyFaults struct {
	Data   fmt.Stringer `json:"data"`
	Name   string       `json:"name"`
	Events chan string  `json:"events"`
	Tree   TreeNode     `json:"tree"`
	Nested WithChan     `json:"nested"`
	Base
	Identifier string            `json:"id"`
	Counts     map[int]complex64 `json:"counts"`
	Checked    bool              `json:"checked"`
}

// unexportedInline is struct { audit Audit `json:",inline"`; Status string
// `json:"status"` }: encoding/json sends no unexported field, while the
// library would flatten the struct's fields. Built by reflection because
// go vet refuses a json tag on an unexported field in source, which is the
// very mistake under test.
var unexportedInline = reflect.StructOf([]reflect.StructField{
	{Name: "audit", PkgPath: reflect.TypeFor[Audit]().PkgPath(), Type: reflect.TypeFor[Audit](), Tag: `json:",inline"`},
	{Name: "Status", Type: reflect.TypeFor[string](), Tag: `json:"status"`},
})

// Item refers to itself through a pointer.
type Item struct {
	SKU    string `json:"sku"`
	Parent *Item  `json:"parent,omitempty"`
}
