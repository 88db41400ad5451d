package dsl

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
)

// maxExact bounds the integers a float64, and so a JSON number as Novu and
// encoding/json read it, carries exactly.
const maxExact = 1 << 53

// toWire converts a value an author wrote in a free-form control (custom
// objects, in-app data, response schemas, condition operands) to the form
// encoding/json gives back when it reads the registry: string, bool, float64,
// nil, []any and map[string]any. Using one numeric type keeps a Definition
// equal to its registry round trip. Values JSON cannot carry faithfully
// (structs, channels, functions, NaN, maps with non-string keys) become
// problems naming the path, in a deterministic order.
func toWire(v any, path string) (any, []string) {
	if c, ok := v.(Cond); ok {
		if c.v == nil {
			return nil, []string{fmt.Sprintf("%s: empty dsl.Cond", path)}
		}
		return cloneWire(c.v), prefixed(path, c.problems)
	}
	if v == nil {
		return nil, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i := rv.Int()
		if f := float64(i); f < maxExact && f > -maxExact {
			return f, nil
		}
		return nil, []string{fmt.Sprintf("%s: %d cannot be sent exactly as a JSON number; use a string", path, i)}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if f := float64(u); f < maxExact {
			return f, nil
		}
		return nil, []string{fmt.Sprintf("%s: %d cannot be sent exactly as a JSON number; use a string", path, u)}
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, []string{fmt.Sprintf("%s: %v is not a JSON number", path, f)}
		}
		if rv.Kind() == reflect.Float32 {
			// float32(0.1) widens to 0.10000000149011612; keep the
			// decimal the author wrote.
			f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
		}
		return f, nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return toWire(rv.Elem().Interface(), path)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil, nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return nil, []string{fmt.Sprintf("%s: %s is not supported (encoding/json would send base64); use a string", path, rv.Type())}
		}
		out := make([]any, rv.Len())
		var probs []string
		for i := range rv.Len() {
			w, p := toWire(rv.Index(i).Interface(), fmt.Sprintf("%s[%d]", path, i))
			out[i] = w
			probs = append(probs, p...)
		}
		return out, probs
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, []string{fmt.Sprintf("%s: %s is not supported: object keys must be strings", path, rv.Type())}
		}
		if rv.IsNil() {
			return nil, nil
		}
		keys := make([]string, 0, rv.Len())
		vals := make(map[string]reflect.Value, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k := it.Key().String()
			keys = append(keys, k)
			vals[k] = it.Value()
		}
		sort.Strings(keys) // problems in a stable order
		out := make(map[string]any, len(keys))
		var probs []string
		for _, k := range keys {
			w, p := toWire(vals[k].Interface(), joinPath(path, k))
			out[k] = w
			probs = append(probs, p...)
		}
		return out, probs
	}
	return nil, []string{fmt.Sprintf("%s: %s is not supported: use string, bool, a number, a slice or map[string]any", path, rv.Type())}
}

// cloneWire deep-copies a value already in wire form.
func cloneWire(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = cloneWire(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneWire(e)
		}
		return out
	}
	return v
}

func prefixed(path string, msgs []string) []string {
	if len(msgs) == 0 {
		return nil
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = path + ": " + m
	}
	return out
}
