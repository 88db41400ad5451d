package render

import (
	"strings"
	"testing"
)

var data = map[string]any{
	"payload": map[string]any{
		"orderId": "A-1", "amount": 1250.5, "count": 2.0, "date": "2026-07-24", "empty": "",
		"items":  []any{map[string]any{"name": "Mug", "qty": 2.0}, map[string]any{"name": "Tea", "qty": 1.0}},
		"actors": []any{"Ada", "Bob", "Cy", "Di"},
		"people": []any{map[string]any{"profile": map[string]any{"name": "Ada"}}, map[string]any{"profile": map[string]any{"name": "Bob"}}, map[string]any{"profile": map[string]any{"name": "Cy"}}},
		"meta":   map[string]any{"a": 1.0},
	},
	"subscriber": map[string]any{"firstName": "Ada"},
}

// TestTemplateFeatures is a case per feature of the engine Novu's
// templates use, each with the output LiquidJS gives as Novu configures it.
func TestTemplateFeatures(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"text", "no tags", "no tags"},
		{"output", "Hi {{ subscriber.firstName }}, {{ payload.orderId }}", "Hi Ada, A-1"},
		{"number", "{{ payload.amount }} {{ payload.count }}", "1250.5 2"},
		{"missing", "[{{ payload.nothing }}][{{ payload.nothing.deeper }}]", "[][]"},
		{"object", "{{ payload.meta }}", "{'a':1}"},
		// As in LiquidJS (jsTruthy off): only false and nil are false; "" is true.
		{"if", "{% if payload.orderId %}yes{% else %}no{% endif %}{% if payload.empty %}!{% endif %}{% if payload.nothing %}?{% endif %}", "yes!"},
		{"unless", "{% unless payload.nothing %}none{% endunless %}", "none"},
		{"for", "{% for i in payload.items %}{{ forloop.index }}:{{ i.qty }}x{{ i.name }};{% endfor %}", "1:2xMug;2:1xTea;"},
		{"assign", "{% assign first = payload.items | first %}{{ first.name }}", "Mug"},
		{"date", "{{ payload.date | date: '%A, %B %-d, %Y' }}", "Friday, July 24, 2026"},
		{"standard filters", "{{ payload.orderId | downcase }} {{ payload.items | size }} {{ payload.nothing | default: 'n/a' }} {{ payload.amount | round }}", "a-1 2 n/a 1251"},
		{"json", "{{ payload.meta | json }}", "{'a':1}"},
		{"digest", "{{ payload.actors | digest }}", "Ada, Bob and 2 others"},
		{"digest max and key", "{{ payload.people | digest: 3, 'profile.name' }}", "Ada, , Bob and Cy"},
		{"digest two", "{{ payload.items | digest: 2, 'name' }}", "Mug and Tea"},
		{"toSentence", "{{ payload.actors | toSentence }}", "Ada, Bob, and 2 others"},
		{"toSentence all", "{{ payload.people | toSentence: 'profile.name', 5 }}", "Ada, Bob, and Cy"},
		{"toSentence one shown", "{{ payload.actors | toSentence: '', 1 }}", "Ada and 3 others"},
		{"pluralize", "{{ payload.count | pluralize: 'event' }}|{{ 1 | pluralize: 'event' }}|{{ 0 | pluralize: 'event' }}|{{ payload.items | pluralize: 'box' }}", "2 events|1 event||2 boxes"},
		{"pluralize given", "{{ payload.count | pluralize: 'person', 'people' }}", "2 people"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Template(tc.src, data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Template(%q) = %q, want %q", tc.src, got, tc.want)
			}
		})
	}
}

// TestTemplateFailures: what fails in Novu fails here, saying what. (An
// output left open is internal/liquid's to report, before rendering.)
func TestTemplateFailures(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"{{ payload.orderId | shout }}", `undefined filter "shout"`},
		{"{% if payload.orderId %}open", `unterminated "if" block`},
		{"{% for i in payload.items %}{{ i }}", `unterminated "for" block`},
	} {
		_, err := Template(tc.src, data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Template(%q) error %v, want one containing %q", tc.src, err, tc.want)
		}
	}
}

func TestSkip(t *testing.T) {
	v := func(p string) any { return map[string]any{"var": p} }
	for _, tc := range []struct {
		name string
		cond any
		want bool
	}{
		{"eq", map[string]any{"==": []any{v("payload.orderId"), "A-1"}}, true},
		{"eq loose", map[string]any{"==": []any{v("payload.count"), "2"}}, true},
		{"ne", map[string]any{"!=": []any{v("payload.orderId"), "A-1"}}, false},
		{"not missing", map[string]any{"!": []any{v("subscriber.email")}}, true},
		{"not present", map[string]any{"!": []any{v("subscriber.firstName")}}, false},
		{"or", map[string]any{"or": []any{map[string]any{"==": []any{v("payload.orderId"), "B"}}, map[string]any{"!": []any{v("subscriber.email")}}}}, true},
		{"and", map[string]any{"and": []any{map[string]any{">": []any{v("payload.amount"), 1000.0}}, map[string]any{"<=": []any{v("payload.count"), 1.0}}}}, false},
		{"in list", map[string]any{"in": []any{v("payload.orderId"), []any{"A-1", "A-2"}}}, true},
		{"in string", map[string]any{"in": []any{"Tea", "Green Tea"}}, true},
		{"index", map[string]any{"==": []any{v("payload.items.1.name"), "Tea"}}, true},
		{"empty list is false", map[string]any{"!!": []any{v("payload.none")}}, false},
	} {
		got, err := Skip(tc.cond, data)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		} else if got != tc.want {
			t.Errorf("%s: Skip = %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, err := Skip(map[string]any{"regex": []any{"a", "b"}}, data); err == nil {
		t.Error("an unknown operator was evaluated")
	}
}
