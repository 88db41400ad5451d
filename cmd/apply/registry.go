package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/payloadschema"
)

// compiledRegistry is the registry compiled in from package gen: this
// repository's workflows. Another module's registry comes in with -registry.
// It must be what the declarations compiled in beside it generate today:
// a gen/ left stale after workflows/ changed would apply old definitions.
func compiledRegistry() (dsl.Registry, error) {
	reg, err := gen.Registry()
	if err != nil {
		return dsl.Registry{}, fmt.Errorf("compiled-in registry (package gen): %w; run go generate ./... and rebuild", err)
	}
	if err := fresh(gen.Declarations, reg.Workflows); err != nil {
		return dsl.Registry{}, err
	}
	if reg.Owner == "" {
		return dsl.Registry{}, errors.New("compiled-in registry (package gen) has no owner, which decides what -prune may delete; run go generate ./... and rebuild")
	}
	return reg, nil
}

// module is this repository's module path.
const module = "github.com/novugen/novugen"

// compiledRegistryIsYours refuses the compiled-in registry when this binary
// was not built from this repository's source: as a tool of another module
// (go tool apply) or from the module proxy (go run ...@version), package gen
// holds novugen's example workflows, and applying them, or pruning against
// them, would write someone else's workflows into the user's Novu.
func compiledRegistryIsYours(info *debug.BuildInfo) error {
	if info == nil {
		return nil // no build information: a test binary or an unusual build; nothing to tell
	}
	// A tool of another module reports novugen as its main module too (go
	// tool builds the tool's own module), but with a version from the
	// module proxy (a checksum) or a replace directive; a build of this
	// repository's source has neither.
	if info.Main.Path == module && info.Main.Sum == "" && info.Main.Replace == nil {
		return nil
	}
	from := "novugen " + info.Main.Version + " as a dependency of another module"
	if info.Main.Path != module {
		from = "module " + info.Main.Path
	}
	return usagef("no -registry: this apply was built as part of %s, so its compiled-in registry is novugen's example workflows, not yours; pass -registry gen/registry.json (the file go generate wrote in your module)", from)
}

// fresh reports, in one error, every workflow whose registry entry is not
// what its declaration generates now (the first differing field named),
// and every workflow declared but not in the registry or the other way round.
func fresh(decls []dsl.Declaration, defs []dsl.Definition) error {
	type stale struct{ id, why string }
	var found []stale
	inRegistry := map[string]dsl.Definition{}
	for _, d := range defs {
		inRegistry[d.WorkflowID] = d
	}
	declared := map[string]bool{}
	for _, d := range decls {
		want := d.Definition()
		id := want.WorkflowID
		if declared[id] {
			found = append(found, stale{id, fmt.Sprintf("workflow %q is declared more than once", id)})
			continue
		}
		declared[id] = true
		schema, err := payloadschema.Generate(d.PayloadType(), payloadschema.Options{Strict: d.StrictPayload()})
		if why := declarationError(d, err); why != "" {
			found = append(found, stale{id, fmt.Sprintf("workflow %q: %s", id, why)})
			continue
		}
		got, ok := inRegistry[id]
		if !ok {
			found = append(found, stale{id, fmt.Sprintf("workflow %q is declared but not in registry.json", id)})
			continue
		}
		want.PayloadSchema = schema.JSON
		if path, err := firstDifference(want, got); err != nil {
			return fmt.Errorf("comparing workflow %q with its declaration: %w", id, err)
		} else if path != "" {
			found = append(found, stale{id, fmt.Sprintf("workflow %q differs from its declaration (%s)", id, path)})
		}
	}
	for _, d := range defs {
		if !declared[d.WorkflowID] {
			found = append(found, stale{d.WorkflowID, fmt.Sprintf("workflow %q is in registry.json but no longer declared", d.WorkflowID)})
		}
	}
	if len(found) == 0 {
		return nil
	}
	slices.SortStableFunc(found, func(a, b stale) int { return strings.Compare(a.id, b.id) })
	whys := make([]string, len(found))
	for i, s := range found {
		whys[i] = s.why
	}
	return fmt.Errorf("gen/ is stale: %s; run go generate ./... and commit gen/", strings.Join(whys, "; "))
}

// declarationError is what stops the generator from generating d at all:
// builder misuse recorded by dsl, or schemaErr, its payload type's failure
// to become a schema.
func declarationError(d dsl.Declaration, schemaErr error) string {
	var msgs []string
	for _, p := range d.Problems() {
		if p.Step != "" {
			msgs = append(msgs, fmt.Sprintf("step %q: %s", p.Step, p.Message))
		} else {
			msgs = append(msgs, p.Message)
		}
	}
	if schemaErr != nil {
		msgs = append(msgs, fmt.Sprintf("payload type %s cannot become a JSON schema: %v", d.PayloadType(), schemaErr))
	}
	return strings.Join(msgs, ", ")
}

// firstDifference compares want and got as JSON, so number representations
// and the schema's indentation do not count, and returns the path of the
// first field that differs, e.g. steps[2].controlValues.subject; "" when
// they are equal.
func firstDifference(want, got dsl.Definition) (string, error) {
	var trees [2]any
	for i, d := range []dsl.Definition{want, got} {
		data, err := json.Marshal(d)
		if err != nil {
			return "", err
		}
		if err := json.Unmarshal(data, &trees[i]); err != nil {
			return "", err
		}
	}
	return diffPath("", trees[0], trees[1]), nil
}

func diffPath(path string, a, b any) string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := make([]string, 0, len(am)+len(bm))
		for k := range am {
			keys = append(keys, k)
		}
		for k := range bm {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			if p := diffPath(join(path, k), am[k], bm[k]); p != "" {
				return p
			}
		}
		return ""
	}
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok {
		for i := range min(len(as), len(bs)) {
			if p := diffPath(fmt.Sprintf("%s[%d]", path, i), as[i], bs[i]); p != "" {
				return p
			}
		}
		if len(as) != len(bs) {
			return fmt.Sprintf("%s[%d]", path, min(len(as), len(bs)))
		}
		return ""
	}
	if reflect.DeepEqual(a, b) {
		return ""
	}
	if path == "" {
		return "the whole workflow"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
