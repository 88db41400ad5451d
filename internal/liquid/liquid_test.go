package liquid

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// r builds the expected Ref for the nth (from 0) occurrence of raw in tmpl.
func r(tmpl, raw string, nth int, path ...string) Ref {
	off := -1
	for i := 0; i <= nth; i++ {
		j := strings.Index(tmpl[off+1:], raw)
		if j < 0 {
			panic("test bug: " + raw + " not in " + tmpl)
		}
		off += j + 1
	}
	return Ref{Path: path, Raw: raw, Offset: off}
}

func TestRefs(t *testing.T) {
	type row struct {
		name string
		tmpl string
		want func(tmpl string) []Ref
	}
	rows := []row{
		{"plain text", "Hello there { not a tag } %}", nil},
		{"output", "Order {{ payload.order.id }} shipped", func(s string) []Ref {
			return []Ref{r(s, "payload.order.id", 0, "payload", "order", "id")}
		}},
		{"no spaces", "{{payload.orderId}}", func(s string) []Ref {
			return []Ref{r(s, "payload.orderId", 0, "payload", "orderId")}
		}},
		{"whitespace control", "{{- payload.a -}}{%- if payload.b -%}x{%- endif -%}", func(s string) []Ref {
			return []Ref{r(s, "payload.a", 0, "payload", "a"), r(s, "payload.b", 0, "payload", "b")}
		}},
		{"filters and variable arguments", `{{ payload.name | upcase | default: payload.fallback | replace: "a", subscriber.firstName | truncate: 5 }}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.name", 0, "payload", "name"),
				r(s, "payload.fallback", 0, "payload", "fallback"),
				r(s, "subscriber.firstName", 0, "subscriber", "firstName"),
			}
		}},
		{"string literals are not variables", `{{ "payload.x" | append: 'subscriber.y' }}{% if payload.t == "a}}b" %}{% endif %}`, func(s string) []Ref {
			return []Ref{r(s, "payload.t", 0, "payload", "t")}
		}},
		{"keywords and operators", `{% if payload.a and payload.b or payload.c contains "x" %}{% elsif payload.d != empty and payload.e == nil %}{% endif %}{% unless payload.f > 1 %}{% endunless %}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.a", 0, "payload", "a"), r(s, "payload.b", 0, "payload", "b"),
				r(s, "payload.c", 0, "payload", "c"), r(s, "payload.d", 0, "payload", "d"),
				r(s, "payload.e", 0, "payload", "e"), r(s, "payload.f", 0, "payload", "f"),
			}
		}},
		{"for loop variable resolves to the element", `{% for item in payload.items %}{{ item.sku }} {{ forloop.index }}{% endfor %}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.items", 0, "payload", "items"),
				r(s, "item.sku", 0, "payload", "items", Elem, "sku"),
			}
		}},
		{"nested loops", `{% for o in payload.orders %}{% for l in o.lines limit: payload.max reversed %}{{ l.qty }}{{ o.id }}{% endfor %}{% endfor %}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.orders", 0, "payload", "orders"),
				r(s, "o.lines", 0, "payload", "orders", Elem, "lines"),
				r(s, "payload.max", 0, "payload", "max"),
				r(s, "l.qty", 0, "payload", "orders", Elem, "lines", Elem, "qty"),
				r(s, "o.id", 0, "payload", "orders", Elem, "id"),
			}
		}},
		{"loop variable is gone after endfor", `{% for item in payload.items %}{% endfor %}{{ item.sku }}{{ forloop.index }}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.items", 0, "payload", "items"),
				r(s, "item.sku", 0, "item", "sku"),
				r(s, "forloop.index", 0, "forloop", "index"),
			}
		}},
		{"offset continue", `{% for i in payload.items offset: continue limit:3 %}{% endfor %}`, func(s string) []Ref {
			return []Ref{r(s, "payload.items", 0, "payload", "items")}
		}},
		{"range loop", `{% for i in (1..payload.count) %}{{ i }}{% endfor %}`, func(s string) []Ref {
			return []Ref{r(s, "payload.count", 0, "payload", "count")}
		}},
		{"digest events", `{% for e in steps.daily-digest.events %}{{ e.payload.title }}{% endfor %}{{ steps.daily-digest.eventCount }}`, func(s string) []Ref {
			return []Ref{
				r(s, "steps.daily-digest.events", 0, "steps", "daily-digest", "events"),
				r(s, "e.payload.title", 0, "steps", "daily-digest", "events", Elem, "payload", "title"),
				r(s, "steps.daily-digest.eventCount", 0, "steps", "daily-digest", "eventCount"),
			}
		}},
		{"tablerow", `{% tablerow p in payload.products cols: 2 %}{{ p.name }}{{ tablerowloop.col }}{% endtablerow %}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.products", 0, "payload", "products"),
				r(s, "p.name", 0, "payload", "products", Elem, "name"),
			}
		}},
		{"assign alias and local", `{% assign o = payload.order %}{% assign n = payload.name | upcase %}{{ o.id }}{{ n }}{{ n.size }}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.order", 0, "payload", "order"),
				r(s, "payload.name", 0, "payload", "name"),
				r(s, "o.id", 0, "payload", "order", "id"),
			}
		}},
		{"assign of a first or last element", `{% assign f = payload.items | first %}{% assign l = payload.items | last %}{% assign u = payload.items | first | upcase %}{{ f.n8 }}{{ l.sku }}{{ u.x }}`, func(s string) []Ref {
			return []Ref{
				r(s, "payload.items", 0, "payload", "items"),
				r(s, "payload.items", 1, "payload", "items"),
				r(s, "payload.items", 2, "payload", "items"),
				r(s, "f.n8", 0, "payload", "items", Elem, "n8"),
				r(s, "l.sku", 0, "payload", "items", Elem, "sku"),
			}
		}},
		{"use before assign is not local", `{{ total }}{% assign total = 3 %}{{ total }}`, func(s string) []Ref {
			return []Ref{r(s, "total", 0, "total")}
		}},
		{"capture, increment", `{% capture greeting %}Hi {{ subscriber.firstName }}{% endcapture %}{{ greeting }}{% increment c %}{{ c }}`, func(s string) []Ref {
			return []Ref{r(s, "subscriber.firstName", 0, "subscriber", "firstName")}
		}},
		{"brackets", `{{ payload["first name"] }}{{ payload.items[0].sku }}{{ payload.prices[payload.currency] }}{{ payload.items.0 }}`, func(s string) []Ref {
			return []Ref{
				r(s, `payload["first name"]`, 0, "payload", "first name"),
				r(s, "payload.items[0].sku", 0, "payload", "items", Elem, "sku"),
				r(s, "payload.currency", 0, "payload", "currency"),
				r(s, "payload.prices[payload.currency]", 0, "payload", "prices", AnyKey),
				r(s, "payload.items.0", 0, "payload", "items", Elem),
			}
		}},
		{"raw and comments are ignored", `{% raw %}{{ payload.no }}{% endraw %}{%- comment -%}{{ payload.nope }}{% endcomment %}{% # payload.never %}{{ payload.yes }}`, func(s string) []Ref {
			return []Ref{r(s, "payload.yes", 0, "payload", "yes")}
		}},
		{"case when", `{% case payload.tier %}{% when "pro", payload.vip %}x{% else %}y{% endcase %}`, func(s string) []Ref {
			return []Ref{r(s, "payload.tier", 0, "payload", "tier"), r(s, "payload.vip", 0, "payload", "vip")}
		}},
		{"liquid tag", "{% liquid\n  assign o = payload.order\n  for l in o.lines\n    echo l.sku | upcase\n  endfor\n%}", func(s string) []Ref {
			return []Ref{
				r(s, "payload.order", 0, "payload", "order"),
				r(s, "o.lines", 0, "payload", "order", "lines"),
				r(s, "l.sku", 0, "payload", "order", "lines", Elem, "sku"),
			}
		}},
		{"cycle with group", `{% for x in payload.xs %}{% cycle grp: payload.a, "b" %}{% endfor %}`, func(s string) []Ref {
			return []Ref{r(s, "payload.xs", 0, "payload", "xs"), r(s, "payload.a", 0, "payload", "a")}
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got, err := Refs(row.tmpl)
			if err != nil {
				t.Fatalf("Refs(%q): %v", row.tmpl, err)
			}
			var want []Ref
			if row.want != nil {
				want = row.want(row.tmpl)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Refs(%q) (-want +got):\n%s", row.tmpl, diff)
			}
		})
	}
}

