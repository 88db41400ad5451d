package validate

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// idRule is how messages describe what an id may be.
const idRule = `ids are letters and digits, with single "-", "_" or "." between them`

// misread are the markers Novu's ParseSlugIdPipe decodes into an _id
// (docs/novu-api.md §0 trap 8, §3): an id containing one is looked up by the wrong key.
var misread = []string{"_wf_", "_st_", "_env_"}

// CheckID reports whether id is a workflowId or stepId Novu accepts and
// reads as itself: it must match Novu's slug rule
// ^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$ and must not look like an _id (24
// hexadecimal characters) or a slug carrying one (_wf_, _st_, _env_).
func CheckID(id string) error {
	if id == "" {
		return fmt.Errorf("id is empty; %s", idRule)
	}
	prevSep := true // an id may not start with a separator
	for i, r := range id {
		switch {
		case r == '-' || r == '_' || r == '.':
			if i == 0 {
				return fmt.Errorf("id %q starts with %q; %s", id, string(r), idRule)
			}
			if prevSep {
				return fmt.Errorf("id %q has %q at byte %d right after another separator; %s", id, id[i-1:i+1], i-1, idRule)
			}
			prevSep = true
		case isAlnum(r):
			prevSep = false
		default:
			if r == utf8.RuneError && len(id[i:]) > 0 {
				if _, size := utf8.DecodeRuneInString(id[i:]); size == 1 {
					return fmt.Errorf("id %q has the invalid UTF-8 byte %#x at byte %d; %s", id, id[i], i, idRule)
				}
			}
			return fmt.Errorf("id %q has %q at byte %d; %s", id, string(r), i, idRule)
		}
	}
	if prevSep {
		return fmt.Errorf("id %q ends with %q; %s", id, id[len(id)-1:], idRule)
	}
	if len(id) == 24 && isHex(id) {
		return fmt.Errorf("id %q is 24 hexadecimal characters, which Novu reads as a database _id; change or add a character", id)
	}
	if tail, ok := base62Tail(id); ok {
		return fmt.Errorf("id %q ends in %d letters and digits (%q), which Novu may decode as a base62 _id and look up by the wrong key; put a \"-\", \"_\" or \".\" among its last %d characters, or shorten it to %d", id, len(tail), tail, encodedIDLen, encodedIDLen-1)
	}
	for _, m := range misread {
		if strings.Contains(id, m) {
			return fmt.Errorf("id %q contains %q, which Novu reads as a slug carrying an _id; avoid %q, %q and %q", id, m, misread[0], misread[1], misread[2])
		}
	}
	return nil
}

// encodedIDLen is the length of the base62 form of an _id that Novu's
// ParseSlugIdPipe decodes from the end of a path id (docs/novu-api.md §3).
const encodedIDLen = 16

// base62Tail reports the last encodedIDLen characters of id when Novu could
// read them as an encoded _id. Servers differ in when they try: the 2024 pipe
// decodes the tail of every id of 16 or more characters, a newer one only an
// id of exactly 16 or a tail after a "_wf_"-style marker. Either way the
// decode fails on "-", "_" and ".", so an id is safe when one of them falls
// in its last 16 characters or when it is shorter; the rule below is the
// union of both servers' cases.
func base62Tail(id string) (string, bool) {
	if len(id) < encodedIDLen {
		return "", false
	}
	tail := id[len(id)-encodedIDLen:]
	for _, r := range tail {
		if !isAlnum(r) {
			return "", false
		}
	}
	return tail, true
}

func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
