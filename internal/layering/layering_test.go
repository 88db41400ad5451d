package layering

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/novugen/novugen"

// rule is what one package of the module is and what it may import
// directly (its own files, not its tests: a test may build fixtures with
// anything the module has).
type rule struct {
	layer string   // the layer docs/ARCHITECTURE.md draws it in
	allow []string // packages of this module, module-relative
	third []string // third-party modules
}

// rules is the single truth about imports: every package of the module has
// one, and docs/ARCHITECTURE.md's table says the same (TestArchitectureTable).
var rules = map[string]rule{
	// data
	"registry": {layer: "data"},
	// authoring
	"dsl":       {layer: "authoring", allow: []string{"registry"}},
	"workflows": {layer: "authoring", allow: []string{"dsl"}},
	"gen":       {layer: "authoring (generated)", allow: []string{"dsl", "workflows"}},
	// wire
	"internal/novu": {layer: "wire", allow: []string{"registry"}, third: []string{"golang.org/x/time"}},
	// checks (and pictures) the generator and the engine share
	"internal/liquid":   {layer: "validator"},
	"internal/goname":   {layer: "validator"},
	"internal/diagram":  {layer: "validator", allow: []string{"registry"}},
	"internal/render":   {layer: "validator", third: []string{"github.com/osteele/liquid"}},
	"internal/validate": {layer: "validator", allow: []string{"registry", "internal/liquid", "internal/goname"}},
	"internal/sources":  {layer: "validator", allow: []string{"registry"}},
	// generator
	"payloadschema": {layer: "generator", third: []string{"github.com/invopop/jsonschema"}},
	"entry":         {layer: "generator", allow: []string{"dsl", "payloadschema"}},
	"internal/generate": {layer: "generator", allow: []string{"dsl", "registry", "entry", "payloadschema", "internal/validate", "internal/sources", "internal/draft07", "internal/diagram", "internal/render",
		"internal/goname"}, third: []string{"github.com/dave/jennifer", "github.com/rogpeppe/go-internal", "golang.org/x/tools"}},
	"internal/importer": {layer: "generator", allow: []string{"registry", "internal/novu", "internal/liquid", "internal/goname"}, third: []string{"github.com/dave/jennifer"}},
	"cmd/novugen":       {layer: "generator", allow: []string{"internal/generate", "internal/importer", "internal/novu", "internal/version", "internal/cli"}},
	// engine
	"internal/apply": {layer: "engine", allow: []string{"registry", "internal/validate", "internal/novu"},
		third: []string{"golang.org/x/sync", "golang.org/x/time"}},
	// sender
	"notify": {layer: "sender", allow: []string{"dsl", "entry", "internal/novu", "internal/draft07"},
		third: []string{"github.com/santhosh-tekuri/jsonschema/v6", "golang.org/x/sync", "golang.org/x/time"}},
	"examples/orders":   {layer: "sender", allow: []string{"notify", "workflows"}},
	"notify/notifytest": {layer: "sender", allow: []string{"dsl", "entry", "internal/novu", "novutest"}},
	"internal/draft07":  {layer: "validator", third: []string{"github.com/santhosh-tekuri/jsonschema/v6", "golang.org/x/text"}},
	// emulator
	"novutest":          {layer: "emulator", third: []string{"github.com/santhosh-tekuri/jsonschema/v6", "golang.org/x/text", "golang.org/x/time"}},
	"cmd/novu-emulator": {layer: "emulator", allow: []string{"novutest", "internal/version", "internal/cli"}},
	// commands
	"cmd/apply": {layer: "commands", allow: []string{"dsl", "registry", "gen", "entry", "internal/diagram",
		"internal/apply", "internal/novu", "internal/sources", "internal/version", "internal/cli", "novutest"}},
	"internal/version": {layer: "commands"},
	"internal/cli":     {layer: "commands"},
	// tests
	"internal/conformance": {layer: "test support", third: []string{"github.com/getkin/kin-openapi"}},
	"internal/scripttest":  {layer: "test support", allow: []string{"internal/testenv", "internal/novu", "novutest"}, third: []string{"github.com/rogpeppe/go-internal"}},
	"internal/layering":    {layer: "test support"},
	"internal/standalone":  {layer: "test support"},
	"internal/testenv":     {layer: "test support", allow: []string{"internal/conformance", "novutest"}, third: []string{"github.com/google/go-cmp"}},
}

