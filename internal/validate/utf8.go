package validate

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/novugen/novugen/registry"
)

// invalidUTF8 checks every text of a definition that a declaration sets
// and encoding/json would change on its way to Novu: it writes each byte
// that is not UTF-8 as U+FFFD, silently. A Go string literal can hold such
// bytes ("\xff"); a registry file cannot reach here with them, since
// registry.Parse refuses them. The workflowId and stepIds are left to
// CheckID, which names the bad byte too.
func (c *checker) invalidUTF8() {
	d := c.def
	c.text("", "name", d.Name)
	c.text("", "description", d.Description)
	for i, tag := range d.Tags {
		c.text("", fmt.Sprintf("tags[%d]", i), tag)
	}
	if utf8.Valid(d.PayloadSchema) {
		return
	}
	if at := badByte(string(d.PayloadSchema)); at >= 0 {
		c.add("", "payloadSchema has the invalid UTF-8 byte %#x at byte %d; encoding/json would send U+FFFD in its place", d.PayloadSchema[at], at)
	}
}

// stepUTF8 checks the step's name and every key and string of its control
// values, however deeply nested.
func (c *checker) stepUTF8(s registry.Step) {
	c.text("", "step name", s.Name)
	for _, k := range sortedKeys(s.ControlValues) {
		c.controlUTF8(k, k, s.ControlValues[k])
	}
}

func (c *checker) controlUTF8(path, key string, v any) {
	if at := badByte(key); at >= 0 {
		c.add(path, "the key %s has the invalid UTF-8 byte %#x at byte %d; encoding/json would send U+FFFD in its place", excerpt(key, at), key[at], at)
	}
	switch v := v.(type) {
	case string:
		if at := badByte(v); at >= 0 {
			c.add(path, "%s has the invalid UTF-8 byte %#x at byte %d; encoding/json would send U+FFFD in its place", excerpt(v, at), v[at], at)
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			c.controlUTF8(path+"."+k, k, v[k])
		}
	case []any:
		for i, e := range v {
			c.controlUTF8(path+"["+strconv.Itoa(i)+"]", "", e)
		}
	}
}

// text checks one workflow or step field that is not a control.
func (c *checker) text(control, field, s string) {
	if at := badByte(s); at >= 0 {
		c.add(control, "%s %s has the invalid UTF-8 byte %#x at byte %d; encoding/json would send U+FFFD in its place", field, excerpt(s, at), s[at], at)
	}
}

// badByte returns the index of the first byte of s that is not part of a
// UTF-8 encoding, or -1.
func badByte(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return -1
}

// excerpt quotes s for a message, Go-escaped so the bad byte shows as \xff,
// cut to about 60 bytes around index at.
func excerpt(s string, at int) string {
	const around = 30
	if len(s) <= 2*around {
		return strconv.Quote(s)
	}
	from, to := max(0, at-around), min(len(s), at+around)
	q := strconv.Quote(s[from:to])
	if from > 0 {
		q = "…" + q
	}
	if to < len(s) {
		q += "…"
	}
	return q
}
