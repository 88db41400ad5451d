package dsl_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
)

// stepOf declares a workflow around one step and returns that step's wire
// form, the way every consumer sees it.
func stepOf(t *testing.T, s dsl.Step) dsl.StepDef {
	t.Helper()
	w := dsl.Define[struct{}]("wf", dsl.Settings{Name: "Wf", Active: dsl.Active}, s)
	if p := w.Problems(); len(p) != 0 {
		t.Fatalf("unexpected problems: %v", p)
	}
	steps := w.Definition().Steps
	if len(steps) != 1 {
		t.Fatalf("got %d steps, want 1", len(steps))
	}
	return steps[0]
}

func TestStepControlValues(t *testing.T) {
	skip := dsl.Eq(dsl.Var("payload.tier"), "pro")
	skipWire := map[string]any{"==": []any{map[string]any{"var": "payload.tier"}, "pro"}}

	tests := []struct {
		name string
		step dsl.Step
		want dsl.StepDef
	}{
		{
			name: "in_app with every control",
			step: dsl.InApp("notice", "Notice", dsl.InAppControls{
				Subject: "Hi {{subscriber.firstName}}",
				Body:    "Order {{payload.orderId}} & more <b>now</b>",
				Avatar:  "/avatar.png",
				PrimaryAction: dsl.Action{Label: "Track", Redirect: dsl.Redirect{
					URL: "https://example.com/t/{{payload.orderId}}", Target: dsl.TargetBlank,
				}},
				SecondaryAction: dsl.Action{Label: "Dismiss"},
				Redirect:        dsl.Redirect{URL: "/orders"},
				Data: map[string]any{
					"count": 3, "ratio": float32(0.1), "big": int64(1<<53 - 1), "ok": true, "none": nil,
					"list": []string{"a", "b"}, "nested": map[string]int{"x": 1},
				},
				DisableOutputSanitization: true,
				Skip:                      skip,
			}),
			want: dsl.StepDef{StepID: "notice", Name: "Notice", Type: dsl.TypeInApp, ControlValues: map[string]any{
				"subject": "Hi {{subscriber.firstName}}",
				"body":    "Order {{payload.orderId}} & more <b>now</b>",
				"avatar":  "/avatar.png",
				"primaryAction": map[string]any{"label": "Track", "redirect": map[string]any{
					"url": "https://example.com/t/{{payload.orderId}}", "target": "_blank",
				}},
				"secondaryAction": map[string]any{"label": "Dismiss"},
				"redirect":        map[string]any{"url": "/orders"},
				"data": map[string]any{
					"count": 3.0, "ratio": 0.1, "big": float64(1<<53 - 1), "ok": true, "none": nil,
					"list": []any{"a", "b"}, "nested": map[string]any{"x": 1.0},
				},
				"disableOutputSanitization": true,
				"skip":                      skipWire,
			}},
		},
		{
			name: "in_app with nothing set sends nothing",
			step: dsl.InApp("n", "N", dsl.InAppControls{}),
			want: dsl.StepDef{StepID: "n", Name: "N", Type: dsl.TypeInApp, ControlValues: map[string]any{}},
		},
		{
			name: "in_app empty data map is sent",
			step: dsl.InApp("n", "N", dsl.InAppControls{Body: "b", Data: map[string]any{}}),
			want: dsl.StepDef{StepID: "n", Name: "N", Type: dsl.TypeInApp, ControlValues: map[string]any{
				"body": "b", "data": map[string]any{},
			}},
		},
		{
			name: "email defaults to the html editor and the default layout",
			step: dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "S", Body: "<p>B</p>"}),
			want: dsl.StepDef{StepID: "mail", Name: "Mail", Type: dsl.TypeEmail, ControlValues: map[string]any{
				"subject": "S", "body": "<p>B</p>", "editorType": "html",
			}},
		},
		{
			name: "email with no layout sends null",
			step: dsl.Email("mail", "Mail", dsl.EmailControls{Subject: "S", Layout: dsl.NoLayout}),
			want: dsl.StepDef{StepID: "mail", Name: "Mail", Type: dsl.TypeEmail, ControlValues: map[string]any{
				"subject": "S", "editorType": "html", "layoutId": nil,
			}},
		},
		{
			name: "email with a layout, block editor, sanitization off and skip",
			step: dsl.Email("mail", "Mail", dsl.EmailControls{
				Subject: "S", Body: `{"type":"doc"}`, EditorType: dsl.EditorBlock,
				Layout: dsl.LayoutID("brand"), DisableOutputSanitization: true, Skip: skip,
			}),
			want: dsl.StepDef{StepID: "mail", Name: "Mail", Type: dsl.TypeEmail, ControlValues: map[string]any{
				"subject": "S", "body": `{"type":"doc"}`, "editorType": "block", "layoutId": "brand",
				"disableOutputSanitization": true, "skip": skipWire,
			}},
		},
		{
			name: "sms",
			step: dsl.SMS("text", "Text", dsl.SMSControls{Body: "Code {{payload.code}}", Skip: skip}),
			want: dsl.StepDef{StepID: "text", Name: "Text", Type: dsl.TypeSMS, ControlValues: map[string]any{
				"body": "Code {{payload.code}}", "skip": skipWire,
			}},
		},
		{
			name: "push",
			step: dsl.Push("push", "Push", dsl.PushControls{Subject: "T", Body: "B", Skip: skip}),
			want: dsl.StepDef{StepID: "push", Name: "Push", Type: dsl.TypePush, ControlValues: map[string]any{
				"subject": "T", "body": "B", "skip": skipWire,
			}},
		},
		{
			name: "chat",
			step: dsl.Chat("chat", "Chat", dsl.ChatControls{Body: "B", Skip: skip}),
			want: dsl.StepDef{StepID: "chat", Name: "Chat", Type: dsl.TypeChat, ControlValues: map[string]any{
				"body": "B", "skip": skipWire,
			}},
		},
		{
			name: "delay regular",
			step: dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 2, Unit: dsl.Hours, Skip: skip}),
			want: dsl.StepDef{StepID: "wait", Name: "Wait", Type: dsl.TypeDelay, ControlValues: map[string]any{
				"type": "regular", "amount": 2.0, "unit": "hours", "skip": skipWire,
			}},
		},
		{
			name: "delay timed inferred from cron",
			step: dsl.Delay("wait", "Wait", dsl.DelayControls{Cron: "0 9 * * 1"}),
			want: dsl.StepDef{StepID: "wait", Name: "Wait", Type: dsl.TypeDelay, ControlValues: map[string]any{
				"type": "timed", "cron": "0 9 * * 1",
			}},
		},
		{
			name: "delay with nothing set still sends its required type",
			step: dsl.Delay("wait", "Wait", dsl.DelayControls{}),
			want: dsl.StepDef{StepID: "wait", Name: "Wait", Type: dsl.TypeDelay, ControlValues: map[string]any{
				"type": "regular",
			}},
		},
		{
			name: "delay explicit type wins over inference",
			step: dsl.Delay("wait", "Wait", dsl.DelayControls{Type: dsl.DelayRegular, Cron: "0 9 * * 1"}),
			want: dsl.StepDef{StepID: "wait", Name: "Wait", Type: dsl.TypeDelay, ControlValues: map[string]any{
				"type": "regular", "cron": "0 9 * * 1",
			}},
		},
		{
			name: "digest regular with look-back window and key",
			step: dsl.Digest("collect", "Collect", dsl.DigestControls{
				Amount: 7, Unit: dsl.Days, LookBackWindow: dsl.Window{Amount: 30, Unit: dsl.Minutes},
				DigestKey: "payload.projectId", Skip: skip,
			}),
			want: dsl.StepDef{StepID: "collect", Name: "Collect", Type: dsl.TypeDigest, ControlValues: map[string]any{
				"type": "regular", "amount": 7.0, "unit": "days",
				"lookBackWindow": map[string]any{"amount": 30.0, "unit": "minutes"},
				"digestKey":      "payload.projectId", "skip": skipWire,
			}},
		},
		{
			name: "digest timed inferred from cron",
			step: dsl.Digest("collect", "Collect", dsl.DigestControls{Cron: "0 8 * * 1"}),
			want: dsl.StepDef{StepID: "collect", Name: "Collect", Type: dsl.TypeDigest, ControlValues: map[string]any{
				"type": "timed", "cron": "0 8 * * 1",
			}},
		},
		{
			name: "throttle fixed",
			step: dsl.Throttle("limit", "Limit", dsl.ThrottleControls{
				Amount: 1, Unit: dsl.Hours, Threshold: 3, ThrottleKey: "payload.accountId", Skip: skip,
			}),
			want: dsl.StepDef{StepID: "limit", Name: "Limit", Type: dsl.TypeThrottle, ControlValues: map[string]any{
				"type": "fixed", "amount": 1.0, "unit": "hours", "threshold": 3.0,
				"throttleKey": "payload.accountId", "skip": skipWire,
			}},
		},
		{
			name: "throttle dynamic inferred from dynamicKey",
			step: dsl.Throttle("limit", "Limit", dsl.ThrottleControls{DynamicKey: "payload.until"}),
			want: dsl.StepDef{StepID: "limit", Name: "Limit", Type: dsl.TypeThrottle, ControlValues: map[string]any{
				"type": "dynamic", "dynamicKey": "payload.until",
			}},
		},
		{
			name: "custom",
			step: dsl.Custom("enrich", "Enrich", dsl.CustomControls{Custom: map[string]any{
				"mode": "fast", "retries": uint8(2), "tags": []any{"a", 1},
			}}),
			want: dsl.StepDef{StepID: "enrich", Name: "Enrich", Type: dsl.TypeCustom, ControlValues: map[string]any{
				"custom": map[string]any{"mode": "fast", "retries": 2.0, "tags": []any{"a", 1.0}},
			}},
		},
		{
			name: "custom with nothing set",
			step: dsl.Custom("enrich", "Enrich", dsl.CustomControls{}),
			want: dsl.StepDef{StepID: "enrich", Name: "Enrich", Type: dsl.TypeCustom, ControlValues: map[string]any{}},
		},
		{
			name: "http_request with every control",
			step: dsl.HTTPRequest("lookup", "Lookup", dsl.HTTPRequestControls{
				Method:  dsl.MethodPost,
				URL:     "https://api.example.com/orders/{{payload.orderId}}",
				Headers: []dsl.Header{{Key: "Content-Type", Value: "application/json"}, {Key: "X-Trace", Value: "1"}},
				Body:    `{"id": "{{payload.orderId}}"}`,
				ResponseBodySchema: map[string]any{
					"type": "object", "properties": map[string]any{"eta": map[string]any{"type": "string"}},
				},
				EnforceSchemaValidation: true,
				ContinueOnFailure:       true,
			}),
			want: dsl.StepDef{StepID: "lookup", Name: "Lookup", Type: dsl.TypeHTTPRequest, ControlValues: map[string]any{
				"method": "POST",
				"url":    "https://api.example.com/orders/{{payload.orderId}}",
				"headers": []any{
					map[string]any{"key": "Content-Type", "value": "application/json"},
					map[string]any{"key": "X-Trace", "value": "1"},
				},
				"body": `{"id": "{{payload.orderId}}"}`,
				"responseBodySchema": map[string]any{
					"type": "object", "properties": map[string]any{"eta": map[string]any{"type": "string"}},
				},
				"enforceSchemaValidation": true,
				"continueOnFailure":       true,
			}},
		},
		{
			name: "http_request minimal",
			step: dsl.HTTPRequest("ping", "Ping", dsl.HTTPRequestControls{Method: dsl.MethodGet, URL: "https://example.com"}),
			want: dsl.StepDef{StepID: "ping", Name: "Ping", Type: dsl.TypeHTTPRequest, ControlValues: map[string]any{
				"method": "GET", "url": "https://example.com",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, stepOf(t, tt.step)); diff != "" {
				t.Errorf("step (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCondJSONLogic(t *testing.T) {
	v := func(p string) map[string]any { return map[string]any{"var": p} }
	tests := []struct {
		name string
		cond dsl.Cond
		want any
	}{
		{"var", dsl.Var("payload.gift"), v("payload.gift")},
		{"eq", dsl.Eq(dsl.Var("payload.tier"), "pro"), map[string]any{"==": []any{v("payload.tier"), "pro"}}},
		{"ne", dsl.Ne(dsl.Var("payload.tier"), nil), map[string]any{"!=": []any{v("payload.tier"), nil}}},
		{"gt", dsl.Gt(dsl.Var("payload.amount"), 4), map[string]any{">": []any{v("payload.amount"), 4.0}}},
		{"gte", dsl.Gte(dsl.Var("payload.amount"), 4.5), map[string]any{">=": []any{v("payload.amount"), 4.5}}},
		{"lt", dsl.Lt(dsl.Var("payload.n"), int64(-1)), map[string]any{"<": []any{v("payload.n"), -1.0}}},
		{"lte", dsl.Lte(1, dsl.Var("payload.n")), map[string]any{"<=": []any{1.0, v("payload.n")}}},
		{"in list", dsl.In(dsl.Var("payload.country"), []string{"DE", "AT"}),
			map[string]any{"in": []any{v("payload.country"), []any{"DE", "AT"}}}},
		{"in string", dsl.In("vip", dsl.Var("subscriber.data.segments")),
			map[string]any{"in": []any{"vip", v("subscriber.data.segments")}}},
		{"not", dsl.Not(dsl.Var("subscriber.email")), map[string]any{"!": []any{v("subscriber.email")}}},
		{"and or", dsl.And(dsl.Eq(dsl.Var("payload.tier"), "pro"), dsl.Or(dsl.Eq(true, dsl.Var("payload.a")), dsl.Var("payload.b"))),
			map[string]any{"and": []any{
				map[string]any{"==": []any{v("payload.tier"), "pro"}},
				map[string]any{"or": []any{map[string]any{"==": []any{true, v("payload.a")}}, v("payload.b")}},
			}}},
		{"zero", dsl.Cond{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.cond.JSONLogic()); diff != "" {
				t.Errorf("JSONLogic (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCondString(t *testing.T) {
	c := dsl.And(dsl.Eq(dsl.Var("payload.tier"), "pro"), dsl.Gt(dsl.Var("payload.amount"), 4))
	want := `{"and":[{"==":[{"var":"payload.tier"},"pro"]},{">":[{"var":"payload.amount"},4]}]}`
	if got := c.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if !(dsl.Cond{}).IsZero() || c.IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestCondJSONLogicIsACopy(t *testing.T) {
	c := dsl.Eq(dsl.Var("payload.tier"), "pro")
	c.JSONLogic().(map[string]any)["=="] = "changed"
	if got := c.String(); got != `{"==":[{"var":"payload.tier"},"pro"]}` {
		t.Errorf("condition changed through JSONLogic(): %s", got)
	}
}
