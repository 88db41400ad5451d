package main

import (
	"bytes"
	"flag"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/internal/generate"
)

var update = flag.Bool("update", false, "rewrite the golden files (want/, stderr.txt) and testscripts")

// TestGolden replays every case directory under testdata: a tiny package,
// plus want/ (the expected output, exit 0) or stderr.txt (the expected
// errors, exit 1). Warnings of a passing case go in stderr.txt beside want/.
// New behaviour gets a new directory; refresh with go test ./cmd/novugen -update
// and explain any change in the output you did not intend.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		if name == "script" || strings.HasPrefix(name, "tmp-") {
			continue
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "gen")
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"-out", out, "./" + filepath.ToSlash(dir)}, &stdout, &stderr)

			wantDir := filepath.Join(dir, "want")
			_, statErr := os.Stat(wantDir)
			passing := statErr == nil
			if *update {
				passing = code == 0
				updateGolden(t, dir, out, passing, stderr.Bytes())
			}
			checkStderr(t, filepath.Join(dir, "stderr.txt"), stderr.String())
			if !passing {
				if code != 1 {
					t.Errorf("exit status %d, want 1", code)
				}
				if entries, _ := os.ReadDir(out); len(entries) > 0 {
					t.Errorf("wrote %d files despite the errors", len(entries))
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit status %d, want 0; stderr:\n%s", code, stderr.String())
			}
			compareDirs(t, wantDir, out)
			checkGenerated(t, filepath.Join(out, generate.GoFile))
		})
	}
}

func updateGolden(t *testing.T, dir, out string, passing bool, stderr []byte) {
	t.Helper()
	stderrFile := filepath.Join(dir, "stderr.txt")
	if len(stderr) > 0 {
		if err := os.WriteFile(stderrFile, stderr, 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		os.Remove(stderrFile)
	}
	want := filepath.Join(dir, "want")
	if err := os.RemoveAll(want); err != nil {
		t.Fatal(err)
	}
	if !passing {
		return
	}
	if err := os.MkdirAll(want, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(want, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func checkStderr(t *testing.T, file, got string) {
	t.Helper()
	want, err := os.ReadFile(file)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}

// compareDirs requires got to hold exactly the files of want, byte for byte.
func compareDirs(t *testing.T, want, got string) {
	t.Helper()
	names := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, e := range entries {
			ns = append(ns, e.Name())
		}
		slices.Sort(ns)
		return ns
	}
	if diff := cmp.Diff(names(want), names(got)); diff != "" {
		t.Fatalf("output files (-want +got):\n%s", diff)
	}
	for _, n := range names(want) {
		w, _ := os.ReadFile(filepath.Join(want, n))
		g, _ := os.ReadFile(filepath.Join(got, n))
		if diff := cmp.Diff(string(w), string(g)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", n, diff)
		}
	}
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
