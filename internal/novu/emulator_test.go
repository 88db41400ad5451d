package novu_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
	"github.com/novugen/novugen/registry"
)

// These tests run the client against the project's Novu emulator, which
// shares no types with it: a wrong json tag on either side fails here.

func emulator(t *testing.T, opts novutest.Options) (*novutest.Server, *novu.Client) {
	t.Helper()
	srv := testenv.Emulator(t, opts)
	c, err := novu.New(novu.Config{
		BaseURL:    srv.URL(),
		Key:        novu.Secret(srv.Key("Development")),
		MaxBackoff: time.Millisecond, // real sleeps here; keep them tiny
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func definition() registry.Workflow {
	all := map[registry.Channel]registry.ChannelPreference{}
	for _, ch := range registry.Channels {
		all[ch] = registry.ChannelPreference{Enabled: true}
	}
	return registry.Workflow{
		WorkflowID: "order-shipped", Name: "Order shipped", Description: "Tells the customer",
		Tags: []string{"orders", "novugen"}, Active: true, Severity: registry.SeverityMedium,
		ValidatePayload: true,
		PayloadSchema:   json.RawMessage(`{"type":"object","properties":{"orderId":{"type":"string"}},"required":["orderId"]}`),
		Preferences: registry.Preferences{Workflow: &registry.PreferenceSet{
			All: registry.AllPreference{Enabled: true}, Channels: all,
		}},
		Steps: []registry.Step{
			{StepID: "notice", Name: "Notice", Type: registry.TypeInApp, ControlValues: map[string]any{"body": "Order {{payload.orderId}} shipped"}},
			{StepID: "wait", Name: "Wait", Type: registry.TypeDelay, ControlValues: map[string]any{"type": "regular", "amount": 2.0, "unit": "hours"}},
		},
	}
}

func TestEmulatorRoundTrip(t *testing.T) {
	srv, c := emulator(t, novutest.Options{Seed: 1})
	ctx := context.Background()

	envs, err := c.Environments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, e := range envs {
		byName[e.Name] = e.ID
	}
	if len(envs) != 3 || byName["Staging"] == "" {
		t.Fatalf("environments %+v", envs)
	}

	def := definition()
	if _, err := c.GetWorkflow(ctx, def.WorkflowID, ""); !errors.Is(err, novu.ErrNotFound) {
		t.Fatalf("get before create: %v, want ErrNotFound", err)
	}
	created, err := c.CreateWorkflow(ctx, novu.NewCreateRequest(def))
	if err != nil {
		t.Fatal(err)
	}
	if created.WorkflowID != def.WorkflowID || created.Origin != novu.OriginNovuCloud || len(created.Steps) != 2 {
		t.Fatalf("created %+v", created)
	}

	got, err := c.GetWorkflow(ctx, def.WorkflowID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != def.Name || !got.Active || got.Severity != def.Severity || got.Steps[1].ControlValues["amount"] != 2.0 ||
		got.Preferences.Default == nil || !got.Preferences.Default.All.Enabled {
		t.Errorf("read back %+v", got)
	}

	// Update keeping step identity: the kept step's _id survives.
	def.Name = "Order shipped!"
	def.Steps = def.Steps[:1]
	updated, err := c.UpdateWorkflow(ctx, def.WorkflowID, novu.NewUpdateRequest(def, got.StepIDs()))
	if err != nil {
		t.Fatal(err)
	}
	if updated.Name != def.Name || len(updated.Steps) != 1 || updated.Steps[0].ID != got.Steps[0].ID {
		t.Errorf("update lost step identity: %+v", updated.Steps)
	}

	list, err := c.ListWorkflows(ctx, novu.ListOptions{Tags: []string{"novugen"}, Limit: 1})
	if err != nil || len(list) != 1 || list[0].WorkflowID != def.WorkflowID {
		t.Fatalf("list: %v %+v", err, list)
	}

	synced, err := c.SyncWorkflow(ctx, def.WorkflowID, byName["Staging"])
	if err != nil {
		t.Fatal(err)
	}
	if synced.WorkflowID != def.WorkflowID || synced.ID == updated.ID {
		t.Errorf("sync answered %+v, want Staging's copy", synced)
	}
	if w, ok := srv.Workflow("Staging", def.WorkflowID); !ok || w.Name != def.Name {
		t.Errorf("Staging copy %+v, %v", w, ok)
	}

	if err := c.DeleteWorkflow(ctx, def.WorkflowID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteWorkflow(ctx, def.WorkflowID); !errors.Is(err, novu.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
}

// A create whose connection is cut after the server stored it must not be
// sent again: the emulator ends with one workflow, under the requested id.
func TestEmulatorCutCreateIsNotRepeated(t *testing.T) {
	srv, c := emulator(t, novutest.Options{Seed: 2, DisableIdempotency: true, Faults: novutest.Faults{CutAfterWrite: 1}})
	ctx := context.Background()
	def := definition()
	_, err := c.CreateWorkflow(ctx, novu.NewCreateRequest(def))
	if !errors.Is(err, novu.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	srv.SetFaults(novutest.Faults{})
	if got := srv.Workflows("Development"); len(got) != 1 || got[0].WorkflowID != def.WorkflowID {
		t.Fatalf("emulator holds %d workflows, want exactly the one requested", len(got))
	}
	if n := srv.Counts().Op("create"); n.Requests != 1 || n.Cut != 1 {
		t.Errorf("creates: %+v, want 1 request, cut once", n)
	}
	// What the engine does next: GET, and find it.
	if _, err := c.GetWorkflow(ctx, def.WorkflowID, ""); err != nil {
		t.Errorf("get after unknown outcome: %v", err)
	}
}

func TestEmulatorFaultsAreRetried(t *testing.T) {
	srv, c := emulator(t, novutest.Options{Seed: 3, Faults: novutest.Faults{P502: 0.3, P503: 0.3}})
	ctx := context.Background()
	for range 20 {
		if _, err := c.Environments(ctx); err != nil {
			t.Fatal(err)
		}
	}
	st := c.Stats()
	if st.Retries == 0 || st.Requests != int64(srv.Counts().Total()) || st.Requests != 20+st.Retries {
		t.Errorf("stats %+v, emulator saw %d requests", st, srv.Counts().Total())
	}
}
