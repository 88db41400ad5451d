package novu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Environments lists every environment of the organization
// (GET /v1/environments). Resolve names to _id with it; never send a name or
// an identifier where an _id is expected (docs/novu-api.md §0 trap 6).
func (c *Client) Environments(ctx context.Context) ([]Environment, error) {
	var envs []Environment
	if err := c.do(ctx, call{method: http.MethodGet, route: "GET /v1/environments", path: "/v1/environments", out: &envs}); err != nil {
		return nil, err
	}
	return envs, nil
}

// GetWorkflow reads one workflow (GET /v2/workflows/{workflowId}). With
// environmentID empty it reads the key's own environment; otherwise it asks for
// ?environmentId=, which current Novu refuses to API keys with 403
// (ErrForbidden, docs/novu-api.md §4.3). An unknown workflow is ErrNotFound.
func (c *Client) GetWorkflow(ctx context.Context, workflowID, environmentID string) (*Workflow, error) {
	if err := checkID("workflowId", workflowID); err != nil {
		return nil, err
	}
	return fetch[Workflow](ctx, c, call{method: http.MethodGet, route: "GET /v2/workflows/{workflowId}", path: workflowPath(workflowID), query: environmentQuery(environmentID)})
}

// ListOptions filters ListWorkflows.
type ListOptions struct {
	Query string   // case-insensitive substring of name or workflowId (not exact)
	Tags  []string // workflows carrying these tags
	Limit int      // page size, 1–100 (default 100)
}

// maxPages stops a server that keeps answering full pages. Novu allows at most
// 100 workflows per environment, so real listings take a few pages.
const maxPages = 1000

// ListWorkflows reads all pages of GET /v2/workflows (offset += limit) and
// returns every item.
func (c *Client) ListWorkflows(ctx context.Context, opts ListOptions) ([]WorkflowSummary, error) {
	limit := opts.Limit
	if limit <= 0 || limit > 100 {
		limit = 100 // recent servers refuse more than 100
	}
	var all []WorkflowSummary
	for page, offset := 0, 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("GET /v2/workflows: stopped after %d pages (%d workflows); the server keeps answering full pages", maxPages, len(all))
		}
		q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
		if opts.Query != "" {
			q.Set("query", opts.Query)
		}
		for _, t := range opts.Tags {
			q.Add("tags", t)
		}
		var resp struct {
			Workflows  *[]WorkflowSummary `json:"workflows"`
			TotalCount *float64           `json:"totalCount"`
		}
		if err := c.do(ctx, call{method: http.MethodGet, route: "GET /v2/workflows", path: "/v2/workflows", query: q, out: &resp}); err != nil {
			return nil, err
		}
		if resp.Workflows == nil {
			return nil, &DecodeError{Method: http.MethodGet, Path: "/v2/workflows", Status: http.StatusOK, Reason: `no "workflows" array in "data"`}
		}
		items := *resp.Workflows
		all = append(all, items...)
		offset += len(items)
		if len(items) < limit || (resp.TotalCount != nil && float64(offset) >= *resp.TotalCount) {
			return all, nil
		}
	}
}

// CreateWorkflow creates a workflow (POST /v2/workflows). Call it only after a
// 404 for the same workflowId: Novu answers an existing id with 201 and a second
// workflow under a suffixed id (docs/novu-api.md §5), so compare the returned WorkflowID
// with the requested one. An error satisfying ErrOutcomeUnknown means the
// create may have happened: GET the id before any new POST.
func (c *Client) CreateWorkflow(ctx context.Context, req CreateRequest) (*Workflow, error) {
	if err := checkID("workflowId", req.WorkflowID); err != nil {
		return nil, err
	}
	return fetch[Workflow](ctx, c, call{method: http.MethodPost, route: "POST /v2/workflows", path: "/v2/workflows", in: req})
}

// UpdateWorkflow replaces a workflow (PUT /v2/workflows/{workflowId}). It never
// creates: an unknown workflow is ErrNotFound.
func (c *Client) UpdateWorkflow(ctx context.Context, workflowID string, req UpdateRequest) (*Workflow, error) {
	if err := checkID("workflowId", workflowID); err != nil {
		return nil, err
	}
	return fetch[Workflow](ctx, c, call{method: http.MethodPut, route: "PUT /v2/workflows/{workflowId}", path: workflowPath(workflowID), in: req})
}

// SyncWorkflow copies a workflow of the key's environment to another
// environment (PUT /v2/workflows/{workflowId}/sync) and returns the target's
// copy. targetEnvironmentID is the environment's _id, not its name or
// identifier (docs/novu-api.md §0 trap 6).
func (c *Client) SyncWorkflow(ctx context.Context, workflowID, targetEnvironmentID string) (*Workflow, error) {
	if err := checkID("workflowId", workflowID); err != nil {
		return nil, err
	}
	if err := checkID("targetEnvironmentId", targetEnvironmentID); err != nil {
		return nil, err
	}
	body := struct {
		TargetEnvironmentID string `json:"targetEnvironmentId"`
	}{targetEnvironmentID}
	return fetch[Workflow](ctx, c, call{method: http.MethodPut, route: "PUT /v2/workflows/{workflowId}/sync", path: workflowPath(workflowID) + "/sync", in: body})
}

// DeleteWorkflow deletes a workflow in the key's environment only
// (DELETE /v2/workflows/{workflowId}); synced copies stay. An unknown workflow
// is ErrNotFound.
func (c *Client) DeleteWorkflow(ctx context.Context, workflowID string) error {
	if err := checkID("workflowId", workflowID); err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, route: "DELETE /v2/workflows/{workflowId}", path: workflowPath(workflowID)})
}

func workflowPath(id string) string { return "/v2/workflows/" + url.PathEscape(id) }

// checkID refuses an empty id, which would address a different route.
func checkID(name, v string) error {
	if v == "" {
		return errors.New("novu: empty " + name)
	}
	return nil
}

// fetch runs cl and returns the one record its {"data": …} decodes to, or
// nil and the error: the form of every call that reads or writes a record.
func fetch[T any](ctx context.Context, c *Client, cl call) (*T, error) {
	var v T
	cl.out = &v
	if err := c.do(ctx, cl); err != nil {
		return nil, err
	}
	return &v, nil
}

// environmentQuery asks a read for another environment than the key's
// (?environmentId=); empty reads the key's own.
func environmentQuery(environmentID string) url.Values {
	if environmentID == "" {
		return nil
	}
	return url.Values{"environmentId": {environmentID}}
}
