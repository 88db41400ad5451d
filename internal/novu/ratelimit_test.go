package novu

import (
	"net/http"
	"testing"
)

func TestParseRateLimit(t *testing.T) {
	for _, tt := range []struct {
		name    string
		headers map[string]string
		want    policy
		ok      bool
	}{
		{"novu free global", map[string]string{"RateLimit-Limit": "150", "RateLimit-Remaining": "149",
			"RateLimit-Policy": `150;w=5;burst=165;comment="token bucket";category="global";cost="single";serviceLevel="free"`},
			policy{category: "global", rate: 30, remaining: 149, cost: 1}, true},
		{"emulator", map[string]string{"RateLimit-Limit": "80", "RateLimit-Remaining": "79",
			"RateLimit-Policy": `80;w=1;burst=80;comment="token bucket";category="configuration";cost="single"`},
			policy{category: "configuration", rate: 80, remaining: 79, cost: 1}, true},
		{"bulk", map[string]string{"RateLimit-Remaining": "500",
			"RateLimit-Policy": `3000;w=5;category="trigger";cost="bulk"`},
			policy{category: "trigger", rate: 600, remaining: 500, cost: 100}, true},
		{"a semicolon in a quoted comment", map[string]string{"RateLimit-Limit": "10", "RateLimit-Remaining": "3",
			"RateLimit-Policy": `10;comment="a;b";w=2`},
			policy{rate: 5, remaining: 3, cost: 1}, true},
		{"no window", map[string]string{"RateLimit-Limit": "10", "RateLimit-Remaining": "3", "RateLimit-Policy": `10;burst=10`}, policy{}, false},
		{"no policy", map[string]string{"RateLimit-Limit": "10", "RateLimit-Remaining": "3"}, policy{}, false},
		{"no remaining", map[string]string{"RateLimit-Limit": "10", "RateLimit-Policy": `10;w=1`}, policy{}, false},
		{"negative remaining", map[string]string{"RateLimit-Limit": "10", "RateLimit-Remaining": "-1", "RateLimit-Policy": `10;w=1`}, policy{}, false},
		{"zero limit", map[string]string{"RateLimit-Limit": "0", "RateLimit-Remaining": "1", "RateLimit-Policy": `0;w=1`}, policy{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			got, ok := parseRateLimit(h)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("parseRateLimit = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
