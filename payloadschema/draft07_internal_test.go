package payloadschema

import (
	"fmt"
	"strings"
	"testing"
)

// deepSchema nests one property n objects deep.
func deepSchema(n int) []byte {
	return []byte(strings.Repeat(`{"type":"object","properties":{"a":`, n) + `{"type":"string"}` + strings.Repeat(`}}`, n))
}

// TestCheckDraft07NamesTheDeepFault: the pointer, kept as a stack, still
// names a fault at its full path.
func TestCheckDraft07NamesTheDeepFault(t *testing.T) {
	raw := strings.Replace(string(deepSchema(40)), `{"type":"string"}`, `{"type":"strng"}`, 1)
	err := checkDraft07([]byte(raw))
	want := "generated schema has type strng at " + strings.Repeat("/properties/a", 40) + "/type; draft-07 types are "
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %v, want prefix %q", err, want)
	}
	raw = strings.Replace(string(deepSchema(3)), `{"type":"string"}`, `{"type":"string","$comment":"x"}`, 1)
	err = checkDraft07([]byte(raw))
	want = `generated schema has keyword "$comment" at /properties/a/properties/a/properties/a, which is not draft-07`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %v, want prefix %q", err, want)
	}
}

// BenchmarkCheckDraft07Deep: memory linear in the nesting depth (it grew
// with its square when each level built its own pointer string).
func BenchmarkCheckDraft07Deep(b *testing.B) {
	for _, n := range []int{1000, 3000} {
		b.Run(fmt.Sprintf("levels=%d", n), func(b *testing.B) {
			raw := deepSchema(n)
			b.ReportAllocs()
			for b.Loop() {
				if err := checkDraft07(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
