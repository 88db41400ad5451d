package liquid

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tokPath   tokKind = iota // a variable, filter name, keyword or tag word
	tokString                // a quoted literal
	tokNumber                // a number literal
	tokPunct                 // an operator or delimiter: | : , = == .. ( ) …
)

type token struct {
	kind       tokKind
	start, end int      // src[start:end] is the token as written
	segs       []string // tokPath: the path's segments
	inner      []token  // tokPath: variables used as bracket keys
}

// word reports whether t is a bare name: one segment, no brackets.
func (t token) word() bool { return t.kind == tokPath && len(t.segs) == 1 && len(t.inner) == 0 }

// is reports whether t is the bare name w.
func (t token) is(src, w string) bool { return t.word() && src[t.start:t.end] == w }

func (t token) punct(src, p string) bool { return t.kind == tokPunct && src[t.start:t.end] == p }

// lex splits the expression src[start:end] into tokens. It accepts any input:
// characters it does not understand become punctuation.
func lex(src string, start, end int) []token {
	var toks []token
	i := start
	for i < end {
		c := src[i]
		switch {
		case isSpace(c):
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(src[i+1:end], c)
			if j < 0 {
				j = end
			} else {
				j += i + 2
			}
			toks = append(toks, token{kind: tokString, start: i, end: j})
			i = j
		case isDigit(c):
			j := scanNumber(src, i, end)
			toks = append(toks, token{kind: tokNumber, start: i, end: j})
			i = j
		case isIdentStart(c):
			t := lexPath(src, i, end)
			toks = append(toks, t)
			i = t.end
		default:
			j := i + 1
			if j < end && isTwoCharOp(c, src[j]) {
				j++
			}
			toks = append(toks, token{kind: tokPunct, start: i, end: j})
			i = j
		}
	}
	return toks
}

func isTwoCharOp(a, b byte) bool {
	switch string([]byte{a, b}) {
	case "==", "!=", "<>", "<=", ">=", "..":
		return true
	}
	return false
}

// scanNumber returns the end of the number starting at i. A dot belongs to
// the number only when a digit follows, so (1..5) lexes as 1, .., 5.
func scanNumber(src string, i, end int) int {
	for i < end && isDigit(src[i]) {
		i++
	}
	if i+1 < end && src[i] == '.' && isDigit(src[i+1]) {
		i++
		for i < end && isDigit(src[i]) {
			i++
		}
	}
	return i
}

// lexPath reads a variable path starting at an identifier: name, .name, .0,
// ["key"], [0], [variable].
func lexPath(src string, i, end int) token {
	t := token{kind: tokPath, start: i}
	j := i
	for j < end && isIdent(src[j]) {
		j++
	}
	t.segs = append(t.segs, src[i:j])
	for j < end {
		switch src[j] {
		case '.':
			k := j + 1
			for k < end && isIdent(src[k]) {
				k++
			}
			if k == j+1 {
				// "a." followed by nothing usable, or "..": not ours.
				t.end = j
				return t
			}
			t.segs = append(t.segs, segment(src[j+1:k]))
			j = k
		case '[':
			seg, inner, k := lexBracket(src, j, end)
			if k < 0 {
				t.end = j
				return t
			}
			t.segs = append(t.segs, seg)
			if inner != nil {
				t.inner = append(t.inner, *inner)
			}
			j = k
		default:
			t.end = j
			return t
		}
	}
	t.end = j
	return t
}

// segment maps a numeric property (items.0) to Elem.
func segment(s string) string {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !(i == 0 && s[i] == '-' && len(s) > 1) {
			return s
		}
	}
	return Elem
}

// lexBracket reads "[…]" at src[i] and returns the segment, the variable used
// as key if any, and the offset after "]"; -1 if it is not a bracket access.
func lexBracket(src string, i, end int) (string, *token, int) {
	j := i + 1
	for j < end && isSpace(src[j]) {
		j++
	}
	if j >= end {
		return "", nil, -1
	}
	var seg string
	var inner *token
	switch c := src[j]; {
	case c == '"' || c == '\'':
		k := strings.IndexByte(src[j+1:end], c)
		if k < 0 {
			return "", nil, -1
		}
		seg = src[j+1 : j+1+k]
		j += k + 2
	case isDigit(c) || c == '-' && j+1 < end && isDigit(src[j+1]):
		j = scanNumber(src, j+1, end)
		seg = Elem
	case isIdentStart(c):
		t := lexPath(src, j, end)
		inner = &t
		seg = AnyKey
		j = t.end
	default:
		return "", nil, -1
	}
	for j < end && isSpace(src[j]) {
		j++
	}
	if j >= end || src[j] != ']' {
		return "", nil, -1
	}
	return seg, inner, j + 1
}

// closeDelim returns the offset of the first delim at or after i that is not
// inside a quoted string, or -1. An unmatched quote is an ordinary character.
func closeDelim(src string, i int, delim string) int {
	for i < len(src) {
		c := src[i]
		if c == '"' || c == '\'' {
			if j := strings.IndexByte(src[i+1:], c); j >= 0 {
				i += j + 2
				continue
			}
		}
		if strings.HasPrefix(src[i:], delim) {
			return i
		}
		i++
	}
	return -1
}

// trimMarkup drops whitespace control dashes and surrounding space from the
// markup src[ms:me] of an output or tag.
func trimMarkup(src string, ms, me int) (int, int) {
	if ms < me && src[ms] == '-' {
		ms++
	}
	if me > ms && src[me-1] == '-' {
		me--
	}
	return trimSpace(src, ms, me)
}

func trimSpace(src string, ms, me int) (int, int) {
	for ms < me && isSpace(src[ms]) {
		ms++
	}
	for me > ms && isSpace(src[me-1]) {
		me--
	}
	return ms, me
}

// tagName splits tag markup into its name and the offset where the rest
// starts. An inline comment's name is "#".
func tagName(src string, ms, me int) (string, int) {
	if ms < me && src[ms] == '#' {
		return "#", me
	}
	i := ms
	for i < me && isIdent(src[i]) {
		i++
	}
	return src[ms:i], i
}

// findEndTag finds "{% name %}" (with optional dashes and spaces) at or after
// from, and returns its start and the offset after it, or -1, -1.
func findEndTag(src string, from int, name string) (int, int) {
	for from < len(src) {
		i := strings.Index(src[from:], "{%")
		if i < 0 {
			return -1, -1
		}
		start := from + i
		end := strings.Index(src[start+2:], "%}")
		if end < 0 {
			return -1, -1
		}
		end += start + 2
		ms, me := trimMarkup(src, start+2, end)
		if src[ms:me] == name {
			return start, end + 2
		}
		from = start + 2
	}
	return -1, -1
}

// snippet quotes the start of s for an error message.
func snippet(s string) string {
	const max = 24
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isIdent reports identifier characters; Liquid allows "-" in names, which
// matters for step ids such as steps.daily-digest.events.
func isIdent(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '-' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
