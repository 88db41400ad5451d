package novu

import (
	"context"
	"net/http"
	"net/url"

	"github.com/novugen/novugen/registry"
)

// Layout is Novu's LayoutResponseDto, the fields novugen reads: the ones
// it manages and the _id (docs/novu-api.md §4.8).
type Layout struct {
	ID                   string         `json:"_id"`
	LayoutID             string         `json:"layoutId"`
	Name                 string         `json:"name"`
	IsTranslationEnabled bool           `json:"isTranslationEnabled"`
	Origin               string         `json:"origin"`
	Controls             LayoutControls `json:"controls"`
}

// LayoutControls is the controls part of a layout: Values holds what was
// stored (nil email until the first update that sends it).
type LayoutControls struct {
	Values LayoutControlValues `json:"values"`
}

// LayoutControlValues is Novu's LayoutControlValuesDto.
type LayoutControlValues struct {
	Email *LayoutEmail `json:"email,omitempty"`
}

// LayoutEmail is Novu's email layout controls: body and editor type, both
// required when email is sent.
type LayoutEmail struct {
	Body       string `json:"body"`
	EditorType string `json:"editorType"`
}

// CreateLayoutRequest is Novu's CreateLayoutDto. It has no control values:
// a new layout gets its body from the update that follows (Novu stores a
// default body until then).
type CreateLayoutRequest struct {
	LayoutID             string `json:"layoutId"`
	Name                 string `json:"name"`
	IsTranslationEnabled bool   `json:"isTranslationEnabled"`
}

// UpdateLayoutRequest is Novu's UpdateLayoutDto, always with the control
// values: omitted, Novu would keep the stored ones.
type UpdateLayoutRequest struct {
	Name                 string              `json:"name"`
	IsTranslationEnabled bool                `json:"isTranslationEnabled"`
	ControlValues        LayoutControlValues `json:"controlValues"`
}

// LayoutRequests returns the create and update bodies for l.
func LayoutRequests(l registry.Layout) (CreateLayoutRequest, UpdateLayoutRequest) {
	return CreateLayoutRequest{LayoutID: l.LayoutID, Name: l.Name, IsTranslationEnabled: l.IsTranslationEnabled},
		UpdateLayoutRequest{Name: l.Name, IsTranslationEnabled: l.IsTranslationEnabled,
			ControlValues: LayoutControlValues{Email: &LayoutEmail{Body: l.Body, EditorType: l.EditorType}}}
}

// GetLayout reads one layout (GET /v2/layouts/{layoutId}); environmentID
// as for GetWorkflow. An unknown layout is ErrNotFound.
func (c *Client) GetLayout(ctx context.Context, layoutID, environmentID string) (*Layout, error) {
	if err := checkID("layoutId", layoutID); err != nil {
		return nil, err
	}
	return fetch[Layout](ctx, c, call{method: http.MethodGet, path: layoutPath(layoutID), query: environmentQuery(environmentID)})
}

// CreateLayout creates a layout (POST /v2/layouts). Call it only after a
// 404 for the same layoutId, and compare the answer's LayoutID with the
// one asked for.
func (c *Client) CreateLayout(ctx context.Context, req CreateLayoutRequest) (*Layout, error) {
	if err := checkID("layoutId", req.LayoutID); err != nil {
		return nil, err
	}
	return fetch[Layout](ctx, c, call{method: http.MethodPost, path: "/v2/layouts", in: req})
}

// UpdateLayout replaces a layout's name, translation flag and control
// values (PUT /v2/layouts/{layoutId}). An unknown layout is ErrNotFound.
func (c *Client) UpdateLayout(ctx context.Context, layoutID string, req UpdateLayoutRequest) (*Layout, error) {
	if err := checkID("layoutId", layoutID); err != nil {
		return nil, err
	}
	return fetch[Layout](ctx, c, call{method: http.MethodPut, path: layoutPath(layoutID), in: req})
}

// DeleteLayout deletes a layout in the key's environment
// (DELETE /v2/layouts/{layoutId}). An unknown layout is ErrNotFound.
func (c *Client) DeleteLayout(ctx context.Context, layoutID string) error {
	if err := checkID("layoutId", layoutID); err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: layoutPath(layoutID)})
}

func layoutPath(id string) string { return "/v2/layouts/" + url.PathEscape(id) }
