package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/sources"
)

// TestRegistryFileRefusesWhatIsTooLarge: -registry /dev/zero used to grow
// until the kernel killed apply (23 GB); a file over the bound is refused
// before it is read, and a device or a pipe after at most
// dsl.MaxRegistrySize+1 bytes, in memory proportional to that.
func TestRegistryFileRefusesWhatIsTooLarge(t *testing.T) {
	big := filepath.Join(t.TempDir(), "registry.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: nothing to read but zeros
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = registryFile(big, io.Discard)
	runtime.ReadMemStats(&after)
	want := "-registry " + big + ": registry: is 50 MiB, more than 32 MiB (dsl.MaxRegistrySize), far beyond any registry go generate writes"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("a 50 MiB file: error %v, want prefix %q", err, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("a 50 MiB file: allocated %d KiB to refuse it, want it refused before reading", alloc>>10)
	}

	if _, err := os.Stat("/dev/zero"); err == nil {
		runtime.ReadMemStats(&before)
		_, err = registryFile("/dev/zero", io.Discard)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.HasPrefix(err.Error(), "-registry /dev/zero: registry: holds more than 32 MiB (dsl.MaxRegistrySize)") {
			t.Errorf("/dev/zero: error %v", err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*dsl.MaxRegistrySize {
			t.Errorf("/dev/zero: allocated %d MiB, want at most %d", alloc>>20, 3*dsl.MaxRegistrySize>>20)
		}
	}

	// A pipe (-registry <(generate)): the writer is cut off after the
	// bound, plus what the pipe itself buffers.
	if _, err := os.Stat("/dev/fd"); err != nil {
		t.Skip("no /dev/fd to name a pipe by")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var written atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := bytes.Repeat([]byte(" "), 64<<10)
		for {
			n, err := w.Write(buf)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}()
	_, err = registryFile(fmt.Sprintf("/dev/fd/%d", r.Fd()), io.Discard)
	r.Close()
	<-done
	w.Close()
	if err == nil || !strings.Contains(err.Error(), "registry: holds more than 32 MiB") {
		t.Errorf("an endless pipe: error %v", err)
	}
	if n := written.Load(); n > dsl.MaxRegistrySize+2<<20 {
		t.Errorf("an endless pipe: %d bytes were taken from it, want at most about %d", n, dsl.MaxRegistrySize+1)
	}
}

// TestRegistryWithInvalidUTF8IsRefused: encoding/json used to send each
// bad byte as U+FFFD with exit 0; now nothing is sent, and the message
// names workflow, step and field. Golden:
// testdata/output/TestRegistryWithInvalidUTF8IsRefused.txtar.
func TestRegistryWithInvalidUTF8IsRefused(t *testing.T) {
	reg, err := gen.Registry()
	if err != nil {
		t.Fatal(err)
	}
	data, err := reg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"name": "Order shipped"`), []byte("\"name\": \"Order\xff\xfe shipped\""), 1)
	// Before the registry's directory: the golden names that one $TMP/002.
	h := newCmdHarness(t)
	// The bad byte's line in gen/registry.json moves whenever the registry
	// does: the golden shows the place, worked out here, as $POSITION.
	at := bytes.IndexByte(data, 0xff)
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:at], '\n')+1:at])
	h.g.hide(fmt.Sprintf("line %d, column %d", 1+bytes.Count(data[:at], []byte("\n")), col), "$POSITION")
	p := filepath.Join(t.TempDir(), "registry.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := h.record("invalid-utf8", "-registry", p, "-plan"); r.code != 1 {
		t.Errorf("exit %d, stderr:\n%s\nwant 1", r.code, r.stderr)
	}
	if n := h.srv.Counts().Total(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestRegistryFileIsCheckedAgainstItsSources covers what the
// stale_registry script does with go generate, without the go command.
func TestRegistryFileIsCheckedAgainstItsSources(t *testing.T) {
	module := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(module, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/shop\n")
	write("workflows/order.go", "package workflows\n\nconst Subject = \"Order shipped\"\n")
	sum, err := sources.Digest(filepath.Join(module, "workflows"), nil)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := gen.Registry()
	if err != nil {
		t.Fatal(err)
	}
	reg.Sources = &dsl.Sources{Root: "..", Packages: []dsl.SourcePackage{{Dir: "workflows", SHA256: sum}}}
	data, err := reg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	write("gen/registry.json", string(data))
	path := filepath.Join(module, "gen", "registry.json")

	var notes bytes.Buffer
	if _, err := registryFile(path, &notes); err != nil || notes.Len() > 0 {
		t.Fatalf("fresh: %v, notes %q", err, notes.String())
	}
	write("workflows/order.go", "package workflows\n\nconst Subject = \"Order has shipped\"\n")
	_, err = registryFile(path, &notes)
	want := fmt.Sprintf("-registry %s is stale: %s changed since go generate wrote it; run go generate ./... and commit %s",
		path, filepath.Join(module, "workflows"), path)
	if err == nil || err.Error() != want {
		t.Errorf("stale:\n got %v\nwant %s", err, want)
	}

	// Elsewhere, or without sources: one line, and the registry is used.
	elsewhere := filepath.Join(t.TempDir(), "registry.json")
	if err := os.WriteFile(elsewhere, data, 0o644); err != nil {
		t.Fatal(err)
	}
	notes.Reset()
	if _, err := registryFile(elsewhere, &notes); err != nil || strings.Count(notes.String(), "\n") != 1 ||
		!strings.HasPrefix(notes.String(), "apply: -registry "+elsewhere+": not checked against its declarations, since its module is not beside it") {
		t.Errorf("copied elsewhere: %v, notes %q", err, notes.String())
	}
	reg.Sources = nil
	if data, err = reg.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(elsewhere, data, 0o644); err != nil {
		t.Fatal(err)
	}
	notes.Reset()
	if _, err := registryFile(elsewhere, &notes); err != nil ||
		notes.String() != "apply: -registry "+elsewhere+": not checked against its declarations, since it records no sources (it was written outside its module, or by an older novugen); in CI, run novugen -check before apply\n" {
		t.Errorf("no sources: %v, notes %q", err, notes.String())
	}
}

// TestDiffPathIsLinear: the first difference deep in a tree is named with
// its whole path; the path is written once, not at every level.
func TestDiffPathIsLinear(t *testing.T) {
	nest := func(n int, leaf any) any {
		v := leaf
		for range n {
			v = map[string]any{"a": []any{v}}
		}
		return v
	}
	a, b := nest(3000, "x"), nest(3000, "y")
	want := strings.TrimPrefix(strings.Repeat(".a[0]", 3000), ".")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := diffPath(a, b)
	runtime.ReadMemStats(&after)
	if got != want {
		t.Fatalf("diffPath = %.40q…, want %.40q…", got, want)
	}
	// Writing the path at every level cost 46 MB here.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("%d KiB allocated for 3,000 levels, want under 1 MiB", alloc>>10)
	}
}

// FuzzRegistryFile runs the -registry path on arbitrary file contents, in
// a module whose go.mod sits where a registry's "root": ".." points, so
// that the sources check runs too: no panic, a UTF-8 message for every
// refusal, and what is accepted is what dsl.ParseRegistry reads.
func FuzzRegistryFile(f *testing.F) {
	// Small seeds: the fuzzer minimizes every input that finds new code,
	// one file write per try.
	f.Add([]byte(`{"owner": "o", "workflows": [{"workflowId": "a", "name": "A", "active": true, "severity": "none", "steps": [{"stepId": "s", "name": "S", "type": "in_app", "controlValues": {"body": "hi"}}]}]}`))
	f.Add([]byte(`{"owner": "o", "sources": {"root": "..", "packages": [{"dir": ".", "sha256": "` + strings.Repeat("0", 64) + `"}]}, "workflows": []}`))
	f.Add([]byte(`{"owner": "o", "sources": {"root": "../..", "packages": []}, "workflows": []}`))
	// One module for every input: a worker runs them one at a time.
	module := f.TempDir()
	if err := os.WriteFile(filepath.Join(module, "go.mod"), []byte("module example.com/fuzz\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(module, "gen"), 0o755); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(module, "gen", "registry.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := registryFile(path, io.Discard)
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("error is not UTF-8: %q", err)
			}
			return
		}
		want, err := dsl.ParseRegistry(data)
		if err != nil {
			t.Fatalf("registryFile accepted what ParseRegistry refuses: %v", err)
		}
		if got.Owner != want.Owner || len(got.Workflows) != len(want.Workflows) {
			t.Fatalf("registryFile read owner %q and %d workflows; ParseRegistry %q and %d", got.Owner, len(got.Workflows), want.Owner, len(want.Workflows))
		}
	})
}

// A -registry file is applied; one without an owner is refused, asking to
// regenerate it, and an invalid one sends nothing at all. Golden:
// testdata/output/TestRegistryFromFileAndInvalidRegistrySendsNothing.txtar.
func TestRegistryFromFileAndInvalidRegistrySendsNothing(t *testing.T) {
	h := newCmdHarness(t)
	reg := genRegistry(t)
	noOwner := dsl.Registry{Workflows: reg.Workflows[:1]}
	r := h.record("no-owner", "-registry", writeRegistry(t, noOwner))
	if r.code != 1 {
		t.Errorf("registry without an owner: exit %d, stderr %q; want 1 asking to regenerate", r.code, r.stderr)
	}
	one := dsl.Registry{Owner: reg.Owner, Workflows: reg.Workflows[:1]}
	r = h.record("one", "-registry", writeRegistry(t, one))
	if r.code != 0 {
		t.Fatalf("-registry: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	h.srv.ResetCounts()
	bad := dsl.Registry{Owner: reg.Owner, Workflows: append([]dsl.Definition(nil), reg.Workflows...)}
	bad.Workflows[0].WorkflowID = "Bad Id!"
	r = h.record("invalid", "-registry", writeRegistry(t, bad))
	if r.code != 1 {
		t.Errorf("invalid registry: exit %d, stderr %q", r.code, r.stderr)
	}
	if n := h.srv.Counts().Total(); n != 0 {
		t.Errorf("invalid registry sent %d requests; want 0", n)
	}
}
