package novu

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/novugen/novugen/registry"
)

func testDefinition() registry.Workflow {
	return registry.Workflow{
		WorkflowID: "payout-initiated", Name: "Payout initiated", Active: false,
		Severity: registry.SeverityHigh, ValidatePayload: true,
		PayloadSchema: json.RawMessage(`{"type":"object"}`),
		Preferences: registry.Preferences{Workflow: &registry.PreferenceSet{
			All:      registry.AllPreference{Enabled: true, ReadOnly: true},
			Channels: map[registry.Channel]registry.ChannelPreference{registry.ChannelEmail: {Enabled: true}},
		}},
		Steps: []registry.Step{
			{StepID: "notice", Name: "Notice", Type: registry.TypeInApp, ControlValues: map[string]any{"body": "hi"}},
			{StepID: "custom", Name: "Custom", Type: registry.TypeCustom},
		},
	}
}

// The bodies carry every field, even false and empty ones: Novu's defaults
// differ from the spec's (active), preferences.user null clears stale user
// preferences, and a step without controlValues would lose its stored ones.
func TestRequestBodies(t *testing.T) {
	def := testDefinition()
	create, err := json.Marshal(NewCreateRequest(def))
	if err != nil {
		t.Fatal(err)
	}
	wantCreate := `{"workflowId":"payout-initiated","name":"Payout initiated","description":"","tags":[],"active":false,"severity":"high","validatePayload":true,"isTranslationEnabled":false,"payloadSchema":{"type":"object"},"preferences":{"workflow":{"all":{"enabled":true,"readOnly":true},"channels":{"email":{"enabled":true}}},"user":null},"steps":[{"stepId":"notice","name":"Notice","type":"in_app","controlValues":{"body":"hi"}},{"stepId":"custom","name":"Custom","type":"custom","controlValues":{}}]}`
	if string(create) != wantCreate {
		t.Errorf("create body\n got %s\nwant %s", create, wantCreate)
	}
	update, err := json.Marshal(NewUpdateRequest(def, map[string]string{"notice": "6650c0ffee0000000000b001", "gone": "x"}))
	if err != nil {
		t.Fatal(err)
	}
	wantUpdate := `{"origin":"novu-cloud","name":"Payout initiated","description":"","tags":[],"active":false,"severity":"high","validatePayload":true,"isTranslationEnabled":false,"payloadSchema":{"type":"object"},"preferences":{"workflow":{"all":{"enabled":true,"readOnly":true},"channels":{"email":{"enabled":true}}},"user":null},"steps":[{"_id":"6650c0ffee0000000000b001","stepId":"notice","name":"Notice","type":"in_app","controlValues":{"body":"hi"}},{"stepId":"custom","name":"Custom","type":"custom","controlValues":{}}]}`
	if string(update) != wantUpdate {
		t.Errorf("update body\n got %s\nwant %s", update, wantUpdate)
	}
	def.PayloadSchema = nil
	b, _ := json.Marshal(NewCreateRequest(def))
	if !bytes.Contains(b, []byte(`"payloadSchema":null`)) {
		t.Errorf("no schema must be sent as null: %s", b)
	}
}

func TestCreateSendsTheBody(t *testing.T) {
	var got []byte
	var ctype string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		ctype = r.Header.Get("Content-Type")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"data": {"_id": "a1", "workflowId": "payout-initiated-x7k2p9", "steps": []}}`)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	req := NewCreateRequest(testDefinition())
	wf, err := c.CreateWorkflow(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(req)
	if !bytes.Equal(got, want) || ctype != "application/json" {
		t.Errorf("sent %s (%s), want %s", got, ctype, want)
	}
	// The client reports what Novu answered; the engine compares ids (docs/novu-api.md §5).
	if wf.WorkflowID != "payout-initiated-x7k2p9" {
		t.Errorf("workflowId %q", wf.WorkflowID)
	}
}

// TestWorkflowBodyIsTheEntry: a create body is the registry entry, key for
// key and in the same order, and an update body is the same without
// workflowId; a step is the entry's step after its _id. A field added to
// registry.Workflow and forgotten here would otherwise never reach Novu.
func TestWorkflowBodyIsTheEntry(t *testing.T) {
	var keys func(reflect.Type) []string
	keys = func(typ reflect.Type) []string {
		var out []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				out = append(out, keys(f.Type)...)
				continue
			}
			out = append(out, name)
		}
		return out
	}
	entry := keys(reflect.TypeFor[registry.Workflow]())
	if got := keys(reflect.TypeFor[CreateRequest]()); !slices.Equal(got, entry) {
		t.Errorf("create body keys %v,\nentry keys %v", got, entry)
	}
	if got, want := keys(reflect.TypeFor[UpdateRequest]()), append([]string{"origin"}, entry[1:]...); !slices.Equal(got, want) {
		t.Errorf("update body keys %v, want %v", got, want)
	}
	if got, want := keys(reflect.TypeFor[StepRequest]()), append([]string{"_id"}, keys(reflect.TypeFor[registry.Step]())...); !slices.Equal(got, want) {
		t.Errorf("step keys %v, want %v", got, want)
	}
}
