package importer

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
)

// The jsonschema struct tag of an imported payload field: the schema
// keywords Go's type cannot state (description, format, pattern, bounds)
// are written there, where go generate reads them back into the schema.

// tagDescription moves a description into the tag (the generator writes it
// back from there) and returns it for the field's comment.
func (s *schemaWalk) tagDescription(o *object, path string, tags *[]string) string {
	if !o.has("description") {
		return ""
	}
	d, ok := o.str("description")
	if !ok || !tagSafe(d) {
		s.fail(path, "the description cannot be written in a struct tag")
		return ""
	}
	*tags = append(*tags, "description="+escapeTag(d))
	return d
}

// tagKeyword writes keyword k into the tag: numbers and booleans as they
// are, strings escaped.
func (s *schemaWalk) tagKeyword(o *object, k, path string, tags *[]string) {
	raw, ok := o.vals[k]
	if !ok {
		return
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		s.fail(path, "%s is not JSON", k)
		return
	}
	var text string
	switch v := v.(type) {
	case string:
		text = v
	case json.Number:
		f, err := v.Float64()
		if err != nil || math.IsInf(f, 0) {
			s.fail(path, "%s %s is not a number Go reads back", k, v)
			return
		}
		text = v.String()
	case bool:
		if !v {
			s.fail(path, "%s: false has no Go spelling (the tag only sets it)", k)
			return
		}
		*tags = append(*tags, k)
		return
	default:
		s.fail(path, "%s %s has no Go spelling", k, raw)
		return
	}
	if !tagSafe(text) {
		s.fail(path, "%s %q cannot be written in a struct tag", k, text)
		return
	}
	*tags = append(*tags, k+"="+escapeTag(text))
	if k == "format" || k == "pattern" {
		s.im.note(path, "%s %q (kept in the jsonschema tag; Go's type does not check it)", k, text)
	}
}

// tagSafe reports whether a value can stand in a jsonschema tag written
// in backquotes: no quote, backquote, backslash or newline.
func tagSafe(s string) bool { return !strings.ContainsAny(s, "\"`\\\n") }

// escapeTag escapes the commas that separate a jsonschema tag's parts.
func escapeTag(s string) string { return strings.ReplaceAll(s, ",", `\,`) }
