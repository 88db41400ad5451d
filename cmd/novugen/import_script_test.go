package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdEmulator starts an emulator in the test process that lives as long as
// the script and points NOVU_API_URL and the keys of every environment at
// it, so that novugen import and a later apply -plan see the same Novu.
func cmdEmulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: emulator")
	}
	srv := novutest.NewServer(novutest.Options{})
	ts.Defer(srv.Close)
	ts.Setenv("NOVU_API_URL", srv.URL())
	ts.Setenv("NOVU_SECRET_KEY", srv.Key("Development"))
	ts.Setenv("NOVU_SECRET_KEY_STAGING", srv.Key("Staging"))
	ts.Setenv("NOVU_SECRET_KEY_PRODUCTION", srv.Key("Production"))
}

// cmdSeed writes workflows into the script's emulator as a team's own
// tools would have: seed file. The file is a JSON array of create bodies,
// or a registry file (its "workflows"), posted to Development as they are
// (so a body may lack what novugen always sends) and synced to Staging and
// Production.
func cmdSeed(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: seed file")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var bodies []json.RawMessage
	if json.Unmarshal(data, &bodies) != nil {
		var reg struct {
			Workflows []json.RawMessage `json:"workflows"`
		}
		ts.Check(json.Unmarshal(data, &reg))
		bodies = reg.Workflows
	}
	base, key := ts.Getenv("NOVU_API_URL"), ts.Getenv("NOVU_SECRET_KEY")
	c, err := novu.New(novu.Config{BaseURL: base, Key: novu.Secret(key)})
	ts.Check(err)
	ctx := context.Background()
	envs, err := c.Environments(ctx)
	ts.Check(err)
	for _, b := range bodies {
		var id struct {
			WorkflowID string `json:"workflowId"`
		}
		ts.Check(json.Unmarshal(b, &id))
		req, err := http.NewRequest(http.MethodPost, base+"/v2/workflows", bytes.NewReader(b))
		ts.Check(err)
		req.Header.Set("Authorization", "ApiKey "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		ts.Check(err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			ts.Fatalf("seed %s: POST /v2/workflows answered %s", id.WorkflowID, resp.Status)
		}
		for _, e := range envs {
			if e.Name == "Development" {
				continue
			}
			if _, err := c.SyncWorkflow(ctx, id.WorkflowID, e.ID); err != nil {
				ts.Fatalf("seed %s: sync to %s: %v", id.WorkflowID, e.Name, err)
			}
		}
	}
	fmt.Fprintf(ts.Stdout(), "seeded %d workflows\n", len(bodies))
}
