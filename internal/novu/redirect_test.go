package novu

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedirectToAnotherHostDropsKey(t *testing.T) {
	var mu sync.Mutex
	auth := map[string]string{}
	other := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth["other "+r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
		if r.URL.Path == "/other-host" {
			io.WriteString(w, `{"data": {"_id": "z"}}`)
			return
		}
		io.WriteString(w, `{"data": []}`)
	})
	// Same loopback address on another port is another origin, which
	// net/http itself would still send the key to (it compares hostnames
	// only); another hostname is the case net/http already covers.
	otherPort := other.URL
	otherHost := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	var srv = serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth["self "+r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
		switch r.URL.Path {
		case "/v1/environments":
			http.Redirect(w, r, otherPort+"/other-port", http.StatusFound)
		case "/v2/workflows/z":
			http.Redirect(w, r, otherHost+"/other-host", http.StatusFound)
		case "/v2/workflows/x":
			http.Redirect(w, r, "/v2/workflows/y", http.StatusMovedPermanently)
		default:
			io.WriteString(w, `{"data": {"_id": "y"}}`)
		}
	})
	c, _ := newTestClient(t, srv.URL, nil)
	listEnvironments(t, c, 1)
	if _, err := c.GetWorkflow(context.Background(), "x", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWorkflow(context.Background(), "z", ""); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"self /v1/environments": "ApiKey " + testKey,
		"other /other-port":     "",
		"self /v2/workflows/z":  "ApiKey " + testKey,
		"other /other-host":     "",
		"self /v2/workflows/x":  "ApiKey " + testKey,
		"self /v2/workflows/y":  "ApiKey " + testKey, // same host: kept
	}
	if diff := cmp.Diff(want, auth); diff != "" {
		t.Errorf("Authorization seen (-want +got):\n%s", diff)
	}
}

func TestWritesDoNotFollowRedirects(t *testing.T) {
	var n counter
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.add(r)
		http.Redirect(w, r, "/v2/elsewhere", http.StatusFound)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	_, err := c.UpdateWorkflow(context.Background(), "x", UpdateRequest{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusFound || n.get("GET /v2/elsewhere") != 0 {
		t.Fatalf("err = %v; the redirect must not be followed", err)
	}
	if want := []string{"unexpected redirect to /v2/elsewhere"}; !cmp.Equal(want, ae.Message[len(ae.Message)-1:]) {
		t.Errorf("messages %q", ae.Message)
	}
}

// The redirect policy keeps the key only for the configured scheme and
// host: a downgrade to http on the same host, a subdomain (which net/http
// itself would trust) and another port all lose it. Checked on the policy
// directly, since a TLS downgrade cannot be staged on loopback.
func TestRedirectPolicyKeepsKeyOnlyForTheSameOrigin(t *testing.T) {
	base, err := url.Parse("https://api.novu.co")
	if err != nil {
		t.Fatal(err)
	}
	hc, err := httpClient(nil, base)
	if err != nil {
		t.Fatal(err)
	}
	for target, keep := range map[string]bool{
		"https://api.novu.co/v2/workflows/y":     true,
		"https://API.novu.co/v2/workflows/y":     true,
		"http://api.novu.co/v2/workflows/y":      false,
		"https://eu.api.novu.co/v2/workflows/y":  false,
		"https://api.novu.co:8443/v2/workflows/": false,
		"https://evil.example/v2/workflows/y":    false,
	} {
		first := httptest.NewRequest(http.MethodGet, "https://api.novu.co/v2/workflows/x", nil)
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "ApiKey "+testKey)
		if err := hc.CheckRedirect(req, []*http.Request{first}); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if got := req.Header.Get("Authorization") != ""; got != keep {
			t.Errorf("redirect to %s: key kept = %v, want %v", target, got, keep)
		}
	}
}
