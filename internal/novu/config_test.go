package novu

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBaseURL(t *testing.T) {
	tests := []struct {
		url  string
		want string // BaseURL(), or the error
	}{
		{"", "https://api.novu.co"},
		{"https://eu.api.novu.co/", "https://eu.api.novu.co"},
		{"https://novu.internal.example:8443/api/", "https://novu.internal.example:8443/api"},
		{"http://127.0.0.1:3000", "http://127.0.0.1:3000"},
		{"http://127.3.4.5:3000", "http://127.3.4.5:3000"},
		{"http://[::1]:3000", "http://[::1]:3000"},
		{"http://localhost:3000", "http://localhost:3000"},
		{"http://api.novu.co", `novu: base URL "http://api.novu.co" uses plain http:// on a host that is not loopback, which would send the secret key unencrypted: use https://, or http:// only with 127.0.0.1, ::1 or localhost`},
		{"http://10.0.0.8:3000", `novu: base URL "http://10.0.0.8:3000" uses plain http:// on a host that is not loopback, which would send the secret key unencrypted: use https://, or http:// only with 127.0.0.1, ::1 or localhost`},
		{"http://localhost.evil.example", `novu: base URL "http://localhost.evil.example" uses plain http:// on a host that is not loopback, which would send the secret key unencrypted: use https://, or http:// only with 127.0.0.1, ::1 or localhost`},
		{"ftp://api.novu.co", `novu: base URL "ftp://api.novu.co": want https://host[:port][/path], or http:// with a loopback host (127.0.0.1, ::1, localhost)`},
		{"api.novu.co", `novu: base URL "api.novu.co": want https://host[:port][/path], or http:// with a loopback host (127.0.0.1, ::1, localhost)`},
		{"https://", `novu: base URL "https:" has no host: want https://host[:port][/path], or http:// with a loopback host (127.0.0.1, ::1, localhost)`},
		{"https://api.novu.co/?x=1", `novu: base URL "https://api.novu.co/?x=1" has a query or fragment: want https://host[:port][/path], or http:// with a loopback host (127.0.0.1, ::1, localhost)`},
		{"https://user:hunter2@api.novu.co", `novu: base URL "https://user:xxxxx@api.novu.co" carries credentials; the secret key goes in Config.Key, not in the URL`},
		{"https://api.novu.co/%zz", `novu: base URL is malformed: want https://host[:port][/path], or http:// with a loopback host (127.0.0.1, ::1, localhost)`},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, err := New(Config{BaseURL: tt.url, Key: testKey})
			var got string
			if err != nil {
				got = err.Error()
			} else {
				got = c.BaseURL()
			}
			if got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestKeyIsChecked(t *testing.T) {
	tests := []struct {
		key  Secret
		want string // header value, or the error
	}{
		{testKey, "ApiKey " + testKey},
		{" ApiKey " + testKey + "\n", "ApiKey " + testKey},
		{"", "novu: no secret key: set Config.Key to the environment's secret key"},
		{"sk_a\r\nX-Evil: 1", "novu: the secret key contains spaces or control characters; copy it again from the Novu dashboard (API Keys)"},
	}
	for _, tt := range tests {
		c, err := New(Config{Key: tt.key})
		var got string
		if err != nil {
			got = err.Error()
		} else {
			got = "ApiKey " + c.key.Reveal()
		}
		if got != tt.want {
			t.Errorf("key %d bytes:\n got %s\nwant %s", len(tt.key), got, tt.want)
		}
	}
}

func TestInsecureTransportIsRefused(t *testing.T) {
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	_, err := New(Config{Key: testKey, HTTPClient: hc})
	if err == nil || !strings.Contains(err.Error(), "InsecureSkipVerify") {
		t.Fatalf("err = %v, want a refusal naming InsecureSkipVerify", err)
	}
}

// TestUntrustedCertificateIsRefused: verification is on by default, so a
// server whose certificate no trusted CA signed never gets the key.
func TestUntrustedCertificateIsRefused(t *testing.T) {
	var sawKey atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawKey.Store(r.Header.Get("Authorization") != "")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, Key: testKey, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Environments(context.Background())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate verification error", err)
	}
	if sawKey.Load() {
		t.Error("the server received the key")
	}
}

func TestCallerHTTPClientIsNotChanged(t *testing.T) {
	hc := &http.Client{Timeout: time.Minute}
	c, err := New(Config{Key: testKey, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil || c.hc == hc || c.hc.Timeout != time.Minute {
		t.Errorf("the caller's client was modified or not used")
	}
}

func TestDefaults(t *testing.T) {
	c, err := New(Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != DefaultRequestTimeout || c.maxBackoff != DefaultMaxBackoff || c.maxBody != DefaultMaxBodyBytes || c.maxRetries != DefaultMaxRetries {
		t.Errorf("defaults: timeout %s, backoff %s, body %d, retries %d", c.timeout, c.maxBackoff, c.maxBody, c.maxRetries)
	}
}
