package validate

import (
	"testing"
)

func TestArticle(t *testing.T) {
	for word, want := range map[string]string{
		"in_app": "an", "email": "an", "sms": "an", "http_request": "an",
		"push": "a", "chat": "a", "delay": "a", "digest": "a", "throttle": "a", "custom": "a",
	} {
		if got := article(word); got != want {
			t.Errorf("article(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestLists(t *testing.T) {
	for _, tc := range []struct {
		values     []string
		one, every string
	}{
		{nil, "nothing", "nothing"},
		{[]string{"a"}, "a", "a"},
		{[]string{"a", "b"}, "a or b", "a and b"},
		{[]string{"a", "b", "c"}, "a, b or c", "a, b and c"},
	} {
		if got := oneOf(tc.values); got != tc.one {
			t.Errorf("oneOf(%q) = %q, want %q", tc.values, got, tc.one)
		}
		if got := allOf(tc.values); got != tc.every {
			t.Errorf("allOf(%q) = %q, want %q", tc.values, got, tc.every)
		}
	}
}
