package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"

	"github.com/novugen/novugen/internal/novu"
	"github.com/rogpeppe/go-internal/testscript"
)

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
	// The layouts the email steps name exist in Development first, as in
	// the team's own environment: a workflow's sync carries them and
	// fails on one the source lacks.
	made := map[string]bool{}
	for _, b := range bodies {
		var w struct {
			Steps []struct {
				ControlValues struct {
					LayoutID string `json:"layoutId"`
				} `json:"controlValues"`
			} `json:"steps"`
		}
		ts.Check(json.Unmarshal(b, &w))
		for _, st := range w.Steps {
			if l := st.ControlValues.LayoutID; l != "" && !made[l] {
				_, err := c.CreateLayout(ctx, novu.CreateLayoutRequest{LayoutID: l, Name: l})
				ts.Check(err)
				made[l] = true
			}
		}
	}
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

// cmdSynth writes n synthetic workflows as create bodies for seed: synth n
// file. Workflow i combines settings, a payload schema and steps chosen by
// i, so that together they cover every step type, every control, every
// skip operator, every preference switch and the payload schema features
// the import writes back.
func cmdSynth(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: synth n file")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	bodies := make([]map[string]any, n)
	for i := range n {
		bodies[i] = synthetic(i)
	}
	data, err := json.MarshalIndent(bodies, "", "  ")
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

func synthetic(i int) map[string]any {
	pick := func(k int, opts ...any) any { return opts[(i/k)%len(opts)] }
	skips := []any{
		nil,
		map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}},
		map[string]any{"!=": []any{map[string]any{"var": "payload.count"}, 3}},
		map[string]any{">": []any{map[string]any{"var": "payload.count"}, 1.5}},
		map[string]any{">=": []any{map[string]any{"var": "payload.count"}, -2}},
		map[string]any{"<": []any{map[string]any{"var": "payload.count"}, 10}},
		map[string]any{"<=": []any{map[string]any{"var": "payload.count"}, 0}},
		map[string]any{"in": []any{map[string]any{"var": "payload.tier"}, []any{"free", "trial"}}},
		map[string]any{"in": []any{"vip", map[string]any{"var": "payload.tier"}}},
		map[string]any{"and": []any{map[string]any{"var": "payload.tier"}, map[string]any{"!": []any{map[string]any{"var": "subscriber.email"}}}}},
		map[string]any{"or": []any{map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, nil}}, map[string]any{"==": []any{true, false}}}},
	}
	withSkip := func(j int, cv map[string]any) map[string]any {
		if s := skips[(i+j)%len(skips)]; s != nil {
			cv["skip"] = s
		}
		return cv
	}
	targets := []string{"_self", "_blank", "_parent", "_top", "_unfencedTop"}
	units := []string{"seconds", "minutes", "hours", "days", "weeks", "months"}
	kinds := []func(j int) (string, map[string]any){
		func(j int) (string, map[string]any) {
			cv := map[string]any{"subject": fmt.Sprintf("In-app %d {{ payload.tier }}", i), "body": "Body {{ subscriber.firstName }}"}
			if i%2 == 0 {
				cv["avatar"] = "https://example.com/a.png"
				cv["primaryAction"] = map[string]any{"label": "Open", "redirect": map[string]any{"url": "/o/{{ payload.tier }}", "target": targets[i%len(targets)]}}
				cv["secondaryAction"] = map[string]any{"label": "Later"}
				cv["redirect"] = map[string]any{"url": "https://example.com/r"}
				cv["data"] = map[string]any{"n": float64(i), "list": []any{"a", true, nil}, "nested": map[string]any{"x": 0.25}}
				cv["disableOutputSanitization"] = true
			}
			return "in_app", withSkip(j, cv)
		},
		func(j int) (string, map[string]any) {
			cv := map[string]any{"subject": "Mail {{ payload.tier }}", "body": "<p>Hi</p>", "editorType": "html"}
			switch i % 3 {
			case 1:
				cv["layoutId"] = nil
				cv["disableOutputSanitization"] = true
			case 2:
				cv["editorType"] = "block"
				cv["body"] = `{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Hi"}]}]}`
			}
			return "email", withSkip(j, cv)
		},
		func(j int) (string, map[string]any) {
			return "sms", withSkip(j, map[string]any{"body": "SMS {{ payload.count }}"})
		},
		func(j int) (string, map[string]any) {
			return "push", withSkip(j, map[string]any{"subject": "Push", "body": "Body"})
		},
		func(j int) (string, map[string]any) { return "chat", withSkip(j, map[string]any{"body": "Chat"}) },
		func(j int) (string, map[string]any) {
			if i%2 == 1 {
				return "delay", withSkip(j, map[string]any{"type": "timed", "cron": "0 9 * * 1"})
			}
			return "delay", withSkip(j, map[string]any{"type": "regular", "amount": float64(1 + i%5), "unit": units[i%len(units)]})
		},
		func(j int) (string, map[string]any) {
			if i%3 == 0 {
				return "digest", withSkip(j, map[string]any{"type": "timed", "cron": "0 0 * * *", "digestKey": "payload.tier"})
			}
			return "digest", withSkip(j, map[string]any{"type": "regular", "amount": float64(2), "unit": units[(i+1)%len(units)],
				"lookBackWindow": map[string]any{"amount": float64(5), "unit": "minutes"}})
		},
		func(j int) (string, map[string]any) {
			if i%2 == 0 {
				return "throttle", withSkip(j, map[string]any{"type": "dynamic", "dynamicKey": "payload.count", "threshold": float64(2)})
			}
			return "throttle", withSkip(j, map[string]any{"type": "fixed", "amount": float64(1), "unit": []string{"minutes", "hours", "days"}[i%3], "throttleKey": "payload.tier"})
		},
		func(int) (string, map[string]any) {
			return "custom", map[string]any{"custom": map[string]any{"i": float64(i), "s": "x", "b": false}}
		},
		func(int) (string, map[string]any) {
			cv := map[string]any{"method": []string{"GET", "POST", "PUT", "DELETE", "PATCH"}[i%5], "url": "https://example.com/hook"}
			if i%2 == 0 {
				cv["headers"] = []any{map[string]any{"key": "X-I", "value": strconv.Itoa(i)}}
				cv["body"] = `{"i": 1}`
				cv["responseBodySchema"] = map[string]any{"type": "object", "properties": map[string]any{"ok": map[string]any{"type": "boolean"}}}
				cv["enforceSchemaValidation"] = true
				cv["continueOnFailure"] = true
			}
			return "http_request", cv
		},
	}
	var steps []any
	for j := range 1 + i%4 {
		typ, cv := kinds[(i+j*3)%len(kinds)](j)
		steps = append(steps, map[string]any{"stepId": fmt.Sprintf("step-%d", j), "name": fmt.Sprintf("Step %d", j), "type": typ, "controlValues": cv})
	}
	schema := map[string]any{"type": "object", "required": []any{"tier"}, "properties": map[string]any{
		"tier":  map[string]any{"type": "string", "enum": []any{"free", "pro"}},
		"count": map[string]any{"type": pick(1, "integer", "number")},
		"meta": map[string]any{"type": "object", "properties": map[string]any{
			"tags": map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []any{"k"}, "properties": map[string]any{"k": map[string]any{"type": "string"}}}},
			"note": map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "null"}}},
		}},
	}}
	if i%5 == 0 {
		schema["additionalProperties"] = false
		meta := schema["properties"].(map[string]any)["meta"].(map[string]any)
		meta["additionalProperties"] = false
		meta["properties"].(map[string]any)["tags"].(map[string]any)["items"].(map[string]any)["additionalProperties"] = false
	}
	set := func(on bool) map[string]any { return map[string]any{"enabled": on} }
	prefs := map[string]any{"workflow": map[string]any{
		"all":      map[string]any{"enabled": i%7 != 0, "readOnly": i%3 == 0},
		"channels": map[string]any{"in_app": set(i%2 == 0), "email": set(i%3 != 0), "sms": set(i%4 == 0), "chat": set(i%5 != 0), "push": set(i%6 == 0)},
	}, "user": nil}
	if i%4 == 1 {
		prefs["user"] = map[string]any{"all": map[string]any{"enabled": true, "readOnly": false},
			"channels": map[string]any{"in_app": set(true), "email": set(false), "sms": set(true), "chat": set(true), "push": set(true)}}
	}
	return map[string]any{
		"workflowId":           fmt.Sprintf("synthetic-%03d", i),
		"name":                 fmt.Sprintf("Synthetic %d", i),
		"description":          pick(2, "", "A synthetic workflow."),
		"tags":                 pick(3, []any{}, []any{"synthetic"}, []any{"a", "b"}),
		"active":               i%4 != 3,
		"severity":             pick(1, "none", "low", "medium", "high"),
		"validatePayload":      i%2 == 0,
		"isTranslationEnabled": i%5 == 2,
		"payloadSchema":        schema,
		"preferences":          prefs,
		"steps":                steps,
	}
}
