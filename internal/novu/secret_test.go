package novu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
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
