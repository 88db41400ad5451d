package novu

import (
	"context"
	"net/http"
)

// EnvironmentVariable is one of Novu's environment variables
// (EnvironmentVariableResponseDto): a key, and a value per environment
// that templates read as {{env.KEY}} (docs/novu-api.md §8.3).
type EnvironmentVariable struct {
	ID       string `json:"_id"`
	Key      string `json:"key"`
	IsSecret bool   `json:"isSecret"`
	// Values holds the values the calling key may see: with an API key,
	// current Novu answers only its own environment's; older releases
	// answer every environment's. A secret's value is masked.
	Values []EnvironmentVariableValue `json:"values"`
}

// EnvironmentVariableValue is one environment's value of a variable.
type EnvironmentVariableValue struct {
	EnvironmentID string `json:"_environmentId"`
	Value         string `json:"value"`
}

// ValueIn returns the variable's value in environment envID as the key
// saw it, and whether there is one.
func (v EnvironmentVariable) ValueIn(envID string) (string, bool) {
	for _, val := range v.Values {
		if val.EnvironmentID == envID {
			return val.Value, true
		}
	}
	return "", false
}

// EnvironmentVariables lists the organization's environment variables
// (GET /v1/environment-variables). A server without the feature answers
// ErrNotFound.
func (c *Client) EnvironmentVariables(ctx context.Context) ([]EnvironmentVariable, error) {
	var vars []EnvironmentVariable
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/environment-variables", out: &vars}); err != nil {
		return nil, err
	}
	return vars, nil
}
