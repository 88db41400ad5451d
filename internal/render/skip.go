package render

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Skip evaluates a skip condition (JSON Logic, as dsl builds it) on data:
// true means Novu skips the step. It knows the operators dsl writes (var,
// ==, !=, ===, !==, <, <=, >, >=, and, or, !, !!, in) and refuses others,
// so that a condition it cannot judge is not reported as "runs".
func Skip(cond any, data map[string]any) (bool, error) {
	v, err := eval(cond, data)
	if err != nil {
		return false, err
	}
	return truthy(v), nil
}

func eval(c any, data map[string]any) (any, error) {
	m, ok := c.(map[string]any)
	if !ok {
		if list, ok := c.([]any); ok {
			out, err := evalAll(list, data)
			if err != nil {
				return nil, err
			}
			return out, nil
		}
		return c, nil
	}
	if len(m) != 1 {
		return nil, fmt.Errorf("a condition is an object of one operator, not %d keys", len(m))
	}
	for op, raw := range m {
		args, ok := raw.([]any)
		if !ok {
			args = []any{raw}
		}
		if op == "var" {
			return variable(args, data)
		}
		vals, err := evalAll(args, data)
		if err != nil {
			return nil, err
		}
		switch op {
		case "and", "or":
			var last any = op == "and"
			for _, v := range vals {
				last = v
				if truthy(v) != (op == "and") {
					return v, nil
				}
			}
			return last, nil
		case "!":
			return len(vals) == 0 || !truthy(vals[0]), nil
		case "!!":
			return len(vals) > 0 && truthy(vals[0]), nil
		}
		if len(vals) != 2 {
			return nil, fmt.Errorf("%s takes 2 operands, not %d", op, len(vals))
		}
		a, b := vals[0], vals[1]
		switch op {
		case "==":
			return looseEqual(a, b), nil
		case "!=":
			return !looseEqual(a, b), nil
		case "===":
			return reflect.DeepEqual(a, b), nil
		case "!==":
			return !reflect.DeepEqual(a, b), nil
		case "<", "<=", ">", ">=":
			x, okx := toNumber(a)
			y, oky := toNumber(b)
			if !okx || !oky {
				return false, nil
			}
			return map[string]bool{"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op], nil
		case "in":
			switch h := b.(type) {
			case []any:
				return slices.ContainsFunc(h, func(e any) bool { return reflect.DeepEqual(e, a) }), nil
			case string:
				s, ok := a.(string)
				return ok && strings.Contains(h, s), nil
			}
			return false, nil
		}
		return nil, fmt.Errorf("operator %q is not one this preview evaluates", op)
	}
	return nil, nil
}

// evalAll evaluates every element of a list: a literal array or an
// operator's operands.
func evalAll(list []any, data map[string]any) ([]any, error) {
	out := make([]any, len(list))
	for i, e := range list {
		v, err := eval(e, data)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// variable reads {"var": "a.b"} (or ["a.b", default]) from data; a list
// index is a number segment.
func variable(args []any, data map[string]any) (any, error) {
	if len(args) == 0 {
		return data, nil
	}
	path, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("var takes a path string, not %v", args[0])
	}
	var v any = data
	for k := range strings.SplitSeq(path, ".") {
		switch c := v.(type) {
		case map[string]any:
			v = c[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(c) {
				v = nil
			} else {
				v = c[i]
			}
		default:
			v = nil
		}
	}
	if v == nil && len(args) > 1 {
		return args[1], nil
	}
	return v, nil
}

// truthy is JSON Logic's truth: false for false, 0, "", null and [].
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case []any:
		return len(v) > 0
	}
	if f, ok := number(v); ok {
		return f != 0
	}
	return true
}

// looseEqual is JavaScript's ==, for the values JSON holds.
func looseEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if reflect.DeepEqual(a, b) {
		return true
	}
	_, aStr := a.(string)
	_, bStr := b.(string)
	if aStr && bStr {
		return false
	}
	x, okx := toNumber(a)
	y, oky := toNumber(b)
	return okx && oky && x == y
}

func toNumber(v any) (float64, bool) {
	switch v := v.(type) {
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case string:
		if strings.TrimSpace(v) == "" {
			return 0, true
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return f, err == nil
	}
	return number(v)
}
