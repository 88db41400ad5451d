package entry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Marshal encodes reports for the generator, which reads them with
// [Unmarshal]. Every string a declaration sets travels quoted, so that
// bytes that are not UTF-8 arrive as written, for the generator to report:
// encoding/json alone would turn each into U+FFFD.
func Marshal(reports []Report) ([]byte, error) {
	quoted := make([]Report, len(reports))
	for i, r := range reports {
		// Copies, quoted in place; nil stays nil and empty empty.
		r.Definition.Tags = slices.Clone(r.Definition.Tags)
		r.Definition.Steps = slices.Clone(r.Definition.Steps)
		r.Problems = slices.Clone(r.Problems)
		r.Layouts = slices.Clone(r.Layouts)
		r.Examples = slices.Clone(r.Examples)
		if err := r.eachString(func(s string) (string, error) { return strconv.Quote(s), nil }); err != nil {
			return nil, err
		}
		quoted[i] = r
	}
	return json.Marshal(quoted)
}

// Unmarshal decodes what [Marshal] encoded, every string byte for byte as
// declared. Unknown fields are an error: the probe and the generator are
// built from the same novugen.
func Unmarshal(data []byte) ([]Report, error) {
	var reports []Report
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&reports); err != nil {
		return nil, err
	}
	for i := range reports {
		if err := reports[i].eachString(unquote); err != nil {
			return nil, fmt.Errorf("report %d: %w", i, err)
		}
		// A json.RawMessage keeps the null that stood for no schema.
		if s := &reports[i].Definition.PayloadSchema; string(*s) == "null" {
			*s = nil
		}
	}
	return reports, nil
}

func unquote(s string) (string, error) {
	u, err := strconv.Unquote(s)
	if err != nil {
		return "", fmt.Errorf("%s is not a quoted string", s)
	}
	return u, nil
}

// eachString replaces every string of r that a declaration sets (and the
// steps its problems name) with f's result, in place.
func (r *Report) eachString(f func(string) (string, error)) error {
	var failed error
	do := func(s *string) {
		if failed == nil {
			*s, failed = f(*s)
		}
	}
	d := &r.Definition
	do(&d.WorkflowID)
	do(&d.Name)
	do(&d.Description)
	for i := range d.Tags {
		do(&d.Tags[i])
	}
	for i := range d.Steps {
		s := &d.Steps[i]
		do(&s.StepID)
		do(&s.Name)
		if s.ControlValues != nil && failed == nil {
			var v any
			v, failed = mapStrings(s.ControlValues, f)
			s.ControlValues, _ = v.(map[string]any)
		}
	}
	for i := range r.Problems {
		do(&r.Problems[i].Step)
	}
	for i := range r.Examples {
		do(&r.Examples[i].Name)
	}
	for i := range r.Layouts {
		l := &r.Layouts[i].Def
		do(&l.LayoutID)
		do(&l.Name)
		do(&l.Body)
		do(&l.EditorType)
	}
	return failed
}

// mapStrings returns a copy of v, a control value in wire form, with f
// applied to every string in it, map keys included.
func mapStrings(v any, f func(string) (string, error)) (any, error) {
	switch v := v.(type) {
	case string:
		return f(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			fk, err := f(k)
			if err != nil {
				return nil, fmt.Errorf("key %w", err)
			}
			if out[fk], err = mapStrings(e, f); err != nil {
				return nil, err
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			var err error
			if out[i], err = mapStrings(e, f); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}
