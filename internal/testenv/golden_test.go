package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records what Golden reports, so that a failing comparison can be
// checked without failing the test; Fatal stops Golden as testing's does.
type fakeTB struct {
	testing.TB // nil: a method Golden should not call panics
	name       string
	failed     bool
	reports    []string
}

type fatal struct{}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Name() string { return f.name }
func (f *fakeTB) Failed() bool { return f.failed }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.failed = true
	f.reports = append(f.reports, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatal(args ...any) {
	f.Errorf("%s", fmt.Sprint(args...))
	panic(fatal{})
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	panic(fatal{})
}

// golden runs Golden with a fakeTB named TestX/case, -update as updating,
// and returns what it reported.
func golden(t *testing.T, updating, failed bool, path string, got string) []string {
	t.Helper()
	defer func(was bool) { *update = was }(*update)
	*update = updating
	tb := &fakeTB{name: "TestX/case", failed: failed}
	func() {
		defer func() {
			if r := recover(); r != nil && r != (fatal{}) {
				panic(r)
			}
		}()
		Golden(tb, path, []byte(got))
	}()
	return tb.reports
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The same bytes pass; any other bytes, a missing final newline included,
// fail with the lines that differ and the command that rewrites the file.
func TestGoldenComparesBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	writeFile(t, path, "one\ntwo\nthree\n")
	if r := golden(t, false, false, path, "one\ntwo\nthree\n"); len(r) != 0 {
		t.Errorf("the same bytes: %q", r)
	}
	// go-cmp varies its diff's white space from run to run (on purpose, so
	// that no test depends on it): the lines are compared word by word.
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, tt := range []struct{ got, line string }{
		{"one\nTWO\nthree\n", `+ "TWO",`},
		{"one\ntwo\nthree", `- "",`},
	} {
		r := golden(t, false, false, path, tt.got)
		if len(r) != 1 || !strings.Contains(r[0], path+" differs") || !strings.Contains(words(r[0]), tt.line) ||
			!strings.Contains(r[0], "go test ./internal/testenv -run '^TestX$' -update rewrites it") {
			t.Errorf("got %q: reports %q; want one naming the file, the line %s and the command", tt.got, r, tt.line)
		}
		if s := readFile(t, path); s != "one\ntwo\nthree\n" {
			t.Errorf("without -update the golden was changed to %q", s)
		}
	}
}

// A golden that does not exist fails, saying how to write it.
func TestGoldenMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.txt")
	r := golden(t, false, false, path, "x\n")
	if len(r) != 1 || !strings.Contains(r[0], "no such file") || !strings.Contains(r[0], "-update writes it") {
		t.Errorf("reports %q; want the missing file and how to write it", r)
	}
}

// -update writes got, making the golden's directory, and the comparison
// then passes; unless the test has already failed.
func TestGoldenUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "dir", "out.txt")
	if r := golden(t, true, false, path, "fresh\n"); len(r) != 0 {
		t.Errorf("-update: %q", r)
	}
	if s := readFile(t, path); s != "fresh\n" {
		t.Errorf("-update wrote %q", s)
	}
	r := golden(t, true, true, path, "from a failed test\n")
	if len(r) != 1 || !strings.Contains(r[0], "from a failed test") {
		t.Errorf("a failed test under -update: reports %q; want the difference", r)
	}
	if s := readFile(t, path); s != "fresh\n" {
		t.Errorf("a failed test under -update rewrote the golden to %q", s)
	}
}
