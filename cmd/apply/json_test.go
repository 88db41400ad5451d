package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/novutest"
)

// planOutput is what -plan -json writes.
type planOutput struct {
	SchemaVersion string      `json:"schemaVersion"`
	Plan          *apply.Plan `json:"plan"`
}

// TestJSONListsAreNeverNull runs scenarios that leave lists empty (no
// targets, no changes, failures without targets, an empty registry,
// orphans, tags removed in the dashboard) and walks the whole -json output
// of each beside the Go type it encodes: a null wherever the type is a
// list fails, so a reader can iterate every list without a null check.
// A change of a list-valued field (tags, steps) must hold lists too.
func TestJSONListsAreNeverNull(t *testing.T) {
	reg := genRegistry(t)
	planType, reportType := reflect.TypeFor[planOutput](), reflect.TypeFor[apply.Report]()
	type scenario struct {
		name string
		out  string
		typ  reflect.Type
	}
	var runs []scenario
	add := func(name string, r result, wantCode int, typ reflect.Type) {
		t.Helper()
		if r.code != wantCode {
			t.Fatalf("%s: exit %d, want %d\n%s\n%s", name, r.code, wantCode, r.stdout, r.stderr)
		}
		runs = append(runs, scenario{name, r.stdout, typ})
	}

	h := newCmdHarness(t, withProduction)
	add("cold plan", h.run("-plan", "-json"), 0, planType)
	add("plan without targets", h.run("-plan", "-json", "-to="), 0, planType)
	empty := writeRegistry(t, dsl.Registry{Owner: reg.Owner})
	add("plan of an empty registry", h.run("-plan", "-json", "-registry", empty), 0, planType)
	add("report of an empty registry", h.run("-json", "-registry", empty), 0, reportType)
	add("cold apply", h.run("-json"), 0, reportType)
	add("nothing to do", h.run("-plan", "-json"), 0, planType)

	// Tags removed in the dashboard, and a workflow declared without tags.
	if err := h.srv.EditWorkflow("Development", gen.OrderShipped, func(w *novutest.Workflow) { w.Tags = nil }); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.EditWorkflow("Development", gen.PayoutInitiated, func(w *novutest.Workflow) { w.Tags = []string{"dashboard"} }); err != nil {
		t.Fatal(err)
	}
	untagged := dsl.Registry{Owner: reg.Owner, Workflows: slices.Clone(reg.Workflows)}
	for i := range untagged.Workflows {
		if untagged.Workflows[i].WorkflowID == gen.PayoutInitiated {
			untagged.Workflows[i].Tags = nil
		}
	}
	add("tags changed", h.run("-plan", "-json", "-registry", writeRegistry(t, untagged)), 0, planType)
	if out := runs[len(runs)-1].out; strings.Count(out, `"path": "tags"`) != 2 {
		t.Errorf("tags changed: the plan does not show both tags changes:\n%s", out)
	}

	// Orphans, planned and pruned.
	fewer := writeRegistry(t, dsl.Registry{Owner: reg.Owner, Workflows: reg.Workflows[:1]})
	add("plan with orphans", h.run("-plan", "-json", "-registry", fewer), 0, planType)
	add("prune", h.run("-json", "-prune", "-registry", fewer), 0, reportType)

	// Every create refused: failed workflows have no target results.
	limited := newCmdHarnessWith(t, novutest.Options{MaxSteps: 1})
	add("failures", limited.run("-json"), 1, reportType)

	for _, s := range runs {
		var v any
		if err := json.Unmarshal([]byte(s.out), &v); err != nil {
			t.Fatalf("%s: -json output is not JSON: %v\n%s", s.name, err, s.out)
		}
		for _, p := range nullLists("", v, s.typ) {
			t.Errorf("%s: %s is null; want a list ([] when empty)", s.name, p)
		}
	}
}

// nullLists returns the paths in v, the JSON encoding of a value of type
// t, where a list is null. Old and new of a change of a list-valued field
// (tags, steps) count as lists.
func nullLists(path string, v any, t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			return []string{path}
		}
		return nil
	}
	var out []string
	switch t.Kind() {
	case reflect.Struct:
		obj, _ := v.(map[string]any)
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			fv, ok := obj[name]
			if !ok {
				continue // omitted (omitempty)
			}
			ft := f.Type
			if t == reflect.TypeFor[apply.Change]() && (name == "old" || name == "new") && (obj["path"] == "tags" || obj["path"] == "steps") {
				ft = reflect.TypeFor[[]any]()
			}
			out = append(out, nullLists(path+"."+name, fv, ft)...)
		}
	case reflect.Slice, reflect.Array:
		items, _ := v.([]any)
		for i, item := range items {
			out = append(out, nullLists(path+"["+strconv.Itoa(i)+"]", item, t.Elem())...)
		}
	case reflect.Map:
		obj, _ := v.(map[string]any)
		for k, item := range obj {
			out = append(out, nullLists(path+"."+k, item, t.Elem())...)
		}
	}
	return out
}

func TestJSONReportSchema(t *testing.T) {
	r := newCmdHarness(t).run("-json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep apply.Report
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("-json output is not a Report: %v\n%s", err, r.stdout)
	}
	if rep.SchemaVersion != "novugen.apply/v1" || rep.Summary.Created != 3 || len(rep.Workflows) != 3 || rep.Plan == nil {
		t.Errorf("report %+v", rep)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(r.stdout), &raw)
	for _, k := range []string{"schemaVersion", "plan", "workflows", "pruned", "failures", "summary", "interrupted", "requests"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
}