// TestRulesKeepTheLayers states the architecture's promises on the rules
// themselves. TestImportDirection binds every package's own imports to its
// rule, so what a package reaches, directly or not, is within the closure of
// the rules checked here.
func TestRulesKeepTheLayers(t *testing.T) {
	for _, tt := range []struct {
		pkg, why string
		never    []string // module packages it must not reach
		stdOnly  bool     // nothing third-party, directly or not
	}{
		{"registry", "the data layer stands alone", []string{"dsl", "internal/novu"}, true},
		{"dsl", "authoring builds on the data layer only", []string{"internal/validate", "payloadschema", "internal/novu"}, true},
		{"internal/apply", "the engine moves entries, never declarations", []string{"dsl", "workflows", "gen"}, false},
		{"internal/novu", "the client speaks the wire, built on entries", []string{"dsl", "internal/validate"}, false},
		{"internal/validate", "a hand-edited registry file is checked like a generated one", []string{"dsl"}, true},
		{"novutest", "the emulator keeps its own copies, so it cannot agree with the client by accident", []string{"internal/novu", "registry", "dsl"}, false},
		{"cmd/novugen", "a broken gen/ or workflows package can always be regenerated", []string{"workflows", "gen"}, false},
		{"notify", "a service that sends carries no emulator and no one else's workflows", []string{"novutest", "workflows", "gen", "internal/apply"}, false},
	} {
		reach, third := closure(tt.pkg)
		for _, n := range tt.never {
			if reach[n] {
				t.Errorf("%s reaches %s (%s)", tt.pkg, n, tt.why)
			}
		}
		if tt.stdOnly && len(third) > 0 {
			t.Errorf("%s reaches third-party %v; it may use the standard library only (%s)", tt.pkg, third, tt.why)
		}
	}
	if reach, _ := closure("dsl"); !slices.Equal(slices.Sorted(maps.Keys(reach)), []string{"registry"}) {
		t.Errorf("dsl reaches %v, want registry alone", slices.Sorted(maps.Keys(reach)))
	}
}

// closure is every module package pkg's rule lets it reach, and the
// third-party modules on the way.
func closure(pkg string) (map[string]bool, []string) {
	reach, third := map[string]bool{}, map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, m := range rules[p].third {
			third[m] = true
		}
		for _, a := range rules[p].allow {
			if !reach[a] {
				reach[a] = true
				walk(a)
			}
		}
	}
	walk(pkg)
	return reach, slices.Sorted(maps.Keys(third))
}

type pkg struct {
	ImportPath string
	Standard   bool
	Module     *struct{ Path string }
	Imports    []string
	Error      *struct{ Err string }
}

