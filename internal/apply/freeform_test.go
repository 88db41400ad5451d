package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/payloadschema"
)

// orderWithMetadata has the free-form fields real payloads carry: a
// metadata bag (an open object) and an opaque value (any JSON).
type orderWithMetadata struct {
	OrderID  string          `json:"orderId"`
	Metadata map[string]any  `json:"metadata"`
	Extra    json.RawMessage `json:"extra,omitempty"`
}

// A workflow whose payload has free-form fields is applied with its
// generated schema and validatePayload on, and triggers in the emulator
// with any value below those fields; the fields' shape and the fixed
// fields are still checked.
func TestFreeFormPayloadAppliesAndTriggers(t *testing.T) {
	s, err := payloadschema.Generate(reflect.TypeFor[orderWithMetadata](), payloadschema.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defs := synth(1)
	defs[0].PayloadSchema = s.JSON
	defs[0].Steps[0].ControlValues["body"] = "Order {{payload.orderId}} from {{payload.metadata.source.channel}} {{payload.extra.note}}"
	delete(defs[0].Steps[2].ControlValues, "skip") // it reads payload.tier, which this payload has not
	srv := newServer(t, novutest.Options{})
	apply(t, context.Background(), testConfig(srv, true), defs)

	trigger := func(payload any) int {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"name": defs[0].WorkflowID, "to": "sub-1", "payload": payload})
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/v1/events/trigger", bytes.NewReader(body))
		req.Header.Set("Authorization", "ApiKey "+srv.Key("Development"))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	sent := orderWithMetadata{OrderID: "o-1", Metadata: map[string]any{
		"source": map[string]any{"channel": "web", "ip": "10.0.0.1"}, "score": 9.5, "tags": []any{"a", true, nil},
	}, Extra: json.RawMessage(`{"note":"gift","lines":[1,2]}`)}
	if st := trigger(sent); st != http.StatusCreated {
		t.Errorf("trigger with a metadata bag: %d", st)
	}
	if evs := srv.Events("Development"); len(evs) != 1 || evs[0].Payload["metadata"] == nil {
		t.Errorf("events %+v", evs)
	}
	for name, bad := range map[string]any{
		"metadata not an object": map[string]any{"orderId": "o-2", "metadata": "web"},
		"orderId not a string":   map[string]any{"orderId": 2, "metadata": map[string]any{}},
		"undeclared key":         map[string]any{"orderId": "o-3", "metadata": map[string]any{}, "tier": "pro"},
	} {
		if st := trigger(bad); st != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, st)
		}
	}
}
