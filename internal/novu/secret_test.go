package novu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSecretNeverPrints(t *testing.T) {
	s := Secret(testKey)
	type holder struct {
		Key    Secret
		Ptr    *Secret
		Nested struct{ K Secret }
	}
	h := holder{Key: s, Ptr: &s}
	h.Nested.K = s
	for _, verb := range []string{"%v", "%s", "%q", "%#v", "%+v", "%x", "%X", "%d", "%10s", "%T"} {
		for name, arg := range map[string]any{"value": s, "pointer": &s, "struct": h} {
			if got := fmt.Sprintf(verb, arg); bytes.Contains([]byte(got), []byte(testKey)) {
				t.Errorf("%s of a %s: %s", verb, name, got)
			}
		}
	}
	if got := fmt.Sprintf("%v|%s|%q|%#v|%+v", s, s, s, s, s); got != "[redacted]|[redacted]|[redacted]|[redacted]|[redacted]" {
		t.Errorf("got %s", got)
	}
	if s.String() != "[redacted]" || s.GoString() != "[redacted]" || s.Reveal() != testKey {
		t.Errorf("String %q, GoString %q, Reveal wrong", s.String(), s.GoString())
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Key":"[redacted]","Ptr":"[redacted]","Nested":{"K":"[redacted]"}}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "key", s, "cfg", Config{Key: s})
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "key", s, "cfg", Config{Key: s})
	if bytes.Contains(buf.Bytes(), []byte(testKey)) {
		t.Errorf("slog: %s", buf.String())
	}
}

func TestKeyAppearsInNoOutput(t *testing.T) {
	// A hostile proxy that echoes the request headers in its error page.
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message": ["bad header %s"], "errors": {"h": {"messages": ["%s"]}}}`, r.Header.Get("Authorization"), r.Header.Get("Authorization"))
	})
	var retried []string
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.OnRetry = func(ri RetryInfo) { retried = append(retried, fmt.Sprint(ri)) }
	})
	_, err := c.Environments(context.Background())
	if err == nil {
		t.Fatal("want an error")
	}
	var ae *APIError
	errors.As(err, &ae)
	outputs := []string{
		err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", ae), fmt.Sprintf("%v", ae.Message), fmt.Sprint(ae.Errors),
		fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", c.Stats()),
		strings.Join(retried, " "),
	}
	cfg := Config{Key: testKey}
	outputs = append(outputs, fmt.Sprintf("%v %+v %#v %s %q %x", cfg, cfg, cfg, cfg.Key, cfg.Key, cfg.Key))
	for _, out := range outputs {
		if strings.Contains(out, testKey) {
			t.Errorf("key leaked in %q", out)
		}
	}
	if got, want := ae.Message, []string{"bad header ApiKey [redacted]"}; !cmp.Equal(want, got) {
		t.Errorf("message %q, want %q", got, want)
	}
}
