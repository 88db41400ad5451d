package novu

import (
	"net/http"
	"strconv"
	"strings"
)

// Reading the RateLimit-* headers of an answer (their form is shown in
// pace.go's comment; docs/novu-api.md §11) into what the pacer learns.

// policy is what one answer says about its bucket.
type policy struct {
	category  string
	rate      float64 // tokens per second
	remaining float64
	cost      float64
}

// parseRateLimit reads RateLimit-Limit, -Remaining and -Policy. ok is false
// unless they give a rate: a limit, a window and a remaining count.
func parseRateLimit(h http.Header) (pol policy, ok bool) {
	if h == nil {
		return pol, false
	}
	remaining, err := strconv.ParseFloat(strings.TrimSpace(h.Get("RateLimit-Remaining")), 64)
	if err != nil || remaining < 0 {
		return pol, false
	}
	fields := splitPolicy(h.Get("RateLimit-Policy"))
	if len(fields) == 0 {
		return pol, false
	}
	limit, err := strconv.ParseFloat(strings.TrimSpace(h.Get("RateLimit-Limit")), 64)
	if err != nil {
		limit, err = strconv.ParseFloat(fields[0], 64)
	}
	if err != nil || limit <= 0 {
		return pol, false
	}
	params := map[string]string{}
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(f, "=")
		params[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	w, err := strconv.ParseFloat(params["w"], 64)
	if err != nil || w <= 0 {
		return pol, false
	}
	pol = policy{category: params["category"], rate: limit / w, remaining: remaining, cost: 1}
	switch c := params["cost"]; c {
	case "", "single":
	case "bulk":
		pol.cost = 100
	default:
		if n, err := strconv.ParseFloat(c, 64); err == nil && n >= 1 {
			pol.cost = n
		}
	}
	return pol, true
}

// splitPolicy splits a RateLimit-Policy value at the semicolons outside
// quotes: `150;w=5;comment="token bucket"` → 150, w=5, comment="token bucket".
func splitPolicy(v string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				out = append(out, strings.TrimSpace(v[start:i]))
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(v[start:]); s != "" || len(out) > 0 {
		out = append(out, s)
	}
	return out
}
