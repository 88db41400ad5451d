package registry_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

// marshalled is the fixture as go generate would write it, with sources.
func marshalled(t testing.TB) []byte {
	t.Helper()
	reg := fixture()
	reg.Owner = "example.com/shop/gen"
	reg.Sources = &registry.Sources{Root: "..", Packages: []registry.SourcePackage{
		{Dir: "workflows", Embeds: []string{"mail/shipped.html"}, SHA256: strings.Repeat("ab", 32)},
	}}
	return mustMarshal(t, reg)
}

func mustParse(t testing.TB, data []byte) registry.File {
	t.Helper()
	reg, err := registry.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// edit replaces the one occurrence of old in data.
func edit(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	if n := bytes.Count(data, []byte(old)); n != 1 {
		t.Fatalf("fixture holds %q %d times, want once", old, n)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

// TestParseRefusesInvalidUTF8: encoding/json would turn each bad
// byte into U+FFFD and the registry would be applied with it; the error
// names the workflow, step and field, and the byte's line and column.
func TestParseRefusesInvalidUTF8(t *testing.T) {
	valid := marshalled(t)
	tests := []struct {
		name, old, new, want string
	}{
		{"workflow name", `"name": "Order shipped"`, "\"name\": \"Order\xff\xfe shipped\"",
			`registry: workflow "order-shipped", field "name": invalid UTF-8 (byte 0xff at line `},
		{"control value", `"body": "Order {{payload.orderId}} <b>&</b> more"`, "\"body\": \"Order \xff{{payload.orderId}}\"",
			`registry: workflow "order-shipped", step "notice", field "controlValues.body": invalid UTF-8 (byte 0xff at line `},
		{"nested control value", `"value": "b"`, "\"value\": \"b\xc3\"",
			`registry: workflow "order-shipped", step "hook", field "controlValues.headers[0].value": invalid UTF-8 (byte 0xc3 at line `},
		{"control key", `"subject": "Shipped"`, "\"sub\xffject\": \"Shipped\"",
			`registry: a key in workflow "order-shipped", step "mail", field "controlValues": invalid UTF-8`},
		{"schema property", `"orderId": {`, "\"order\xfeId\": {",
			`registry: a key in workflow "order-shipped", field "payloadSchema.properties": invalid UTF-8 (byte 0xfe`},
		{"tag", `"orders"`, "\"ord\xffers\"",
			`registry: workflow "order-shipped", field "tags[0]": invalid UTF-8`},
		{"workflowId", `"workflowId": "payout-initiated"`, "\"workflowId\": \"payout\xff\"",
			"registry: workflow \"payout\ufffd\", field \"workflowId\": invalid UTF-8"},
		{"stepId", `"stepId": "wait"`, "\"stepId\": \"wa\xffit\"",
			"registry: workflow \"order-shipped\", step \"wa\ufffdit\", field \"stepId\": invalid UTF-8"},
		{"owner", `"owner": "example.com/shop/gen"`, "\"owner\": \"example.com/\xffshop\"",
			`registry: field "owner": invalid UTF-8 (byte 0xff at line 3, column 25)`},
		{"outside strings", `"owner":`, "\xff\"owner\":",
			`registry: invalid UTF-8 (byte 0xff at line 3, column 3), outside any string: not JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := edit(t, valid, tt.old, tt.new)
			_, err := registry.Parse(data)
			if err == nil {
				t.Fatal("Parse accepted invalid UTF-8")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error:\n%s\nwant prefix:\n%s", err, tt.want)
			}
			if !utf8.ValidString(err.Error()) {
				t.Errorf("the error is not valid UTF-8 itself: %q", err)
			}
		})
	}
}

// TestParseRefusesLoneSurrogates: a \uD800–\uDFFF escape that is not half
// of a pair is valid JSON and valid UTF-8, but encoding/json decodes it to
// U+FFFD without a word; the error names the field, as for a bad byte.
// Pairs, and an escaped backslash before "ud800", are text.
func TestParseRefusesLoneSurrogates(t *testing.T) {
	valid := marshalled(t)
	for _, tt := range []struct{ name, new, want string }{
		{"lone high", `"name": "Order \ud83d shipped"`, `registry: workflow "order-shipped", field "name": unpaired surrogate escape \ud83d (at line `},
		{"lone low", `"name": "Order \uDE9A shipped"`, `registry: workflow "order-shipped", field "name": unpaired surrogate escape \uDE9A (at line `},
		{"high then not low", `"name": "Order \ud83d\u0041"`, `registry: workflow "order-shipped", field "name": unpaired surrogate escape \ud83d`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := registry.Parse(edit(t, valid, `"name": "Order shipped"`, tt.new))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant prefix:\n%s", err, tt.want)
			}
		})
	}
	for _, text := range []string{`"name": "Order \ud83d\ude9a"`, `"name": "Order \\ud800"`, `"name": "Order \\\"ud800"`} {
		if _, err := registry.Parse(edit(t, valid, `"name": "Order shipped"`, text)); err != nil {
			t.Errorf("%s: %v", text, err)
		}
	}
}

// TestParseKeepsValidText: U+FFFD written as such, and every other
// valid character, is not mistaken for a bad byte.
func TestParseKeepsValidText(t *testing.T) {
	data := edit(t, marshalled(t), `"name": "Order shipped"`, `"name": "Order � shipped \u00e9 ✓ 🚚"`)
	reg := mustParse(t, data)
	if got := reg.Workflows[0].Name; got != "Order \ufffd shipped é ✓ 🚚" {
		t.Errorf("name = %q", got)
	}
}

func TestParseChecksSources(t *testing.T) {
	valid := marshalled(t)
	reg := mustParse(t, valid)
	want := &registry.Sources{Root: "..", Packages: []registry.SourcePackage{
		{Dir: "workflows", Embeds: []string{"mail/shipped.html"}, SHA256: strings.Repeat("ab", 32)},
	}}
	if diff := cmp.Diff(want, reg.Sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	for _, tt := range []struct{ old, new, want string }{
		{`"root": ".."`, `"root": "/etc"`, `registry: sources: root "/etc" is not "." or a climb`},
		{`"root": ".."`, `"root": "../x"`, `registry: sources: root "../x" is not "." or a climb`},
		{`"root": ".."`, `"root": ""`, `registry: sources: root "" is not "." or a climb`},
		{`"dir": "workflows"`, `"dir": "../workflows"`, `registry: sources: packages[0]: dir "../workflows" is not a clean relative path`},
		{`"dir": "workflows"`, `"dir": "/workflows"`, `registry: sources: packages[0]: dir "/workflows" is not a clean relative path`},
		{`"dir": "workflows"`, `"dir": "a/../../b"`, `registry: sources: packages[0]: dir "a/../../b" is not a clean relative path`},
		{`"mail/shipped.html"`, `"../../../etc/passwd"`, `registry: sources: packages[0] ("workflows"): embed "../../../etc/passwd" is not a clean relative path`},
		{`"mail/shipped.html"`, `"."`, `registry: sources: packages[0] ("workflows"): embed "." is not a clean relative path`},
		{strings.Repeat("ab", 32), "abc", `registry: sources: packages[0] ("workflows"): sha256 "abc" is not 64 lowercase hexadecimal digits`},
		{`"root": ".."`, `"root": "..", "rot": 1`, `registry: sources: json: unknown field "rot"`},
	} {
		_, err := registry.Parse(edit(t, valid, tt.old, tt.new))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s → %s: error %v, want prefix %q", tt.old, tt.new, err, tt.want)
		}
	}
}

// zeros is /dev/zero: endless, and unable to say its size. It counts what
// was read from it.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// TestReadStopsAtTheLimit: an endless stream is refused after at
// most MaxSize+1 bytes, with memory proportional to that.
func TestReadStopsAtTheLimit(t *testing.T) {
	z := &zeros{}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := registry.Read(z)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.HasPrefix(err.Error(), "registry: holds more than 32 MiB (dsl.MaxRegistrySize)") {
		t.Fatalf("error = %v, want one saying it holds more than 32 MiB", err)
	}
	if z.n > registry.MaxSize+1 {
		t.Errorf("read %d bytes, want at most %d", z.n, registry.MaxSize+1)
	}
	// A buffer doubling up to the bound allocates about twice the bound.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*registry.MaxSize {
		t.Errorf("allocated %d MiB to refuse a stream, want at most %d MiB", alloc>>20, 3*registry.MaxSize>>20)
	}
}

// sized is a reader that says it is a regular file of a given size, and
// counts reads.
type sized struct {
	io.Reader
	size  int64
	reads int
}

func (s *sized) Read(p []byte) (int, error) { s.reads++; return s.Reader.Read(p) }
func (s *sized) Stat() (fs.FileInfo, error) { return fileInfo{s.size}, nil }

type fileInfo struct{ size int64 }

func (f fileInfo) Name() string       { return "registry.json" }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return 0o644 }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return false }
func (f fileInfo) Sys() any           { return nil }

func TestReadRefusesALargeFileBeforeReading(t *testing.T) {
	s := &sized{Reader: &zeros{}, size: 50 << 20}
	_, err := registry.Read(s)
	if err == nil || !strings.HasPrefix(err.Error(), "registry: is 50 MiB, more than 32 MiB (dsl.MaxRegistrySize)") {
		t.Fatalf("error = %v", err)
	}
	if s.reads != 0 {
		t.Errorf("read %d times, want none", s.reads)
	}

	// A file that grows after its size was read is still cut at the limit.
	z := &zeros{}
	_, err = registry.Read(&sized{Reader: z, size: 10})
	if err == nil || z.n > registry.MaxSize+1 {
		t.Errorf("a file growing past its size: error %v after %d bytes", err, z.n)
	}

	// A real file: a sparse one of 33 MiB.
	f, err := os.Create(filepath.Join(t.TempDir(), "registry.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(registry.MaxSize + 1<<20); err != nil {
		t.Fatal(err)
	}
	if _, err := registry.Read(f); err == nil || !strings.HasPrefix(err.Error(), "registry: is 33 MiB, more than 32 MiB") {
		t.Errorf("33 MiB file: error %v", err)
	}
}

func TestReadMatchesParse(t *testing.T) {
	data := marshalled(t)
	want := mustParse(t, data)
	got, err := registry.Read(iotest.OneByteReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, sameJSON); diff != "" {
		t.Errorf("(-Parse +Read):\n%s", diff)
	}
	_, err = registry.Read(iotest.ErrReader(errors.New("disk on fire")))
	if err == nil || err.Error() != "registry: reading: disk on fire" {
		t.Errorf("read error: %v", err)
	}
	if _, err := registry.Parse(make([]byte, registry.MaxSize+1)); err == nil || !strings.HasPrefix(err.Error(), "registry: is 33554433 bytes, more than 32 MiB") {
		t.Errorf("Parse of MaxSize+1 bytes: %v", err)
	}
}

// FuzzRead feeds arbitrary bytes to the registry reader, one byte
// per read as well as whole: it must not panic, must refuse what is not
// UTF-8, must agree with Parse, and what it accepts must survive
// Marshal and a second read unchanged.
func FuzzRead(f *testing.F) {
	f.Add(marshalled(f))
	f.Add([]byte(`{"workflows": []}`))
	f.Add([]byte("{\"owner\": \"a\xffb\", \"workflows\": []}"))
	f.Add([]byte(`{"sources": {"root": "../..", "packages": [{"dir": ".", "sha256": "` + strings.Repeat("0", 64) + `"}]}, "workflows": []}`))
	f.Add([]byte(`{"workflows": [{"workflowId": "a", "steps": [{"stepId": "s", "controlValues": {"k": [1, {"x": null}]}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := registry.Parse(data)
		read, rerr := registry.Read(iotest.OneByteReader(bytes.NewReader(data)))
		if (err == nil) != (rerr == nil) || err != nil && err.Error() != rerr.Error() {
			t.Fatalf("Parse: %v; Read: %v", err, rerr)
		}
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("error is not UTF-8: %q", err)
			}
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("accepted invalid UTF-8: %q", data)
		}
		if diff := cmp.Diff(reg, read, sameJSON); diff != "" {
			t.Fatalf("Read differs from Parse:\n%s", diff)
		}
		out, err := reg.Marshal()
		if err != nil {
			return // a value Marshal cannot write (a payload schema that is not JSON) is Marshal's error to give
		}
		again, err := registry.Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(Parse(data))): %v\n%s", err, out)
		}
		out2, err := again.Marshal()
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("Marshal is not stable over a read: %v\n%s\n---\n%s", err, out, out2)
		}
	})
}

// large is a registry of n copies of the fixture's workflows, ids made
// unique.
func large(t testing.TB, n int) []byte {
	t.Helper()
	base := fixture()
	reg := registry.File{Owner: "example.com/shop/gen"}
	for i := range n {
		for _, d := range base.Workflows {
			d.WorkflowID = fmt.Sprintf("%s-%05d", d.WorkflowID, i)
			reg.Workflows = append(reg.Workflows, d)
		}
	}
	return mustMarshal(t, reg)
}

// TestParseMemoryIsProportional: decoding allocates about the
// definitions it returns, not copies of the input (it allocated 7 times
// the input before: a decoder buffer grown to twice its size, every
// workflow copied aside, and a decoder per workflow).
func TestParseMemoryIsProportional(t *testing.T) {
	data := large(t, 2000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	reg, err := registry.Parse(data)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	ratio := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(data))
	t.Logf("%d workflows, %d KiB: allocated %.2f times the input", len(reg.Workflows), len(data)>>10, ratio)
	if ratio > 4 {
		t.Errorf("allocated %.2f times the input, want at most 4", ratio)
	}
}

// BenchmarkParseLarge reads a 4 MiB registry; B/op over
// input-bytes is the memory cost per byte read.
func BenchmarkParseLarge(b *testing.B) {
	data := large(b, 2000)
	b.ReportMetric(float64(len(data)), "input-bytes")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := registry.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseTopLevel: the top level is read key by key, as strictly
// as each workflow.
func TestParseTopLevel(t *testing.T) {
	for _, tt := range []struct{ data, want string }{
		{`{"Workflows": []}`, `registry: json: unknown field "Workflows"`},
		{`null`, `registry: not a JSON object`},
		{`"x"`, `registry: json: cannot unmarshal string into Go value of type struct`},
		{`{"workflows": {}}`, `registry: json: cannot unmarshal { into Go struct field File.workflows of type []registry.Workflow`},
		{`{"workflows": [{"workflowId": "a"}, {"workflowId": "b", "x": 1}]}`, `registry: workflows[1] ("b"): json: unknown field "x"`},
		{`{"workflows": [{"workflowId": "a"}] `, `registry: unexpected EOF`},
		{`{"owner": "a" "workflows": []}`, `registry: invalid character '"' after object key:value pair`},
		{`{"owner": 1, "workflows": []}`, `registry: json: cannot unmarshal number into Go struct field File.owner of type string`},
		{`{"//": true}`, `registry: json: cannot unmarshal bool into Go struct field File.// of type string`},
		{`{"layouts": [{"layoutId": 1}]}`, `registry: json: cannot unmarshal number into Go struct field File.layouts.layoutId of type string`},
		{`{"environmentVariables": "A"}`, `registry: json: cannot unmarshal string into Go struct field File.environmentVariables of type []string`},
		// Errors that do not name the key get it in front.
		{`{"environmentVariables": ["A",,]}`, `registry: environmentVariables: invalid character ',' looking for beginning of value`},
		{`{"layouts": [{"layoutId": "a", "x": 1}]}`, `registry: layouts: json: unknown field "x"`},
		{`{"owner": `, `registry: owner: unexpected EOF`},
	} {
		_, err := registry.Parse([]byte(tt.data))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want prefix %q", tt.data, err, tt.want)
		}
	}
	reg, err := registry.Parse([]byte(`{"workflows": [{"workflowId": "a"}], "owner": "o", "workflows": null, "owner": "p"}`))
	if err != nil || reg.Owner != "p" || reg.Workflows == nil || len(reg.Workflows) != 0 {
		t.Errorf("a repeated key: the last one counts, as in encoding/json: %+v, %v", reg, err)
	}
	// As in encoding/json, null leaves a string as it was and empties a
	// slice or a pointer.
	reg, err = registry.Parse([]byte(`{"owner": "a", "owner": null, "environmentVariables": ["A"], "environmentVariables": null, "sources": {}, "sources": null}`))
	if err != nil || reg.Owner != "a" || reg.EnvironmentVariables != nil || reg.Sources != nil {
		t.Errorf("a repeated key with null: %+v, %v", reg, err)
	}
	var want registry.File
	if err := json.Unmarshal([]byte(`{"owner": "a", "owner": null, "environmentVariables": ["A"], "environmentVariables": null, "sources": {}, "sources": null}`), &want); err != nil ||
		want.Owner != reg.Owner || want.EnvironmentVariables != nil || want.Sources != nil {
		t.Errorf("encoding/json reads the same keys as %+v, %v; Parse as %+v", want, err, reg)
	}
}
