package payloadschema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/novugen/novugen/payloadschema"
)

func TestGenerateRejectsTypesThatCannotBecomeASchema(t *testing.T) {
	// A struct type without a name is named by its text.
	const unexportedInlineName = `struct { audit payloadschema_test.Audit "json:\",inline\""; Status string "json:\"status\"" }`
	cases := []struct {
		name    string
		typ     reflect.Type
		field   string // UnsupportedError.Field
		message string // whole Error()
	}{
		{"recursive", reflect.TypeFor[TreeNode](), "TreeNode.Children[]",
			"TreeNode.Children[]: recursive type payloadschema_test.TreeNode: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID"},
		{"recursive through pointer", reflect.TypeFor[RecursiveDeep](), "RecursiveDeep.Items[].Parent",
			"RecursiveDeep.Items[].Parent: recursive type payloadschema_test.Item: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID"},
		{"recursive embedding", reflect.TypeFor[SelfEmbedding](), "SelfEmbedding.SelfEmbedding",
			"SelfEmbedding.SelfEmbedding: recursive type payloadschema_test.SelfEmbedding: it embeds itself, which Novu's inline payload schema cannot express; break the cycle"},
		{"untagged", reflect.TypeFor[WithUntagged](), "WithUntagged.OrderID",
			"WithUntagged.OrderID: has no json tag, so its JSON name would be the Go name \"OrderID\"; add one, e.g. `json:\"orderID\"`"},
		{"named inline", reflect.TypeFor[NamedInline](), "NamedInline.Audit",
			`NamedInline.Audit: encoding/json ignores the inline option and sends the field as the object "audit": embed the struct without a json name to flatten it, or drop ,inline to nest it`},
		{"unnamed inline", reflect.TypeFor[UnnamedInline](), "UnnamedInline.Audit",
			"UnnamedInline.Audit: encoding/json ignores the inline option and sends the field as the object \"Audit\": embed the struct without a json name to flatten it, or tag it `json:\"audit\"` instead to nest it"},
		{"unexported inline", unexportedInline, unexportedInlineName + ".audit",
			unexportedInlineName + ".audit: encoding/json ignores the inline option and sends no unexported field, but the schema would describe the struct's fields; embed the struct without a json name to flatten it, or drop ,inline to leave it out"},
		{"inline non-struct", reflect.TypeFor[InlineString](), "InlineString.Code",
			`InlineString.Code: encoding/json ignores the inline option and sends the field as "code", which the schema would leave out; drop ,inline`},
		{"json name -", reflect.TypeFor[DashName](), "DashName.Internal",
			"DashName.Internal: `json:\"-,\"` is encoding/json's name for a key literally named \"-\": it sends the field as \"-\", which the schema would leave out; tag it `json:\"-\"` to keep it out of the payload, or give it a json name"},
		{"embedded non-struct", reflect.TypeFor[EmbeddedNote](), "EmbeddedNote.Note",
			"EmbeddedNote.Note: is embedded without a json tag, so encoding/json sends it as a field named after its type, \"Note\"; give it a json name, e.g. `json:\"note\"`, or make it a named field with one"},
		{"embedded pointer to non-struct", reflect.TypeFor[EmbeddedNotePointer](), "EmbeddedNotePointer.Note",
			"EmbeddedNotePointer.Note: is embedded without a json tag, so encoding/json sends it as a field named after its type, \"Note\"; give it a json name, e.g. `json:\"note\"`, or make it a named field with one"},
		{"embedded unexported non-struct", reflect.TypeFor[EmbeddedUnexportedNonStruct](), "EmbeddedUnexportedNonStruct.memo",
			"EmbeddedUnexportedNonStruct.memo: encoding/json never sends an embedded field of an unexported non-struct type, but the schema would describe it as \"memo\"; tag it `json:\"-\"`, or make it an exported field with a json tag"},
		{"embedded pointer to unexported non-struct", reflect.TypeFor[EmbeddedUnexportedNonStructPointer](), "EmbeddedUnexportedNonStructPointer.memo",
			"EmbeddedUnexportedNonStructPointer.memo: encoding/json never sends an embedded field of an unexported non-struct type, but the schema would describe it as \"memo\"; tag it `json:\"-\"`, or make it an exported field with a json tag"},
		{"chan", reflect.TypeFor[WithChan](), "WithChan.Updates",
			"WithChan.Updates: chan string cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"func", reflect.TypeFor[WithFunc](), "WithFunc.Callback",
			"WithFunc.Callback: func() error cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"complex", reflect.TypeFor[WithComplex](), "WithComplex.Ratio",
			"WithComplex.Ratio: complex128 cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"unsafe pointer", reflect.TypeFor[WithUnsafe](), "WithUnsafe.Ptr",
			"WithUnsafe.Ptr: unsafe.Pointer cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"interface with methods", reflect.TypeFor[WithStringer](), "WithStringer.Label",
			"WithStringer.Label: fmt.Stringer is an interface with methods, which the schema cannot describe; use a concrete type, or any for a free-form value"},
		{"url", reflect.TypeFor[WithURL](), "WithURL.Link",
			"WithURL.Link: url.URL is sent by encoding/json as an object, but its schema says string; use a string field"},
		{"int map keys", reflect.TypeFor[WithIntKeys](), "WithIntKeys.ByID",
			"WithIntKeys.ByID: map key type int is not a string; a payload schema describes only string-keyed maps"},
		{"pointer receiver", reflect.TypeFor[WithPointerReceiver](), "WithPointerReceiver.Tier",
			"WithPointerReceiver.Tier: payloadschema_test.PointerTier has JSONSchema on a pointer receiver, which invopop/jsonschema ignores (issue #102); declare it on the value receiver"},
		{"extras", reflect.TypeFor[WithExtras](), "WithExtras.Name",
			"WithExtras.Name: jsonschema_extras can write keywords outside draft-07, which Novu's strict validator rejects; use jsonschema tags"},
		{"duplicate name", reflect.TypeFor[DuplicateName](), "DuplicateName.Identifier",
			`DuplicateName.Identifier: JSON name "id" is also used by DuplicateName.Base.ID; encoding/json would send only one of them, so rename one`},
		{"ref from tag", reflect.TypeFor[WithRefTag](), "WithRefTag",
			`WithRefTag: generated schema has keyword "$ref" at /properties/target/oneOf/0, which is not draft-07 or not allowed in a self-contained payload schema; check the jsonschema tags and JSONSchema methods there`},
		{"unknown format", reflect.TypeFor[WithUnknownFormat](), "WithUnknownFormat",
			"WithUnknownFormat: generated schema has format phone at /properties/phone~1mobile/format, which Novu's validator does not know; use one of binary, byte, date, date-time, double, duration, email, float, hostname, int32, int64, ipv4, ipv6, iso-date-time, iso-time, json-pointer, json-pointer-uri-fragment, password, regex, relative-json-pointer, time, uri, uri-reference, uri-template, url, uuid"},
		{"later draft keyword", reflect.TypeFor[WithDraftLater](), "WithDraftLater",
			`WithDraftLater: generated schema has keyword "deprecated" at /properties/old, which is not draft-07 or not allowed in a self-contained payload schema; check the jsonschema tags and JSONSchema methods there`},
		{"panicking method", reflect.TypeFor[WithPanicky](), "WithPanicky",
			"WithPanicky: cannot build a schema: boom"},
		{"string root", reflect.TypeFor[string](), "string",
			"string: payload type string is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"slice root", reflect.TypeFor[[]OrderPayload](), "[]payloadschema_test.OrderPayload",
			"[]payloadschema_test.OrderPayload: payload type []payloadschema_test.OrderPayload is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"pointer to pointer root", reflect.TypeFor[**OrderPayload](), "**payloadschema_test.OrderPayload",
			"**payloadschema_test.OrderPayload: payload type **payloadschema_test.OrderPayload is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"any root", reflect.TypeFor[any](), "interface {}",
			"interface {}: payload type interface {} is not a struct; Novu's payload is a JSON object, so declare a struct (or a pointer to one)"},
		{"time root", reflect.TypeFor[time.Time](), "Time",
			"Time: payload type time.Time is a JSON string; Novu's payload is a JSON object, so declare a struct with a time.Time field"},
		{"struct that is a string", reflect.TypeFor[StringRoot](), "StringRoot",
			"StringRoot: generated schema is not of type object; Novu's payload is a JSON object"},
		{"nil", nil, "payload", "payload: payload type is nil; want a struct type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := payloadschema.Generate(c.typ, payloadschema.Options{})
			if err == nil {
				t.Fatalf("Generate succeeded:\n%s", s.JSON)
			}
			// One fault comes as itself, not as a list of one.
			ue, ok := err.(*payloadschema.UnsupportedError)
			if !ok {
				t.Fatalf("error %T %v is not an *UnsupportedError", err, err)
			}
			if ue.Field != c.field {
				t.Errorf("Field = %q, want %q", ue.Field, c.field)
			}
			if diff := cmp.Diff(c.message, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if s.JSON != nil || s.Warnings != nil {
				t.Errorf("failed Generate returned a schema: %+v", s)
			}
		})
	}
}

