package validate

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// urlKind says which URLs a string control takes. Novu records a URL it
// cannot use as an INVALID_URL issue on the stored step (docs/novu-api.md §6) instead
// of refusing the workflow, so the mistake would only show as a dead link.
type urlKind int

const (
	noURL      urlKind = iota
	linkURL            // in_app avatar and redirect urls: absolute http(s), a path starting with "/", or a template (docs/novu-api.md §7.2)
	requestURL         // http_request url: Novu's worker sends the request, so only an absolute http(s) URL will do
)

// scheme matches a URL scheme at the start of a string (RFC 3986 §3.1).
var scheme = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*):`)

// badURL returns what is wrong with s as a URL of kind k, or "". A value
// with Liquid in it is known only when rendered, so only a scheme written
// before the first tag is checked (javascript:{{payload.x}} stays wrong).
// An empty string is the nonEmpty check's business.
func badURL(s string, k urlKind) string {
	s = strings.TrimSpace(s)
	if k == noURL || s == "" {
		return ""
	}
	want := "use an absolute http(s) URL, a path starting with \"/\", or a {{ variable }}"
	if k == requestURL {
		want = "use an absolute http(s) URL, such as https://api.example.com/hook, or a {{ variable }}"
	}
	lit, tmpl := literalPrefix(s)
	if m := scheme.FindStringSubmatch(lit); m != nil {
		if sch := strings.ToLower(m[1]); sch != "http" && sch != "https" {
			return fmt.Sprintf("%q has scheme %q, which Novu does not open; %s", s, sch, want)
		}
	}
	if tmpl {
		return ""
	}
	if k == linkURL && strings.HasPrefix(s, "/") {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("%q is not a URL Novu accepts; %s", s, want)
	}
	return ""
}

// literalPrefix returns s up to its first Liquid output or tag, and whether
// it has one.
func literalPrefix(s string) (string, bool) {
	i := strings.Index(s, "{{")
	if j := strings.Index(s, "{%"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return s, false
	}
	return s[:i], true
}

// badJSON returns what is wrong with an http_request body, which Novu sends
// as the request's JSON body (docs/novu-api.md §7.2), or "". A body with Liquid in it
// becomes JSON only when rendered ({"id": {{payload.id}}}), so it is not
// checked; neither is an empty one (a request without a body).
func badJSON(body string) string {
	if strings.TrimSpace(body) == "" {
		return ""
	}
	if _, tmpl := literalPrefix(body); tmpl {
		return ""
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		return fmt.Sprintf("is not valid JSON (%v); Novu sends the body as a JSON document", err)
	}
	return ""
}