// TestImportDirection fails on any import the rules do not allow, and on
// any package of the module that has no rule (a new package must say where
// it stands) or any rule whose package is gone.
func TestImportDirection(t *testing.T) {
	all := list(t)
	seen := map[string]bool{}
	used := map[string][]string{} // by package: the allowed imports it makes
	for _, p := range all {
		rel, ok := relative(p)
		if !ok {
			continue
		}
		seen[rel] = true
		r, ok := rules[rel]
		if !ok {
			t.Errorf("package %s has no rule: add it to rules in internal/layering and to the table in docs/ARCHITECTURE.md", rel)
			continue
		}
		if p.Error != nil {
			t.Errorf("%s: %s", rel, p.Error.Err)
		}
		for _, imp := range p.Imports {
			d, ok := all[imp]
			switch {
			case !ok:
				t.Errorf("%s imports %s, which go list did not list", rel, imp)
			case d.Standard:
			case d.Module != nil && d.Module.Path == module:
				drel, _ := relative(d)
				if !slices.Contains(r.allow, drel) {
					t.Errorf("%s imports %s; allowed: %v (docs/ARCHITECTURE.md)", rel, drel, r.allow)
				}
				used[rel] = append(used[rel], drel)
			case d.Module == nil || !slices.Contains(r.third, d.Module.Path):
				t.Errorf("%s imports third-party %s; allowed: %v (docs/ARCHITECTURE.md)", rel, imp, r.third)
			default:
				used[rel] = append(used[rel], d.Module.Path)
			}
		}
	}
	for _, msg := range unused(rules, used) {
		t.Error(msg)
	}
	for _, name := range slices.Sorted(maps.Keys(rules)) {
		if !seen[name] {
			t.Errorf("rule for %s, which go list did not find: remove it here and in docs/ARCHITECTURE.md", name)
		}
	}
}

// unused names every allowance of rules that no package uses: an import
// allowed but not made would let a package reach further than the table
// shows it does. used holds, by package, the module packages and
// third-party modules its own files import (go list's Imports: a test's
// imports are not a package's, as in TestImportDirection).
func unused(rules map[string]rule, used map[string][]string) []string {
	var msgs []string
	for _, name := range slices.Sorted(maps.Keys(rules)) {
		r := rules[name]
		for _, a := range slices.Concat(r.allow, r.third) {
			if !slices.Contains(used[name], a) {
				msgs = append(msgs, fmt.Sprintf("%s may import %s but does not: remove it from its rule in internal/layering and from the table in docs/ARCHITECTURE.md", name, a))
			}
		}
	}
	return msgs
}

// list runs go list once over the module and everything it imports.
func list(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps", "-json=ImportPath,Standard,Module,Imports,Error", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	all := map[string]pkg{}
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		all[p.ImportPath] = p
	}
	for _, must := range []string{module + "/dsl", module + "/registry", module + "/internal/validate"} {
		if _, ok := all[must]; !ok {
			t.Fatalf("go list did not list %s: is the test run from inside the module?", must)
		}
	}
	return all
}

// relative is p's path inside the module, and whether p is the module's.
func relative(p pkg) (string, bool) {
	if p.Standard || p.Module == nil || p.Module.Path != module {
		return "", false
	}
	if p.ImportPath == module {
		return ".", true
	}
	return strings.TrimPrefix(p.ImportPath, module+"/"), true
}

// TestUnused: an allowance is used when the package's own files make the
// import, whichever of allow or third holds it.
func TestUnused(t *testing.T) {
	rules := map[string]rule{
		"a": {allow: []string{"b", "c"}, third: []string{"example.com/x"}},
		"b": {},
	}
	for _, tt := range []struct {
		name string
		used map[string][]string
		want []string
	}{
		{"all used", map[string][]string{"a": {"b", "c", "example.com/x"}}, nil},
		{"a package allowed, not imported", map[string][]string{"a": {"c", "example.com/x"}},
			[]string{"a may import b but does not"}},
		{"a module allowed, not imported", map[string][]string{"a": {"b", "c"}},
			[]string{"a may import example.com/x but does not"}},
		{"another package's import does not count", map[string][]string{"a": {"c", "example.com/x"}, "b": {"b"}},
			[]string{"a may import b but does not"}},
		{"nothing imported", nil,
			[]string{"a may import b but does not", "a may import c but does not", "a may import example.com/x but does not"}},
	} {
		got := unused(rules, tt.used)
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %q, want %d messages starting %q", tt.name, got, len(tt.want), tt.want)
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(got[i], w+":") {
				t.Errorf("%s: message %d is %q, want it to start %q", tt.name, i, got[i], w)
			}
		}
	}
}