// TestSchemaSkipIsRefusedOnlyWhenStrict: a field tagged jsonschema:"-" is
// still sent. The default schema accepts the extra key, so the field is
// merely unchecked; a strict one would have Novu refuse every trigger
// carrying it, so Generate refuses the field instead.
func TestSchemaSkipIsRefusedOnlyWhenStrict(t *testing.T) {
	sent, err := json.Marshal(Unchecked{ID: "o-1", Note: "fragile"})
	if err != nil {
		t.Fatal(err)
	}
	lax, err := payloadschema.Generate(reflect.TypeFor[Unchecked](), payloadschema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(lax.JSON, []byte(`"note"`)) {
		t.Errorf("schema describes the jsonschema:\"-\" field:\n%s", lax.JSON)
	}
	if err := validate(t, compileDraft07(t, lax.JSON), string(sent)); err != nil {
		t.Errorf("default schema rejected %s: %v", sent, err)
	}

	// What the library would write under Strict, the same object without
	// "note" and closed, refuses what encoding/json sends.
	closed, err := payloadschema.Generate(reflect.TypeFor[struct {
		ID string `json:"id"`
	}](), payloadschema.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if validate(t, compileDraft07(t, closed.JSON), string(sent)) == nil {
		t.Fatalf("closed schema accepted %s; the refusal below has no reason", sent)
	}

	for _, c := range []struct {
		typ     reflect.Type
		message string
	}{
		{reflect.TypeFor[Unchecked](), "Unchecked.Note: `jsonschema:\"-\"` leaves the field out of the schema, but encoding/json sends it as \"note\", and with the strict option (Settings.StrictPayload) Novu refuses every trigger carrying an undeclared key; drop `jsonschema:\"-\"` to describe it, tag it `json:\"-\"` if it should not be sent, or drop the strict option to accept it unchecked"},
		{reflect.TypeFor[UncheckedEmbedded](), "UncheckedEmbedded.Base: `jsonschema:\"-\"` leaves the field out of the schema, but encoding/json sends the embedded struct's fields, and with the strict option (Settings.StrictPayload) Novu refuses every trigger carrying an undeclared key; drop `jsonschema:\"-\"` to describe it, tag it `json:\"-\"` if it should not be sent, or drop the strict option to accept it unchecked"},
	} {
		if _, err := payloadschema.Generate(c.typ, payloadschema.Options{}); err != nil {
			t.Errorf("default Generate(%s): %v", c.typ, err)
		}
		s, err := payloadschema.Generate(c.typ, payloadschema.Options{Strict: true})
		if err == nil {
			t.Errorf("strict Generate(%s) succeeded:\n%s", c.typ, s.JSON)
			continue
		}
		if diff := cmp.Diff(c.message, err.Error()); diff != "" {
			t.Errorf("strict Generate(%s) message (-want +got):\n%s", c.typ, diff)
		}
	}
}

func TestGenerateReportsEveryFault(t *testing.T) {
	_, err := payloadschema.Generate(reflect.TypeFor[ManyFaults](), payloadschema.Options{})
	var list payloadschema.UnsupportedErrors
	if !errors.As(err, &list) {
		t.Fatalf("error %T %v is not an UnsupportedErrors", err, err)
	}
	type fault struct{ Field, Reason string }
	var got []fault
	for _, e := range list {
		got = append(got, fault{e.Field, e.Reason})
	}
	want := []fault{
		{"ManyFaults.Data", "fmt.Stringer is an interface with methods, which the schema cannot describe; use a concrete type, or any for a free-form value"},
		{"ManyFaults.Events", "chan string cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"ManyFaults.Tree.Children[]", "recursive type payloadschema_test.TreeNode: Novu's payload schema must be one inline tree without $ref; break the cycle, for example by referring to the parent by ID"},
		{"ManyFaults.Nested.Updates", "chan string cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
		{"ManyFaults.Identifier", `JSON name "id" is also used by ManyFaults.Base.ID; encoding/json would send only one of them, so rename one`},
		{"ManyFaults.Counts", "map key type int is not a string; a payload schema describes only string-keyed maps"},
		{"ManyFaults.Counts[]", "complex64 cannot be encoded as JSON; leave it out of the payload or tag it `json:\"-\"`"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("faults (-want +got):\n%s", diff)
	}

	// The first fault stays reachable as an *UnsupportedError, and the
	// message names every fault on one line.
	var first *payloadschema.UnsupportedError
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As found %v, want the first fault %v", first, list[0])
	}
	msgs := make([]string, len(want))
	for i, f := range want {
		msgs[i] = f.Field + ": " + f.Reason
	}
	if diff := cmp.Diff(strings.Join(msgs, "; "), err.Error()); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
}

// The refused fields are refused because encoding/json sends them other
// than the library would describe them; this pins what it sends, as the
// errors say.
func TestRefusedFieldsAreSentAsTheErrorsSay(t *testing.T) {
	note := Note("n")
	for _, c := range []struct {
		v    any
		want string
	}{
		{NamedInline{Audit: Audit{Actor: "a"}, Status: "s"}, `{"audit":{"actor":"a"},"status":"s"}`},
		{UnnamedInline{Audit: &Audit{Actor: "a"}}, `{"Audit":{"actor":"a"}}`},
		{InlineString{Code: "c"}, `{"code":"c"}`},
		{EmbeddedNote{Note: "n", Status: "s"}, `{"Note":"n","status":"s"}`},
		{EmbeddedNotePointer{Note: &note}, `{"Note":"n"}`},
		{EmbeddedUnexportedNonStruct{memo: "m", Status: "s"}, `{"status":"s"}`},
		{EmbeddedUnexportedNonStructPointer{memo: new(memo), Status: "s"}, `{"status":"s"}`},
	} {
		got, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("encoding/json sends %T as %s, want %s", c.v, got, c.want)
		}
	}
}
