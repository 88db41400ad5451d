package main

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/generate"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/rogpeppe/go-internal/txtar"
)

const (
	// goldenDir holds one archive per generator case.
	goldenDir = "testdata/golden"
	// pkgDir is this package's directory in the module. The generator
	// names source files by their path from the module root and packages
	// by import path, so a case extracted to dir shows as pkgDir+dir in
	// both.
	pkgDir = "cmd/novugen/"
	// stderrFile and wantDir name the sections of an archive that hold the
	// generator's output; every other section is a file of the input
	// package, its subpackages included (parts/parts.go).
	stderrFile = "stderr.txt"
	wantDir    = "want/"
)

// TestGolden replays every case under testdata/golden: an archive holding
// a tiny package, plus want/ (the expected output, exit 0) or stderr.txt
// (the expected errors, exit 1). Warnings of a passing case go in
// stderr.txt beside want/. The package is extracted inside the module,
// where it can import dsl; inputs and outputs name it by the path its
// archive stands for, testdata/golden/<case>, whatever the directory it
// runs in. New behaviour gets a new archive holding only the input;
// go test ./cmd/novugen -update writes the output sections (the input ones
// are left as they are); explain any change in the output you did not
// intend.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no cases in %s", goldenDir)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := readCase(t, name)
			dir, stable := c.extract(t)
			out := filepath.Join(t.TempDir(), "gen")
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"-out", out, "./" + filepath.ToSlash(dir)}, nil, &stdout, &stderr)
			gotStderr := stable(stderr.String())
			got := readOutput(t, out, stable)

			// The archive says whether the case passes (it has want/
			// sections); under -update the run says it.
			passing := len(c.want()) > 0
			if testenv.Update() {
				passing = code == 0
			}
			if !passing {
				if code != 1 {
					t.Errorf("exit status %d, want 1", code)
				}
				if len(got) > 0 {
					t.Errorf("wrote %d files despite the errors", len(got))
				}
				got = nil
			} else if code != 0 {
				t.Fatalf("exit status %d, want 0; stderr:\n%s", code, stderr.String())
			}
			testenv.Golden(t, c.file, c.withOutput(t, gotStderr, got))
			if passing {
				checkGenerated(t, filepath.Join(out, generate.GoFile))
			}
		})
	}
}

// goldenCase is one archive of testdata/golden.
type goldenCase struct {
	name string // the archive's base name, which is the package directory's
	file string
	ar   *txtar.Archive
}

func readCase(t testing.TB, name string) *goldenCase {
	t.Helper()
	file := filepath.Join(goldenDir, name+".txtar")
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return &goldenCase{name: name, file: file, ar: ar}
}

func isOutput(name string) bool {
	return name == stderrFile || strings.HasPrefix(name, wantDir)
}

// want returns the want/ sections, by file name.
func (c *goldenCase) want() map[string]string {
	want := map[string]string{}
	for _, f := range c.ar.Files {
		if name, ok := strings.CutPrefix(f.Name, wantDir); ok {
			want[name] = string(f.Data)
		}
	}
	return want
}

// extract writes the input package to a fresh directory under testdata,
// removed when t ends, and returns it with the function that turns what
// the generator says of it back into what the archive says: the archive
// names its own package (an import of a subpackage, a file in stderr) by
// pkgDir+goldenDir/<case>, which extract points at the directory.
func (c *goldenCase) extract(t testing.TB) (dir string, stable func(string) string) {
	t.Helper()
	dir = filepath.Join(testenv.ModuleTempDir(t, "golden"), c.name)
	archived := pkgDir + path.Join(goldenDir, c.name)
	actual := pkgDir + filepath.ToSlash(dir)
	for _, f := range c.ar.Files {
		if isOutput(f.Name) {
			continue
		}
		file := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		data := bytes.ReplaceAll(f.Data, []byte(archived), []byte(actual))
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, func(s string) string { return strings.ReplaceAll(s, actual, archived) }
}

// withOutput is the archive with its output sections replaced by stderr
// (left out when empty) and the want/ files got, sorted by name; the input
// sections and the comment stay as they are.
func (c *goldenCase) withOutput(t *testing.T, stderr string, got map[string]string) []byte {
	t.Helper()
	files := slices.DeleteFunc(slices.Clone(c.ar.Files), func(f txtar.File) bool { return isOutput(f.Name) })
	add := func(name, data string) {
		// A txtar section always ends with a newline: an output without
		// one could never match the archive, so it is a failure of its
		// own rather than a newline the archive would add.
		if data != "" && !strings.HasSuffix(data, "\n") {
			t.Errorf("%s does not end with a newline:\n%s", name, data)
		}
		files = append(files, txtar.File{Name: name, Data: []byte(data)})
	}
	if stderr != "" {
		add(stderrFile, stderr)
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		add(wantDir+name, got[name])
	}
	return txtar.Format(&txtar.Archive{Comment: c.ar.Comment, Files: files})
}

// readOutput returns the files the generator wrote to out, by name,
// through stable; none if out does not exist.
func readOutput(t *testing.T, out string, stable func(string) string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = stable(string(data))
	}
	return got
}

// checkGenerated asserts what go.dev/s/generatedcode and gofmt require of a
// generated Go file.
func checkGenerated(t *testing.T, file string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(src), "\n"); first != generate.Header {
		t.Errorf("first line %q, want %q", first, generate.Header)
	}
	f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if !ast.IsGenerated(f) {
		t.Error("ast.IsGenerated is false")
	}
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(formatted, src) {
		t.Error("output is not gofmt'd")
	}
}
