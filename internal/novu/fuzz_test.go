package novu

import (
	"errors"
	"net/http"
	"testing"
)

// FuzzDecodeResponse feeds any status and body to the decoders. Properties:
// they never panic; a 2xx either decodes or gives a *DecodeError; any other
// status gives an *APIError carrying that status; error texts stay short
// whatever the body's size.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, []byte(workflowJSON))
	f.Add(201, []byte(`{"data": {"_id": "a1", "workflowId": "x", "steps": [{"controls": {"values": {"a": 1}}}]}}`))
	f.Add(200, []byte(`{"data": {"workflows": [{"_id": "a"}], "totalCount": 1}}`))
	f.Add(404, []byte(`{"statusCode": 404, "message": "Workflow cannot be found", "workflowId": "x"}`))
	f.Add(422, []byte(`{"errors": {"name": {"messages": ["bad"], "value": 1}}}`))
	f.Add(400, []byte(`{"errors": [{"message": "m", "path": ["steps", 0]}]}`))
	f.Add(502, []byte("<html><title>502</title></html>"))
	f.Add(200, []byte(`{"data": null}`))
	f.Add(500, []byte(`"oops"`))
	const maxText = 32 << 10
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 100 + (status%900+900)%900
		}
		if status >= 200 && status < 300 {
			for _, out := range []any{new(Workflow), new([]Environment), new(struct {
				Workflows *[]WorkflowSummary `json:"workflows"`
			})} {
				err := decodeData("GET", "/v2/workflows/x", status, body, out)
				if err == nil {
					continue
				}
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("2xx decode error %T, want *DecodeError", err)
				}
				if len(de.Body) > 4*maxExcerpt+3 || len(err.Error()) > maxText {
					t.Fatalf("decode error of %d bytes", len(err.Error()))
				}
			}
			return
		}
		e := decodeError("POST", "/v2/workflows", status, body)
		if e.Status != status {
			t.Fatalf("status %d, want %d", e.Status, status)
		}
		text := e.Error()
		if len(text) > maxText || len(e.Body) > 4*maxExcerpt+3 {
			t.Fatalf("error text of %d bytes, excerpt of %d", len(text), len(e.Body))
		}
		if errors.Is(e, ErrNotFound) != (status == http.StatusNotFound) {
			t.Fatalf("ErrNotFound match wrong for %d", status)
		}
		if errors.Is(e, ErrOutcomeUnknown) != (status >= 500 || status == 408) {
			t.Fatalf("ErrOutcomeUnknown match wrong for POST %d", status)
		}
	})
}