func TestRefsSyntaxErrors(t *testing.T) {
	rows := []struct {
		name, tmpl string
		want       SyntaxError
		refs       int // references still reported before the error
	}{
		{"unterminated output", "Hi {{ payload.name }} and {{ payload.x", SyntaxError{26, `"{{ payload.x" is not closed by "}}"`}, 1},
		{"unterminated tag", "{% if payload.a ", SyntaxError{0, `"{% if payload.a " is not closed by "%}"`}, 0},
		{"quote hides the close", `{{ "}}" x`, SyntaxError{0, `"{{ \"}}\" x" is not closed by "}}"`}, 0},
		{"unmatched quote is a character", `{{ "a }}{{ payload.x`, SyntaxError{8, `"{{ payload.x" is not closed by "}}"`}, 0},
		{"unclosed for", "{% for i in payload.items %}{{ i }}", SyntaxError{0, `{% for %} is not closed by {% endfor %}`}, 2},
		{"unclosed raw", "{% raw %}{{ x }}", SyntaxError{0, `{% raw %} is not closed by {% endraw %}`}, 0},
		{"stray end", "x{% endif %}", SyntaxError{1, `{% endif %} has no opening {% if %}`}, 0},
		{"crossed blocks", "{% if payload.a %}{% for i in payload.b %}{% endif %}{% endfor %}", SyntaxError{42, `{% endif %} closes {% if %} but {% for %} at byte 18 is still open`}, 2},
		{"for without in", "{% for payload.items %}{% endfor %}", SyntaxError{0, `{% for %} needs "<name> in <list>"`}, 1},
		{"assign without value", "{% assign x %}", SyntaxError{0, `{% assign %} needs "<name> = <value>"`}, 0},
		{"long snippet is cut", "{{ payload.aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", SyntaxError{0, `"{{ payload.aaaaaaaaaaaaa…" is not closed by "}}"`}, 0},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			refs, err := Refs(row.tmpl)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Refs(%q) error = %v, want a *SyntaxError", row.tmpl, err)
			}
			if diff := cmp.Diff(row.want, *se); diff != "" {
				t.Errorf("Refs(%q) error (-want +got):\n%s", row.tmpl, diff)
			}
			if len(refs) != row.refs {
				t.Errorf("Refs(%q) returned %d refs with the error, want %d: %v", row.tmpl, len(refs), row.refs, refs)
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Refs("ok {{ payload.x")
	want := `"{{ payload.x" is not closed by "}}" (at byte 3)`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// checkRefs asserts the properties every result must have.
func checkRefs(t *testing.T, tmpl string, refs []Ref) {
	t.Helper()
	for _, ref := range refs {
		if ref.Offset < 0 || ref.Offset+len(ref.Raw) > len(tmpl) || tmpl[ref.Offset:ref.Offset+len(ref.Raw)] != ref.Raw {
			t.Fatalf("Refs(%q): %+v: Raw does not occur at Offset", tmpl, ref)
		}
		if ref.Raw == "" || len(ref.Path) == 0 {
			t.Fatalf("Refs(%q): %+v: empty reference", tmpl, ref)
		}
		// Path is what the schema check looks up: every name in it comes
		// from the template (through aliases and loops, but never made up).
		for _, seg := range ref.Path {
			if seg != Elem && seg != AnyKey && !strings.Contains(tmpl, seg) {
				t.Fatalf("Refs(%q): %+v: path segment %q does not occur in the template", tmpl, ref, seg)
			}
		}
	}
}

func FuzzRefs(f *testing.F) {
	for _, s := range []string{
		"{{ payload.a }}",
		`{% for i in payload.items %}{{ i.x | default: payload.y }}{% endfor %}`,
		`{% raw %}{{ x }}{% endraw %}{% comment %}{% endcomment %}`,
		"{% liquid\nassign a = payload.b\necho a.c\n%}",
		`{{ payload["k"][0][payload.i].z }}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tmpl string) {
		refs, err := Refs(tmpl)
		checkRefs(t, tmpl, refs)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Refs(%q): error %T is not a *SyntaxError", tmpl, err)
			}
			if se.Offset < 0 || se.Offset > len(tmpl) {
				t.Fatalf("Refs(%q): error offset %d out of range", tmpl, se.Offset)
			}
		}
		// Scanning is a pure function of the input.
		again, err2 := Refs(tmpl)
		if diff := cmp.Diff(refs, again); diff != "" || (err == nil) != (err2 == nil) {
			t.Fatalf("Refs(%q) is not deterministic", tmpl)
		}
	})
}

func BenchmarkRefs(b *testing.B) {
	tmpl := strings.Repeat(`<p>Hi {{ subscriber.firstName | default: "there" }},</p>
{% for item in payload.items %}<li>{{ item.sku }} × {{ item.qty }} — {{ item.price | money }}</li>{% endfor %}
{% if payload.total > 100 %}Free shipping to {{ payload.address.city }}{% endif %}
`, 20)
	b.SetBytes(int64(len(tmpl)))
	for b.Loop() {
		if _, err := Refs(tmpl); err != nil {
			b.Fatal(err)
		}
	}
}
