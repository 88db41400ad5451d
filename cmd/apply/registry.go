package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/entry"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/sources"
)

// A registry older than its declarations is refused in one of two ways,
// never both: the compiled-in gen is compared with the declarations
// compiled in beside it (fresh: exact, and needs no source files), and a
// -registry file, whose declarations apply cannot run, with the digests
// of the source files it records (registryFile). Both refuse with
// staleError.

// registryFile reads a -registry file. It is refused before it is read
// whole when larger than dsl.MaxRegistrySize, or when it holds invalid
// UTF-8 or is not a registry; then, when its module's files are beside
// it, when they changed since go generate wrote it. When they are not
// there, notes gets one line saying that it was not checked.
func registryFile(path string, notes io.Writer) (dsl.Registry, error) {
	f, err := os.Open(path)
	if err != nil {
		return dsl.Registry{}, usagef("-registry: %v; give the registry.json that go generate wrote (usually gen/registry.json)", err)
	}
	defer f.Close()
	reg, err := dsl.ReadRegistry(f) // a regular file is sized before it is read; any other is cut at the limit
	if err != nil {
		return dsl.Registry{}, fmt.Errorf("-registry %s: %w", path, err)
	}
	if reg.Owner == "" {
		// The owner decides what -prune may delete; a registry without
		// one was written by hand or by an older novugen.
		return dsl.Registry{}, fmt.Errorf("-registry %s: no \"owner\"; regenerate it with go generate (novugen writes the declaring package's import path there)", path)
	}
	out, err := sources.Check(filepath.Dir(path), reg.Sources)
	if err != nil {
		return dsl.Registry{}, fmt.Errorf("-registry %s: checking it against its sources: %w", path, err)
	}
	if !out.Checked {
		fmt.Fprintf(notes, "apply: -registry %s: not checked against its declarations, since %s; in CI, run novugen -check before apply\n", path, out.Why)
		return reg, nil
	}
	if len(out.Stale) > 0 {
		whys := make([]string, len(out.Stale))
		for i, s := range out.Stale {
			whys[i] = s + " since go generate wrote it"
		}
		return dsl.Registry{}, staleError("-registry "+path, whys, path)
	}
	return reg, nil
}

// staleError refuses a registry that go generate would write differently
// now, naming what changed and what to run.
func staleError(what string, whys []string, commit string) error {
	return fmt.Errorf("%s is stale: %s; run go generate ./... and commit %s", what, strings.Join(whys, "; "), commit)
}

// compiledRegistry is the registry compiled in from package gen: this
// repository's workflows. Another module's registry comes in with -registry.
// It must be what the declarations compiled in beside it generate today:
// a gen/ left stale after workflows/ changed would apply old definitions.
func compiledRegistry() (dsl.Registry, error) {
	reg, err := gen.Registry()
	if err != nil {
		return dsl.Registry{}, fmt.Errorf("compiled-in registry (package gen): %w; run go generate ./... and rebuild", err)
	}
	// Each report builds a payload schema by reflection: once per
	// declaration serves both checks.
	reports := reportsOf(gen.Declarations)
	if err := fresh(reports, reg.Workflows); err != nil {
		return dsl.Registry{}, err
	}
	if err := freshLayouts(reports, reg.Layouts); err != nil {
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

// reportsOf is what the generator makes of each declaration, in order.
func reportsOf(decls []dsl.Declaration) []entry.Report {
	reports := make([]entry.Report, len(decls))
	for i, d := range decls {
		reports[i] = entry.Of(d)
	}
	return reports
}

// fresh reports, in one error, every workflow whose registry entry is not
// what its declaration (its report, from reportsOf) generates now (the
// first differing field named), and every workflow declared but not in the
// registry or the other way round.
func fresh(reports []entry.Report, defs []dsl.Definition) error {
	type stale struct{ id, why string }
	var found []stale
	inRegistry := map[string]dsl.Definition{}
	for _, d := range defs {
		inRegistry[d.WorkflowID] = d
	}
	declared := map[string]bool{}
	for _, r := range reports {
		want := r.Definition
		id := want.WorkflowID
		if declared[id] {
			found = append(found, stale{id, fmt.Sprintf("workflow %q is declared more than once", id)})
			continue
		}
		declared[id] = true
		if err := r.Err(); err != nil {
			found = append(found, stale{id, fmt.Sprintf("workflow %q: %v", id, err)})
			continue
		}
		got, ok := inRegistry[id]
		if !ok {
			found = append(found, stale{id, fmt.Sprintf("workflow %q is declared but not in registry.json", id)})
			continue
		}
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
	return staleError("gen/", whys, "gen/")
}

// freshLayouts reports, in one error, every layout the declarations' email
// steps use that registry.json holds otherwise or not at all, and every
// layout registry.json holds that no declaration uses any more.
func freshLayouts(reports []entry.Report, layouts []dsl.LayoutDef) error {
	declared := map[string]dsl.LayoutDef{}
	for _, r := range reports {
		for _, l := range r.Layouts {
			declared[l.Def.LayoutID] = l.Def
		}
	}
	var whys []string
	inRegistry := map[string]bool{}
	for _, l := range layouts {
		inRegistry[l.LayoutID] = true
		switch want, ok := declared[l.LayoutID]; {
		case !ok:
			whys = append(whys, fmt.Sprintf("layout %q is in registry.json but no declared workflow uses it", l.LayoutID))
		case want != l:
			whys = append(whys, fmt.Sprintf("layout %q differs from its declaration", l.LayoutID))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(declared)) {
		if !inRegistry[id] {
			whys = append(whys, fmt.Sprintf("layout %q is declared but not in registry.json", id))
		}
	}
	if len(whys) == 0 {
		return nil
	}
	slices.Sort(whys)
	return staleError("gen/", whys, "gen/")
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
	return diffPath(trees[0], trees[1]), nil
}

// diffPath returns the path of the first value in which a and b differ,
// keys in sorted order. The path is kept as a stack and written out once,
// so a deep tree costs time and memory linear in its size.
func diffPath(a, b any) string {
	var path []string // keys, and "[i]" for list elements
	var differ func(a, b any) bool
	differ = func(a, b any) bool {
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
				path = append(path, k)
				if differ(am[k], bm[k]) {
					return true
				}
				path = path[:len(path)-1]
			}
			return false
		}
		as, aok := a.([]any)
		bs, bok := b.([]any)
		if aok && bok {
			for i := range min(len(as), len(bs)) {
				path = append(path, "["+strconv.Itoa(i)+"]")
				if differ(as[i], bs[i]) {
					return true
				}
				path = path[:len(path)-1]
			}
			if len(as) != len(bs) {
				path = append(path, "["+strconv.Itoa(min(len(as), len(bs)))+"]")
				return true
			}
			return false
		}
		return !reflect.DeepEqual(a, b)
	}
	if !differ(a, b) {
		return ""
	}
	if len(path) == 0 {
		return "the whole workflow"
	}
	var sb strings.Builder
	for i, p := range path {
		if i > 0 && !strings.HasPrefix(p, "[") {
			sb.WriteByte('.')
		}
		sb.WriteString(p)
	}
	return sb.String()
}
