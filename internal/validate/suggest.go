package validate

import (
	"fmt"
	"slices"
	"strings"
)

// suggest returns `; did you mean "x"?` for the candidate closest to name by
// edit distance, or "" when none is close enough to be a likely typo. Ties go
// to the alphabetically first candidate, so messages are stable.
func suggest(name string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if c == name {
			continue
		}
		d, ok := likelyTypo(name, c)
		if !ok {
			continue
		}
		if bestD < 0 || d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	if bestD < 0 {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// maxDistance is how many edits still read as a typo: one for short names,
// about a third of the length for longer ones.
func maxDistance(a, b string) int {
	n := min(len([]rune(a)), len([]rune(b)))
	return max(1, n/3)
}

// likelyTypo reports whether name is a likely typo of c: within maxDistance
// edits, or a prefix of at least three characters ("order" for "orderId").
func likelyTypo(name, c string) (int, bool) {
	a, b := strings.ToLower(name), strings.ToLower(c)
	d := distance(a, b)
	if d >= min(len([]rune(a)), len([]rune(b))) {
		return 0, false // nothing in common: "c" is no typo of "a"
	}
	if d <= maxDistance(a, b) {
		return d, true
	}
	if len(a) >= 3 && len(b) >= 3 && (strings.HasPrefix(a, b) || strings.HasPrefix(b, a)) {
		return d, true
	}
	return 0, false
}

// distance is the optimal string alignment distance between a and b, in
// runes: Levenshtein plus transposition of neighbours, the commonest typo
// ("emial").
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// oneOf lists alternatives for a message: "a, b or c".
func oneOf(values []string) string { return list(values, "or") }

// allOf lists every member of a set for a message: "a, b and c".
func allOf(values []string) string { return list(values, "and") }

func list(values []string, conj string) string {
	switch len(values) {
	case 0:
		return "nothing"
	case 1:
		return values[0]
	}
	return strings.Join(values[:len(values)-1], ", ") + " " + conj + " " + values[len(values)-1]
}

// article returns "a" or "an" for a step type or other identifier, as it
// is read aloud: "an in_app step", "an sms step", "a digest step".
func article(word string) string {
	w := strings.ToLower(word)
	for _, p := range []string{"sms", "http", "html"} {
		if strings.HasPrefix(w, p) {
			return "an"
		}
	}
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}

// sortedKeys returns m's keys in order, for deterministic findings.
func sortedKeys[K ~string, V any](m map[K]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	slices.Sort(keys)
	return keys
}
