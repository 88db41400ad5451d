package apply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/novugen/novugen/registry"
)

// Change is one field that differs between the definition and what Novu
// holds. Path names the field the way a reader of the registry would look for
// it (steps[email].controlValues.subject); Old is Novu's value (nil when
// absent), New is the definition's.
type Change struct {
	Path string `json:"path"`
	Old  any    `json:"old"`
	New  any    `json:"new"`
}

// String renders the change for the human plan: one line, or, when both
// sides are text too long for one (an email body), the lines that differ,
// as "- old" and "+ new" lines under the path.
func (c Change) String() string {
	old, ok1 := c.Old.(string)
	new, ok2 := c.New.(string)
	if ok1 && ok2 && (strings.Contains(old+new, "\n") || len(old)+len(new) > 2*briefMax) {
		return c.Path + ":\n" + lineDiff(old, new)
	}
	return fmt.Sprintf("%s: %s → %s", c.Path, brief(c.Old), brief(c.New))
}

// lineDiff shows the lines between the common head and the common tail of
// two texts: edits to templates are local, so that is the change a reviewer
// needs, without a diff algorithm's noise.
func lineDiff(old, new string) string {
	a, b := strings.Split(old, "\n"), strings.Split(new, "\n")
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	var out []string
	for _, l := range a[head : len(a)-tail] {
		out = append(out, "  - "+l)
	}
	for _, l := range b[head : len(b)-tail] {
		out = append(out, "  + "+l)
	}
	return strings.Join(out, "\n")
}

// briefMax is the length at which brief cuts a value.
const briefMax = 80

// brief renders a value compactly: JSON without HTML escaping (templates are
// full of < and >), cut at a readable length.
func brief(v any) string {
	if v == nil {
		return "(none)"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	const max = briefMax
	if len(b) > max {
		return string(b[:max-1]) + "…"
	}
	return string(b)
}

// normalize turns any JSON-compatible Go value into the generic form
// encoding/json decodes into (map[string]any, []any, float64, string, bool,
// nil), so that values from the registry and from Novu compare as data, not
// as Go types: 2 and 2.0 are equal, as docs/novu-api.md §6 asks.
func normalize(v any) any {
	switch v := v.(type) {
	case nil, string, bool, float64:
		return v
	case json.RawMessage:
		if len(bytes.TrimSpace(v)) == 0 {
			return nil
		}
		var out any
		if err := json.Unmarshal(v, &out); err != nil {
			return string(v)
		}
		return out
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return string(b)
	}
	return out
}

// equalJSON reports whether two normalized values are the same JSON.
func equalJSON(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, av := range a {
			bv, ok := bm[k]
			if !ok || !equalJSON(av, bv) {
				return false
			}
		}
		return true
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !equalJSON(a[i], bs[i]) {
				return false
			}
		}
		return true
	case float64:
		bf, ok := b.(float64)
		return ok && a == bf
	default:
		return a == b
	}
}

// serverDefaults are the control values Novu fills in, per step type, when a
// write leaves them out: the defaults of the control DTOs in openapi.json
// (EmailControlDto, InAppControlDto, DelayControlDto, ThrottleControlDto).
// A stored key the definition does not set is a change unless it holds its
// type's default here.
var serverDefaults = map[registry.StepType]map[string]any{
	registry.TypeEmail:    {"body": "", "editorType": "block", "disableOutputSanitization": false},
	registry.TypeInApp:    {"disableOutputSanitization": false},
	registry.TypeDelay:    {"type": "regular"},
	registry.TypeThrottle: {"type": "fixed", "threshold": 1.0},
}

// diffControls compares the control values a step declares with those Novu
// holds. Keys are visited in sorted order so the plan is deterministic.
//
// Both directions count. A key the definition sets must be stored with the
// same value (numbers numerically, nested objects and arrays exactly). A key
// Novu stores that the definition does not set is a change too, unless it
// holds the value Novu itself fills in for that step type (serverDefaults):
// it is what is left of a control the declaration stopped setting (an old
// skip rule, a layoutId), and the update, which sends the full
// controlValues, removes it. Calling such a workflow unchanged would leave
// the old control in place for good. Nested objects compare exactly for the
// same reason: the update replaces them whole, and the control DTOs
// document no nested default.
func diffControls(path string, typ registry.StepType, want map[string]any, got map[string]any) []Change {
	keys := make([]string, 0, len(want)+len(got))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []Change
	for _, k := range keys {
		g, stored := got[k]
		wv, set := want[k]
		switch {
		case !set:
			if d, ok := serverDefaults[typ][k]; ok && equalJSON(normalize(d), g) {
				continue
			}
			out = append(out, Change{Path: path + "." + k, Old: g, New: nil})
		case !stored:
			out = append(out, Change{Path: path + "." + k, Old: nil, New: normalize(wv)})
		default:
			if w := normalize(wv); !equalJSON(w, g) {
				out = append(out, Change{Path: path + "." + k, Old: g, New: w})
			}
		}
	}
	return out
}

// tagSet is tags as a set: Novu keeps them as a list, but their order carries
// no meaning and the dashboard may reorder them. No tags is an empty list,
// never nil, so a change to or from no tags shows [] in the plan's JSON.
func tagSet(tags []string) []string {
	out := append([]string{}, tags...)
	sort.Strings(out)
	return slices.Compact(out)
}

// stepPath names a step in a Change path by its stepId when it has one, else
// by position.
func stepPath(i int, stepID string) string {
	if stepID != "" {
		return "steps[" + stepID + "]"
	}
	return "steps[" + strconv.Itoa(i) + "]"
}
