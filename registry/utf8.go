package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// invalidUTF8 is Parse's error for data that is not UTF-8. It
// names the workflow, step and field holding the first bad byte, found on
// the raw bytes: once decoded, the byte is already U+FFFD.
func invalidUTF8(data []byte) error {
	at := 0
	for at < len(data) {
		r, size := utf8.DecodeRune(data[at:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		at += size
	}
	return badText(data, at, fmt.Sprintf("invalid UTF-8 (byte %#x at %s)", data[at], position(data, at)))
}

// loneSurrogate is Parse's error for a \uD800–\uDFFF escape that is not
// half of a pair: valid UTF-8 and valid JSON, but no character, so
// encoding/json decodes it to U+FFFD as silently as a bad byte. It returns
// nil when every escaped surrogate is paired.
func loneSurrogate(data []byte) error {
	inString := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			inString = !inString
		case !inString || c != '\\':
		case i+1 < len(data) && data[i+1] != 'u':
			i++ // a two-character escape: \" or \\ or \n ...
		default:
			v, ok := hex4(data, i+2)
			switch {
			case !ok:
				i++ // not JSON; the decoder words that
			case v >= 0xD800 && v <= 0xDBFF:
				if w, ok := hex4(data, i+8); ok && data[i+6] == '\\' && data[i+7] == 'u' && w >= 0xDC00 && w <= 0xDFFF {
					i += 11
					continue
				}
				fallthrough
			case v >= 0xDC00 && v <= 0xDFFF:
				return badText(data, i, fmt.Sprintf("unpaired surrogate escape %s (at %s), which is no character", data[i:i+6], position(data, i)))
			default:
				i += 5
			}
		}
	}
	return nil
}

// hex4 reads the four hex digits at data[at:], as a \u escape holds them.
func hex4(data []byte, at int) (rune, bool) {
	if at+4 > len(data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(data[at:at+4]), 16, 16)
	return rune(v), err == nil
}

// position is "line L, column C" of the byte at offset at.
func position(data []byte, at int) string {
	line := 1 + bytes.Count(data[:at], []byte("\n"))
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:at], '\n')+1:at])
	return fmt.Sprintf("line %d, column %d", line, col)
}

// badText names the workflow, step and field of the string holding the
// byte at offset at, for text encoding/json would rewrite as U+FFFD.
func badText(data []byte, at int, what string) error {
	segs, inKey, ok := locate(data, at)
	if !ok {
		return fmt.Errorf("registry: %s, outside any string: not JSON", what)
	}
	field := describe(data, segs)
	if inKey {
		field = "a key in " + field
	}
	return fmt.Errorf("registry: %s: %s; encoding/json would send U+FFFD in its place. Fix the text (or the declaration, and run go generate)", field, what)
}

// locate returns the JSON path of the string token holding the byte at
// offset at, and whether that string is an object key. ok is false when
// the byte is not inside a string (the data is then not JSON there).
func locate(data []byte, at int) (segs []any, inKey, ok bool) {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	path := func() []any {
		out := make([]any, 0, len(stack))
		for _, f := range stack {
			if f.array {
				out = append(out, f.index)
			} else if !f.wantKey {
				out = append(out, f.key)
			}
		}
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, false, false
		}
		n := len(stack)
		key := n > 0 && !stack[n-1].array && stack[n-1].wantKey
		if dec.InputOffset() > int64(at) {
			if _, isString := tok.(string); !isString {
				return nil, false, false
			}
			if key {
				return path(), true, true
			}
			return path(), false, true
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				stack = append(stack, frame{wantKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:n-1]
				valueDone()
			}
		case string:
			if key {
				stack[n-1].key, stack[n-1].wantKey = tok, false
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// describe names the place segs points to the way validation findings do:
// workflow "w", step "s", field "controlValues.subject". The ids are read
// leniently (encoding/json has already replaced any bad byte in them).
func describe(data []byte, segs []any) string {
	var ids struct {
		Workflows []struct {
			WorkflowID string `json:"workflowId"`
			Steps      []struct {
				StepID string `json:"stepId"`
			} `json:"steps"`
		} `json:"workflows"`
	}
	_ = json.Unmarshal(data, &ids) // best effort: indexes stand in for ids it cannot read
	var parts []string
	if i, ok := index(segs, "workflows"); ok {
		wf := fmt.Sprintf("workflows[%d]", i)
		if i < len(ids.Workflows) && ids.Workflows[i].WorkflowID != "" {
			wf = fmt.Sprintf("workflow %q", ids.Workflows[i].WorkflowID)
		}
		parts = append(parts, wf)
		segs = segs[2:]
		if j, ok := index(segs, "steps"); ok {
			st := fmt.Sprintf("steps[%d]", j)
			if i < len(ids.Workflows) && j < len(ids.Workflows[i].Steps) && ids.Workflows[i].Steps[j].StepID != "" {
				st = fmt.Sprintf("step %q", ids.Workflows[i].Steps[j].StepID)
			}
			parts = append(parts, st)
			segs = segs[2:]
		}
	}
	if len(segs) > 0 {
		parts = append(parts, fmt.Sprintf("field %q", fieldPath(segs)))
	}
	if len(parts) == 0 {
		return "the top level"
	}
	return strings.Join(parts, ", ")
}

// index reports whether segs starts with name and an array index (a
// "workflows" that is an object has a key there instead), and returns it.
func index(segs []any, name string) (int, bool) {
	if len(segs) < 2 || segs[0] != name {
		return 0, false
	}
	i, ok := segs[1].(int)
	return i, ok
}

// fieldPath writes segs as a dotted path with [i] for array indexes:
// controlValues.headers[0].value.
func fieldPath(segs []any) string {
	var b strings.Builder
	for _, s := range segs {
		switch s := s.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}
