package novu_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/novutest"
)

func TestEnvironmentVariables(t *testing.T) {
	srv, c := emulator(t, novutest.Options{})
	srv.SetEnvVar("BASE_URL", "Development", "https://dev.example")
	srv.SetEnvVar("BASE_URL", "Production", "https://example")
	srv.SetEnvVar("EMPTY_HERE", "Staging", "x")
	vars, err := c.EnvironmentVariables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var dev string
	for _, e := range srv.Environments() {
		if e.Name == "Development" {
			dev = e.ID
		}
	}
	got := map[string]string{}
	for _, v := range vars {
		if val, ok := v.ValueIn(dev); ok {
			got[v.Key] = val
		} else {
			got[v.Key] = "<none>"
		}
	}
	// The Development key sees its own value only.
	if len(got) != 2 || got["BASE_URL"] != "https://dev.example" || got["EMPTY_HERE"] != "<none>" {
		t.Errorf("variables as the Development key sees them: %v", got)
	}
}

func TestEnvironmentVariablesNotFound(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"statusCode":404,"message":"Cannot GET /v1/environment-variables","error":"Not Found"}`))
	}))
	defer ts.Close()
	c, err := novu.New(novu.Config{BaseURL: ts.URL, Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.EnvironmentVariables(context.Background()); !errors.Is(err, novu.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}
