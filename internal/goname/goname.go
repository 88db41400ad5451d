// Package goname turns identifiers of Novu's world (workflowIds, payload
// keys, environment variable names) into the exported Go names a reader
// would write. It is the one statement of that rule: the name novugen
// suggests in an error is the name novugen import writes.
package goname

import (
	"strings"
	"unicode"
)

// Exported turns an identifier such as order-shipped, orderId, tracking_url
// or BASE_URL into an exported Go name (OrderShipped, OrderID, TrackingURL,
// BaseURL). Words are split at anything that is not an ASCII letter or
// digit and at changes of case; initialisms are written in capitals. An
// identifier of several words without lower-case letters (an environment
// variable's SCREAMING_SNAKE_CASE) has its words read in lower case, so
// that BASE_URL does not become BASEURL; so does a single such word longer
// than three characters (ZONE, REGION: environment variables again), while
// a shorter one (OTP, PDF, 2FA) is most likely an acronym and keeps its
// capitals. fallback is returned when
// s has no letter or digit, and is the prefix of a name that would start
// with a digit.
func Exported(s, fallback string) string {
	if words := strings.FieldsFunc(s, separator); strings.ToUpper(s) == s && (len(words) > 1 || len(words) == 1 && len(words[0]) > 3) {
		s = strings.ToLower(s)
	}
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = nil
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case separator(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 && (unicode.IsLower(cur[len(cur)-1]) ||
			i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(cur[len(cur)-1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	var b strings.Builder
	for _, w := range words {
		if up := strings.ToUpper(w); initialisms[up] {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	n := b.String()
	if n == "" {
		return fallback
	}
	if unicode.IsDigit(rune(n[0])) {
		n = fallback + n
	}
	return n
}

// separator reports whether r separates words: anything but an ASCII
// letter or digit.
func separator(r rune) bool {
	return r >= unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r))
}

// initialisms are written in capitals in Go names, as golint's list says.
var initialisms = map[string]bool{}

func init() {
	for _, s := range []string{"ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID",
		"IP", "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "SKU", "SLA", "SMS", "SMTP", "SQL", "SSH", "TCP", "TLS", "TTL",
		"UDP", "UI", "UID", "UUID", "URI", "URL", "UTF8", "VM", "XML", "XMPP", "XSRF", "XSS"} {
		initialisms[s] = true
	}
}
