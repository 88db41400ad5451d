package workflows_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/workflows"
)

var all = []dsl.Declaration{workflows.PayoutInitiated, workflows.WeeklyDigest, workflows.OrderShipped}

func TestExamplesAreWellBuilt(t *testing.T) {
	for _, w := range all {
		if p := w.Problems(); len(p) != 0 {
			t.Errorf("%s: problems: %v", w.Definition().WorkflowID, p)
		}
	}
}

// The examples are what the documents name; their ids and step order are
// the contract with the services that trigger them.
func TestExampleShapes(t *testing.T) {
	type step struct {
		ID   string
		Type dsl.StepType
	}
	want := map[string][]step{
		"payout-initiated": {{"notice", dsl.TypeInApp}, {"receipt", dsl.TypeEmail}},
		"weekly-digest":    {{"collect", dsl.TypeDigest}, {"summary", dsl.TypeEmail}},
		"order-shipped":    {{"shipped", dsl.TypeInApp}, {"wait-for-carrier", dsl.TypeDelay}, {"details", dsl.TypeEmail}},
	}
	got := map[string][]step{}
	for _, w := range all {
		d := w.Definition()
		if !d.Active {
			t.Errorf("%s is not active", d.WorkflowID)
		}
		for _, s := range d.Steps {
			got[d.WorkflowID] = append(got[d.WorkflowID], step{s.StepID, s.Type})
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("workflows (-want +got):\n%s", diff)
	}
}

// payloadRef finds payload references in templates ({{ payload.a.b }},
// {% for x in payload.items %}, {% if payload.x %}) and skip conditions.
// A payload preceded by a dot is a digested event's (e.payload.title), not
// the trigger's.
var payloadRef = regexp.MustCompile(`(?:^|[^.\w])payload((?:\.\w+)+)`)

// TestExamplesReferOnlyToPayloadFields is the examples' own guard, which
// needs no generator (workflows imports only dsl): an example that names a
// field its payload lacks would teach the wrong thing. go generate checks
// every template fully with internal/validate.
func TestExamplesReferOnlyToPayloadFields(t *testing.T) {
	refs := 0
	for _, w := range all {
		d := w.Definition()
		for _, s := range d.Steps {
			for _, text := range texts(s.ControlValues) {
				for _, m := range payloadRef.FindAllStringSubmatch(text, -1) {
					refs++
					if !hasPath(w.PayloadType(), strings.Split(m[1][1:], ".")) {
						t.Errorf("%s step %s: payload%s names no field of %v", d.WorkflowID, s.StepID, m[1], w.PayloadType())
					}
				}
			}
		}
	}
	if refs < 20 {
		t.Errorf("found only %d payload references; is the pattern broken?", refs)
	}
}

func TestDigestEventsReferOnlyToPayloadFields(t *testing.T) {
	d := workflows.WeeklyDigest.Definition()
	body := d.Steps[1].ControlValues["body"].(string)
	refs := regexp.MustCompile(`\be\.payload\.([A-Za-z0-9_]+)`).FindAllStringSubmatch(body, -1)
	if len(refs) == 0 {
		t.Fatal("the digest email reads no event fields")
	}
	for _, m := range refs {
		if !hasPath(workflows.WeeklyDigest.PayloadType(), []string{m[1]}) {
			t.Errorf("e.payload.%s names no field of WeeklyDigestPayload", m[1])
		}
	}
}

// texts returns every string inside a control value, nested ones too.
func texts(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, texts(e)...)
		}
		return out
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, texts(e)...)
		}
		return out
	}
	return nil
}

// hasPath follows json names through structs, pointers and slices.
func hasPath(t reflect.Type, path []string) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if len(path) == 0 {
		return true
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == path[0] {
			return hasPath(f.Type, path[1:])
		}
	}
	return false
}
