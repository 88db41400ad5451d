package validate

import (
	"testing"

	"github.com/novugen/novugen/registry"
)

func TestDefinitionRejectsBadHTTPRequests(t *testing.T) {
	http := func(cv map[string]any) func(d *registry.Workflow) {
		return func(d *registry.Workflow) {
			d.Steps = append(d.Steps, registry.Step{StepID: "call", Name: "Call", Type: registry.TypeHTTPRequest, ControlValues: cv})
		}
	}
	hc := func(control, msg string) Finding { return ctl("call", control, msg) }
	runRows(t, []row{
		{"nothing", http(nil), []Finding{
			hc("method", "http_request steps need a method: GET, POST, PUT, DELETE or PATCH"),
			hc("url", "http_request steps need a url"),
		}},
		{"bad method, empty url", http(map[string]any{"method": "FETCH", "url": ""}), []Finding{
			hc("method", `"FETCH" is not one of GET, POST, PUT, DELETE or PATCH`),
			hc("url", "must not be empty"),
		}},
		{"headers and body", http(map[string]any{
			"method": "POST", "url": "https://x.example",
			"headers": []any{map[string]any{"key": "A"}, "B: c"},
			"body":    12.0,
		}), []Finding{
			hc("body", "must be a JSON string (or a legacy list of {key, value}), not a number"),
			hc("headers[0].value", "value is required in headers[0]"),
			hc("headers[1]", "must be an object, not a string"),
		}},
		{"url that is not a URL, body that is not JSON", http(map[string]any{
			"method": "POST", "url": "not a url", "body": "{not json",
		}), []Finding{
			hc("body", "is not valid JSON (invalid character 'n' looking for beginning of object key string); Novu sends the body as a JSON document"),
			hc("url", `"not a url" is not a URL Novu accepts; use an absolute http(s) URL, such as https://api.example.com/hook, or a {{ variable }}`),
		}},
		{"relative url", http(map[string]any{"method": "GET", "url": "/hook"}), []Finding{
			hc("url", `"/hook" is not a URL Novu accepts; use an absolute http(s) URL, such as https://api.example.com/hook, or a {{ variable }}`),
		}},
		{"scheme before a template", http(map[string]any{"method": "GET", "url": "ftp://{{payload.orderId}}"}), []Finding{
			hc("url", `"ftp://{{payload.orderId}}" has scheme "ftp", which Novu does not open; use an absolute http(s) URL, such as https://api.example.com/hook, or a {{ variable }}`),
		}},
		{"templated url and body, empty body", http(map[string]any{
			"method": "POST", "url": "{{payload.orderId}}", "body": `{"id": {{payload.orderId}}}`,
		}), nil},
		{"json body, empty body", http(map[string]any{"method": "POST", "url": "HTTPS://x.example/a?b=c", "body": " "}), nil},
		{"legacy body pairs", http(map[string]any{
			"method": "POST", "url": "https://x.example",
			"body": []any{map[string]any{"key": "a", "value": "{{payload.orderId}}", "extra": 1.0}},
		}), []Finding{
			hc("body[0].extra", "unknown field of body[0]; it takes key and value"),
		}},
	})
}
