package importer

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
)

// operators maps JSONLogic operators to the dsl functions that build them.
var operators = map[string]string{"==": "Eq", "!=": "Ne", ">": "Gt", ">=": "Gte", "<": "Lt", "<=": "Lte", "in": "In", "and": "And", "or": "Or", "!": "Not"}

// cond turns a JSONLogic object back into dsl calls.
func (im *importer) cond(field string, m map[string]any) jen.Code {
	if len(m) != 1 {
		im.fail(field, "%s is not a JSONLogic operation (one key)", show(m))
		return nil
	}
	for op, arg := range m {
		if op == "var" {
			s, ok := arg.(string)
			if !ok {
				im.fail(field, "%s: dsl.Var takes a path string only (no default value)", show(m))
				return nil
			}
			return dsl("Var").Call(jen.Lit(s))
		}
		fn, ok := operators[op]
		if !ok {
			im.fail(field, "JSONLogic operator %q has no dsl function (Var, Eq, Ne, Gt, Gte, Lt, Lte, In, And, Or, Not)", op)
			return nil
		}
		args, ok := arg.([]any)
		if !ok {
			im.fail(field, "%s: the dsl always sends the operands of %q as a list", show(m), op)
			return nil
		}
		want := map[string]int{"!": 1, "and": -1, "or": -1}[op]
		if want == 0 {
			want = 2
		}
		if want > 0 && len(args) != want || want < 0 && len(args) == 0 {
			im.fail(field, "%s: dsl.%s takes %d operands", show(m), fn, want)
			return nil
		}
		var out []jen.Code
		for i, a := range args {
			sub := fmt.Sprintf("%s.%s[%d]", field, op, i)
			if op == "and" || op == "or" || op == "!" {
				am, ok := a.(map[string]any)
				if !ok {
					im.fail(sub, "%s is not a condition", show(a))
					return nil
				}
				out = append(out, im.cond(sub, am))
				continue
			}
			out = append(out, im.operand(sub, a))
		}
		return dsl(fn).Call(out...)
	}
	return nil
}

// operand is a comparison operand: a condition when it is a one-key
// object naming an operator the dsl has, a literal otherwise.
func (im *importer) operand(field string, v any) jen.Code {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		for k := range m {
			if _, op := operators[k]; op || k == "var" {
				return im.cond(field, m)
			}
		}
	}
	return im.value(field, v)
}

// literal is a map[string]any literal with sorted keys.
func (im *importer) literal(field string, m map[string]any) jen.Code {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	items := make([]jen.Code, len(keys))
	for i, k := range keys {
		items[i] = jen.Lit(k).Op(":").Add(im.value(field+"."+k, m[k]))
	}
	return jen.Map(jen.String()).Any().Values(lines(items)...)
}

// value is the Go literal of a JSON value, in the form toWire reads back
// to the same JSON: whole numbers as ints, others as float64.
func (im *importer) value(field string, v any) jen.Code {
	switch v := v.(type) {
	case nil:
		return jen.Nil()
	case string:
		return jen.Lit(v)
	case bool:
		return jen.Lit(v)
	case float64:
		if n, ok := intOf(v); ok {
			return jen.Lit(n)
		}
		return jen.Lit(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			im.fail(field, "%s is not a number Go reads back", v)
			return jen.Nil()
		}
		return im.value(field, f)
	case []any:
		items := make([]jen.Code, len(v))
		for i, e := range v {
			items[i] = im.value(fmt.Sprintf("%s[%d]", field, i), e)
		}
		return jen.Index().Any().Values(items...)
	case map[string]any:
		return im.literal(field, v)
	}
	im.fail(field, "%s has no Go literal", show(v))
	return jen.Nil()
}

// intOf reads a whole JSON number within the range the dsl sends exactly.
func intOf(v any) (int, bool) {
	f, ok := v.(float64)
	if !ok {
		if n, isNum := v.(json.Number); isNum {
			var err error
			if f, err = n.Float64(); err != nil {
				return 0, false
			}
		} else if i, isInt := v.(int); isInt {
			return i, true
		} else {
			return 0, false
		}
	}
	if f != math.Trunc(f) || math.Abs(f) >= 1<<53 {
		return 0, false
	}
	return int(f), true
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strings.ReplaceAll(s, "\n", " ")
}
