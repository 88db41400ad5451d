package sources

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

const order = `package workflows

import "github.com/novugen/novugen/dsl"

// OrderPayload is sent when an order is paid.
type OrderPayload struct {
	OrderID string ` + "`json:\"orderId\"`" + `
}

var OrderConfirmed = dsl.Define[OrderPayload]("order-confirmed", dsl.Settings{Name: "Order confirmed", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{Body: ` + "`Order {{ payload.orderId }}\nis confirmed.`" + `}),
)
`

// write creates files (slash names, relative to dir) and returns dir.
func write(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func digest(t *testing.T, files map[string]string, embeds ...string) string {
	t.Helper()
	d, err := Digest(write(t, t.TempDir(), files), embeds)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDigestIsStable pins the digest of one package: it must not depend on
// the machine, the path of the checkout or the time, and a change to how
// digests are made must be deliberate (and change version).
func TestDigestIsStable(t *testing.T) {
	files := map[string]string{"order.go": order, "mail/shipped.html": "<p>Shipped</p>\n"}
	const want = "859363ef6f8ee59cdd384e387a331f13e585a6bf4fd4974c9a1dba2bbe074258"
	a := digest(t, files, "mail/shipped.html")
	b := digest(t, files, "mail/shipped.html")
	if a != b {
		t.Fatalf("two directories with the same files: %s and %s", a, b)
	}
	if a != want {
		t.Errorf("digest = %s, want %s", a, want)
	}
}

func TestDigestFollowsWhatChangesTheRegistry(t *testing.T) {
	base := map[string]string{"order.go": order, "doc.go": "// Package workflows.\npackage workflows\n"}
	with := func(edit func(m map[string]string)) map[string]string {
		m := maps.Clone(base)
		edit(m)
		return m
	}
	want := digest(t, base)
	same := map[string]map[string]string{
		"a comment changed": with(func(m map[string]string) {
			m["order.go"] = strings.Replace(order, "// OrderPayload is sent when an order is paid.", "// OrderPayload: paid orders.\n// Another line.", 1)
		}),
		"reformatted": with(func(m map[string]string) {
			m["order.go"] = strings.ReplaceAll(strings.Replace(order, "\t", "        ", -1), "{Name:", "{ Name:")
		}),
		"CRLF line endings": with(func(m map[string]string) {
			m["order.go"] = strings.ReplaceAll(order, "\n", "\r\n")
		}),
		"a test file added": with(func(m map[string]string) { m["order_test.go"] = "package workflows\n" }),
		"an ignored file added": with(func(m map[string]string) {
			m["_scratch.go"] = "package x\n"
			m[".hidden.go"] = "package x\n"
			m["notes.txt"] = "x"
		}),
		"a subpackage changed": with(func(m map[string]string) { m["sub/sub.go"] = "package sub\n" }),
	}
	for name, files := range same {
		if got := digest(t, files); got != want {
			t.Errorf("%s: digest changed", name)
		}
	}
	differ := map[string]map[string]string{
		"a template changed": with(func(m map[string]string) {
			m["order.go"] = strings.Replace(order, "is confirmed.", "is confirmed!", 1)
		}),
		"a json tag changed": with(func(m map[string]string) {
			m["order.go"] = strings.Replace(order, `json:"orderId"`, `json:"orderID"`, 1)
		}),
		"a file added":   with(func(m map[string]string) { m["more.go"] = "package workflows\n" }),
		"a file removed": with(func(m map[string]string) { delete(m, "doc.go") }),
		"a file renamed": with(func(m map[string]string) { m["a.go"] = m["doc.go"]; delete(m, "doc.go") }),
		"a build-constrained file added": with(func(m map[string]string) {
			m["x_windows.go"] = "package workflows\n"
		}),
	}
	for name, files := range differ {
		if got := digest(t, files); got == want {
			t.Errorf("%s: digest unchanged", name)
		}
	}

	withMail := with(func(m map[string]string) { m["mail/a.html"] = "<p>a</p>" })
	a := digest(t, withMail, "mail/a.html")
	withMail["mail/a.html"] = "<p>b</p>"
	if digest(t, withMail, "mail/a.html") == a {
		t.Error("an embedded file changed: digest unchanged")
	}
	if digest(t, withMail) == a {
		t.Error("an embed dropped: digest unchanged")
	}
}

func TestCheck(t *testing.T) {
	module := write(t, t.TempDir(), map[string]string{
		"go.mod":             "module example.com/shop\n",
		"workflows/order.go": order,
		"workflows/a.html":   "<p>a</p>",
		"gen/registry.json":  "{}",
	})
	sum, err := Digest(filepath.Join(module, "workflows"), []string{"a.html"})
	if err != nil {
		t.Fatal(err)
	}
	src := func(dir, sum string, embeds ...string) *registry.Sources {
		return &registry.Sources{Root: "..", Packages: []registry.SourcePackage{{Dir: dir, Embeds: embeds, SHA256: sum}}}
	}
	regDir := filepath.Join(module, "gen")
	wf := filepath.Join(module, "workflows")
	for _, tt := range []struct {
		name   string
		regDir string
		s      *registry.Sources
		want   Outcome
	}{
		{"fresh", regDir, src("workflows", sum, "a.html"), Outcome{Checked: true}},
		{"changed", regDir, src("workflows", strings.Repeat("0", 64), "a.html"), Outcome{Checked: true, Stale: []string{wf + " changed"}}},
		{"package gone", regDir, src("orders", sum), Outcome{Checked: true, Stale: []string{filepath.Join(module, "orders") + " is gone"}}},
		{"embed gone", regDir, src("workflows", sum, "b.html"), Outcome{Checked: true, Stale: []string{filepath.Join(wf, "b.html") + " is gone"}}},
		{"no sources", regDir, nil, Outcome{Why: "it records no sources (it was written outside its module, or by an older novugen)"}},
		{"copied elsewhere", t.TempDir(), src("workflows", sum, "a.html"), Outcome{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Check(tt.regDir, tt.s)
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "copied elsewhere" {
				if got.Checked || !strings.HasPrefix(got.Why, "its module is not beside it (no go.mod in ") {
					t.Errorf("got %+v", got)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := Check(regDir, src("../x", sum)); err == nil {
		t.Error("a package dir outside the module was followed")
	}
}
