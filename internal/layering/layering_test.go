package layering

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/novugen/novugen"

// rule says which of this module's packages a package may import (directly or
// not), and whether it may import anything outside the standard library.
type rule struct {
	allow   []string // module-relative package paths
	stdOnly bool     // no third-party packages at all
}

var rules = map[string]rule{
	"registry":          {stdOnly: true},
	"dsl":               {allow: []string{"registry"}, stdOnly: true},
	"workflows":         {allow: []string{"dsl", "registry"}, stdOnly: true},
	"gen":               {allow: []string{"dsl", "registry", "workflows"}, stdOnly: true},
	"payloadschema":     {},
	"internal/liquid":   {stdOnly: true},
	"internal/validate": {allow: []string{"dsl", "registry", "internal/liquid"}, stdOnly: true},
	"internal/sources":  {allow: []string{"dsl", "registry"}, stdOnly: true},
	"cmd/novugen":       {allow: []string{"dsl", "registry", "payloadschema", "internal/validate", "internal/liquid", "internal/sources", "internal/version"}},
	"novutest":          {},
	"cmd/novu-emulator": {allow: []string{"novutest", "internal/version"}},
	"internal/novu":     {allow: []string{"dsl", "registry"}},
	"internal/apply":    {allow: []string{"dsl", "registry", "internal/validate", "internal/liquid", "internal/novu"}},
	"internal/version":  {stdOnly: true},
	"cmd/apply": {allow: []string{"dsl", "registry", "workflows", "gen", "payloadschema", "internal/validate", "internal/liquid",
		"internal/novu", "internal/apply", "internal/sources", "novutest", "internal/version"}},
}

type pkg struct {
	ImportPath string
	Standard   bool
	Deps       []string
	DepsErrors []struct{ Err string }
}

// TestImportDirection fails on any import edge the architecture does not allow.
func TestImportDirection(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps=false", "-json", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	seen := map[string]bool{}
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		r, ok := rules[rel]
		if !ok {
			continue
		}
		seen[rel] = true
		deps, err := depsOf(p.ImportPath)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range deps {
			if d.Standard {
				continue
			}
			if strings.HasPrefix(d.ImportPath, module+"/") || d.ImportPath == module {
				drel := strings.TrimPrefix(d.ImportPath, module+"/")
				if !slices.Contains(r.allow, drel) {
					t.Errorf("%s imports %s; allowed: %v (docs/ARCHITECTURE.md)", rel, drel, r.allow)
				}
				continue
			}
			if r.stdOnly {
				t.Errorf("%s imports third-party %s; it may use the standard library only", rel, d.ImportPath)
			}
		}
	}
	for _, must := range []string{"dsl", "internal/validate"} {
		if !seen[must] {
			t.Errorf("package %s not found by go list", must)
		}
	}
}

func depsOf(path string) ([]pkg, error) {
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Standard", path)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var deps []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		if p.ImportPath != path {
			deps = append(deps, p)
		}
	}
	return deps, nil
}
