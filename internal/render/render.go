// Package render renders a step's Liquid templates and evaluates its skip
// condition the way Novu does when it runs the workflow, so that go
// generate can render every step with each example payload: a template
// that cannot render fails there, not in production, and the catalog says
// which steps each example runs.
//
// The engine is github.com/osteele/liquid (DEPENDENCIES.md says why) with
// the filters Novu's engine registers on top of LiquidJS's standard ones
// (docs/novu-api.md §8): json, digest, toSentence and pluralize. Output
// that is an object is written as Novu writes it, JSON with single quotes.
package render

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/osteele/liquid"
)

// engine is shared: it holds no state beyond its filters, and renders
// concurrently.
var engine = newEngine()

func newEngine() *liquid.Engine {
	e := liquid.NewEngine()
	e.RegisterFilter("json", func(v any, spaces func(int) int) string { return singleQuoted(v, spaces(0)) })
	e.RegisterFilter("digest", digest)
	e.RegisterFilter("toSentence", toSentence)
	e.RegisterFilter("pluralize", pluralize)
	return e
}

// Template renders src with data (payload, subscriber, steps, ...). The
// error is the engine's, which names the failing tag or output: an
// unknown filter, a block that is not closed, a bad filter argument.
func Template(src string, data map[string]any) (string, error) {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return src, nil
	}
	out, err := engine.ParseAndRenderString(src, objects(data).(map[string]any))
	if err != nil {
		return "", err
	}
	return out, nil
}

// object is a JSON object in the bindings: printed as Novu prints one
// ({'a':1}), not as Go prints a map.
type object map[string]any

func (o object) String() string { return singleQuoted(map[string]any(o), 0) }

// objects returns v with every nested map an object (the root stays a
// map: the engine wants one).
func objects(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = objects(e)
			if m, ok := out[k].(map[string]any); ok {
				out[k] = object(m)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = objects(e)
			if m, ok := out[i].(map[string]any); ok {
				out[i] = object(m)
			}
		}
		return out
	}
	return v
}

// singleQuoted is JSON with every double quote made single, Novu's way of
// printing an object or a list into a template.
func singleQuoted(v any, spaces int) string {
	switch v.(type) {
	case nil:
		return ""
	case map[string]any, object, []any:
	default:
		if rv := reflect.ValueOf(v); rv.Kind() != reflect.Map && rv.Kind() != reflect.Slice {
			return fmt.Sprint(v)
		}
	}
	var data []byte
	var err error
	if spaces > 0 {
		data, err = json.MarshalIndent(plain(v), "", strings.Repeat(" ", spaces))
	} else {
		data, err = json.Marshal(plain(v))
	}
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.ReplaceAll(string(data), `"`, "'")
}

// plain undoes objects, for encoding/json.
func plain(v any) any {
	switch v := v.(type) {
	case object:
		return plain(map[string]any(v))
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// text is a value as a name list shows it: strings as they are, numbers
// and booleans printed, objects as JSON ("" for an empty one).
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case map[string]any, object:
		data, _ := json.Marshal(plain(v))
		if string(data) == "{}" {
			return ""
		}
		return string(data)
	}
	return fmt.Sprint(v)
}

// at follows a dotted path into v.
func at(v any, path string) any {
	for k := range strings.SplitSeq(path, ".") {
		switch m := v.(type) {
		case map[string]any:
			v = m[k]
		case object:
			v = m[k]
		default:
			return nil
		}
	}
	return v
}

func names(list []any, keyPath string) []string {
	out := make([]string, len(list))
	for i, e := range list {
		if keyPath != "" {
			e = at(e, keyPath)
		}
		out[i] = text(e)
	}
	return out
}

// digest lists names for a digest: "A", "A and B", "A, B and 2 others".
func digest(list any, maxNames func(int) int, keyPath func(string) string, sep func(string) string) string {
	items, ok := list.([]any)
	if !ok || len(items) == 0 {
		return ""
	}
	mx, s := maxNames(2), sep(", ")
	vals := names(items, keyPath(""))
	switch {
	case len(vals) == 1:
		return vals[0]
	case len(vals) == 2:
		return vals[0] + " and " + vals[1]
	case len(vals) == 3 && mx >= 3:
		return vals[0] + ", " + s + vals[1] + " and " + vals[2]
	}
	// As Novu's: a maxNames past the list's length counts negative others.
	others := len(vals) - mx
	word := "others"
	if others == 1 {
		word = "other"
	}
	return strings.Join(vals[:min(max(mx, 0), len(vals))], s) + " and " + strconv.Itoa(others) + " " + word
}

// toSentence lists names as a sentence: "A, B, and C", or "A, B, and 3
// others" past the limit.
func toSentence(list any, keyPath func(string) string, limit func(int) int, suffix, words, two, last func(string) string) string {
	items, ok := list.([]any)
	if !ok || len(items) == 0 {
		return ""
	}
	vals := names(items, keyPath(""))
	n, lim := len(vals), limit(2)
	wc, tc, lc := words(", "), two(" and "), last(", and ")
	switch {
	case n == 1:
		return vals[0]
	case n == 2:
		return vals[0] + tc + vals[1]
	case lim >= n:
		return strings.Join(vals[:n-1], wc) + lc + vals[n-1]
	}
	lim = max(lim, 0)
	connector := lc
	if lim == 1 {
		connector = tc
	}
	more := n - lim
	return strings.Join(vals[:lim], wc) + connector + strconv.Itoa(more) + " " + english(suffix("other"), more)
}

// pluralize writes a count with its noun: "" for none, "1 event", "2
// events"; a given plural form wins over English rules.
func pluralize(v any, singular, plural func(string) string) string {
	count := 0.0
	switch v := v.(type) {
	case nil:
		return ""
	case []any:
		count = float64(len(v))
	case map[string]any:
		count = float64(len(v))
	case object:
		count = float64(len(v))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err == nil || strings.TrimSpace(v) == "" {
			count = f
		}
	case bool:
		if v {
			count = 1
		}
	default:
		f, ok := number(v)
		if ok {
			count = f
		}
	}
	if math.IsNaN(count) || count <= 0 {
		return ""
	}
	c := strconv.FormatFloat(count, 'f', -1, 64)
	if p := plural(""); p != "" {
		if count == 1 {
			return c + " " + singular("")
		}
		return c + " " + p
	}
	if count == 1 {
		return c + " " + singular("")
	}
	return c + " " + english(singular(""), 2)
}

// english is word in the plural for n other than 1, by the common English
// rules (the irregular nouns a notification counts are rare; pass the
// plural form for those).
func english(word string, n int) string {
	if n == 1 || word == "" {
		return word
	}
	lower := strings.ToLower(word)
	switch {
	case slices.ContainsFunc([]string{"s", "x", "z", "ch", "sh"}, func(s string) bool { return strings.HasSuffix(lower, s) }):
		return word + "es"
	case strings.HasSuffix(lower, "y") && len(lower) > 1 && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return word[:len(word)-1] + "ies"
	}
	return word + "s"
}

func number(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}
