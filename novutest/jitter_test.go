package novutest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// jitterOf returns the latency that a new server with seed gives to the
// n-th trigger with body.
func jitterOf(t *testing.T, seed int64, n int, body string) time.Duration {
	t.Helper()
	s := newServer(Options{Seed: seed, Latency: time.Second, Jitter: time.Second})
	req, err := http.NewRequest("POST", "http://127.0.0.1/v1/events/trigger", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	id := requestIdentity("Development", req, []byte(body))
	var d draws
	for range n {
		d = s.beginDraws(id)
	}
	return s.latency(d)
}

func TestJitterIsSeededPerRequest(t *testing.T) {
	const a, b = `{"name":"a"}`, `{"name":"b"}`
	first := jitterOf(t, 1, 1, a)
	if first < time.Second || first >= 2*time.Second {
		t.Fatalf("latency %v, want Latency plus up to Jitter: [1s, 2s)", first)
	}
	if again := jitterOf(t, 1, 1, a); again != first {
		t.Errorf("same seed and request: %v then %v", first, again)
	}
	// A draw picks one of a billion nanoseconds, so two independent ones
	// coincide about once in a billion runs.
	for _, tt := range []struct {
		what string
		got  time.Duration
	}{
		{"another seed", jitterOf(t, 2, 1, a)},
		{"another body", jitterOf(t, 1, 1, b)},
		{"the retry of the request", jitterOf(t, 1, 2, a)},
	} {
		if tt.got == first {
			t.Errorf("%s drew the same latency %v", tt.what, first)
		}
	}
}
