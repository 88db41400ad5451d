package validate

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth is how many levels of objects and arrays a payload schema, or
// one control's value, may nest (the value itself is level 1). Novu keeps
// both inside MongoDB documents (the workflow's payloadSchema, the step's
// controls; docs/novu-api.md §8), and MongoDB refuses a document nested
// more than 100 levels, which the document's own levels eat into; a
// payload type nested 64 levels deep is far beyond any real one. Past the
// bound the definition is refused before any other walk, so that a
// hand-edited registry cannot make the checks cost memory with the square
// of its nesting.
const maxDepth = 64

// seg is one step of a path into a JSON value: an object key, or an array
// index when key is "".
type seg struct {
	key   string
	index int
	isKey bool
}

// tooDeep returns the path to the first value, in sorted key order, that
// sits deeper than maxDepth levels in v, or nil. It visits each value at
// most once and never goes below maxDepth+1, so its cost is linear in v.
func tooDeep(v any) []seg {
	var path []seg
	var visit func(v any, depth int) bool
	visit = func(v any, depth int) bool {
		switch v := v.(type) {
		case map[string]any:
			if depth > maxDepth {
				return true
			}
			for _, k := range sortedKeys(v) {
				path = append(path, seg{key: k, isKey: true})
				if visit(v[k], depth+1) {
					return true
				}
				path = path[:len(path)-1]
			}
		case []any:
			if depth > maxDepth {
				return true
			}
			for i, e := range v {
				path = append(path, seg{index: i})
				if visit(e, depth+1) {
					return true
				}
				path = path[:len(path)-1]
			}
		}
		return false
	}
	if visit(v, 1) {
		return path
	}
	return nil
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointer writes path as a JSON Pointer (RFC 6901), each key cut to a
// readable length.
func pointer(path []seg) string {
	var b strings.Builder
	for _, s := range path {
		b.WriteByte('/')
		if s.isKey {
			b.WriteString(pointerEscaper.Replace(short(s.key)))
		} else {
			b.WriteString(strconv.Itoa(s.index))
		}
	}
	return b.String()
}

// dotted writes path the way a Finding's Control names a place:
// data.items[0].name.
func dotted(path []seg) string {
	var b strings.Builder
	for i, s := range path {
		switch {
		case !s.isKey:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case i > 0:
			b.WriteString("." + short(s.key))
		default:
			b.WriteString(short(s.key))
		}
	}
	return b.String()
}

// short cuts a key longer than 32 bytes (at a rune boundary) for a message.
func short(k string) string {
	const n = 32
	if len(k) <= n {
		return k
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(k[cut]) {
		cut--
	}
	return k[:cut] + "…"
}
