package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/novugen/novugen/internal/goname"
)

// object is a JSON object with its keys in document order: a struct's
// fields keep the order of the schema's properties.
type object struct {
	keys []string
	vals map[string]json.RawMessage
}

func parseObject(raw json.RawMessage) (*object, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil || t != json.Delim('{') {
		return nil, false
	}
	o := &object{vals: map[string]json.RawMessage{}}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		k := t.(string)
		o.keys = append(o.keys, k)
		o.vals[k] = v
	}
	return o, true
}

func (o *object) has(k string) bool { _, ok := o.vals[k]; return ok }

func (o *object) str(k string) (string, bool) {
	var s string
	if json.Unmarshal(o.vals[k], &s) != nil {
		return "", false
	}
	return s, true
}

// schemaKeys are the keywords a field's schema may carry, each written back
// by the generator from a jsonschema tag (payloadschema's documented
// mapping). A keyword outside this list has no Go spelling here and is an
// error naming the field.
var tagKeys = []string{"description", "title", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
	"exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems"}

// structKeys are the keywords of a schema that becomes a struct.
var structKeys = []string{"type", "properties", "required", "additionalProperties"}

// payload builds the payload type name from the workflow's schema and
// reports whether it is strict (additionalProperties: false throughout).
func (im *importer) payload(name string, raw json.RawMessage) bool {
	const field = "payloadSchema"
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		im.infer(name)
		return false
	}
	root, ok := parseObject(trimmed)
	if !ok {
		im.fail(field, "not a JSON object")
		return false
	}
	if t, _ := root.str("type"); t != "object" || !root.has("properties") {
		im.fail(field, "the root is not an object schema with properties")
		return false
	}
	if props, ok := parseObject(root.vals["properties"]); ok && len(props.keys) == 0 && string(bytes.TrimSpace(root.vals["additionalProperties"])) == "true" {
		im.infer(name) // Novu's default schema: none was set
		return false
	}
	strict := string(bytes.TrimSpace(root.vals["additionalProperties"])) == "false"
	s := &schemaWalk{im: im, strict: strict}
	s.structType(name, strings.TrimSuffix(name, "Payload"), root, "")
	return strict
}

type schemaWalk struct {
	im     *importer
	strict bool
}

func (s *schemaWalk) fail(path, format string, args ...any) {
	field := "payloadSchema"
	if path != "" {
		field = "payload field " + path
	}
	s.im.fail(field, format, args...)
}

// structType declares type name from an object schema. base prefixes the
// names of nested types.
func (s *schemaWalk) structType(name, base string, o *object, path string) {
	for _, k := range o.keys {
		if !slices.Contains(structKeys, k) {
			s.fail(path, "keyword %q on an object has no Go spelling", k)
		}
	}
	ap := string(bytes.TrimSpace(o.vals["additionalProperties"]))
	switch {
	case s.strict && ap != "false":
		s.fail(path, "additionalProperties is not false here but is at the root: StrictPayload closes every object or none")
	case !s.strict && ap != "":
		s.fail(path, "additionalProperties: %s on an object with properties: the dsl leaves it out (open) or, with StrictPayload, false on every object", ap)
	}
	props, ok := parseObject(o.vals["properties"])
	if !ok {
		s.fail(path, "properties is not an object")
		return
	}
	var required []string
	if r, ok := o.vals["required"]; ok {
		if json.Unmarshal(r, &required) != nil {
			s.fail(path, "required is not a list of names")
			return
		}
		if len(required) == 0 {
			s.fail(path, "an empty required list: the generator leaves the key out, so apply would remove it")
		}
	}
	for _, r := range required {
		if !props.has(r) {
			s.fail(path, "required names %q, which is not a property", r)
		}
	}
	// The generator lists required fields in struct order: the required
	// fields come first, in the schema's required order, then the others
	// in the order of the properties.
	order := slices.Clone(required)
	for _, k := range props.keys {
		if !slices.Contains(required, k) {
			order = append(order, k)
		}
	}
	doc := fmt.Sprintf("%s is the payload of %q, from its payload schema.", name, s.im.wf.WorkflowID)
	if path != "" {
		doc = fmt.Sprintf("%s is %s of the payload of %q.", name, path, s.im.wf.WorkflowID)
	}
	s.declareStruct(name, doc, path, order, "the property name", func(k, goName, fpath string) []jen.Code {
		fo, ok := parseObject(props.vals[k])
		if !ok {
			s.fail(fpath, "the property schema is not an object")
			return nil
		}
		typ, tags, desc := s.fieldType(base+goName, fo, fpath)
		jsonTag := k
		if !slices.Contains(required, k) {
			jsonTag += ",omitempty"
		}
		tagMap := map[string]string{"json": jsonTag}
		if len(tags) > 0 {
			tagMap["jsonschema"] = strings.Join(tags, ",")
		}
		var code []jen.Code
		if desc != "" {
			for line := range strings.SplitSeq(desc, "\n") {
				code = append(code, jen.Comment(line))
			}
		}
		return append(code, jen.Id(goName).Add(typ).Tag(tagMap))
	})
}

// declareStruct declares type name with a field for each key, in order.
// The type is declared before the types its fields declare: a reader meets
// the payload first. A key that cannot be a json tag is a problem at its
// path (what says what the key is), and a key whose Go name an earlier key
// took gets a number. field returns a key's field with its comments, or
// nil to leave the key out.
func (s *schemaWalk) declareStruct(name, doc, path string, keys []string, what string, field func(k, goName, fpath string) []jen.Code) {
	slot := len(s.im.decls)
	s.im.decls = append(s.im.decls, nil)
	used := map[string]bool{}
	var fieldsCode []jen.Code
	for _, k := range keys {
		fpath := joinSchemaPath(path, k)
		if k == "" || k == "-" || strings.ContainsAny(k, ",\"`\\ ") {
			s.fail(fpath, "%s cannot be a json tag", what)
			continue
		}
		goName := goname.Exported(k, "Field")
		for i := 2; used[goName]; i++ {
			goName = goname.Exported(k, "Field") + strconv.Itoa(i)
		}
		used[goName] = true
		fieldsCode = append(fieldsCode, field(k, goName, fpath)...)
	}
	s.im.decls[slot] = jen.Comment(doc).Line().Type().Id(name).Struct(fieldsCode...)
}

func joinSchemaPath(base, k string) string {
	if base == "" {
		return k
	}
	return base + "." + k
}

// fieldType returns the Go type of a property schema, its jsonschema tag
// parts and its description. name is the type name a nested struct gets.
func (s *schemaWalk) fieldType(name string, o *object, path string) (jen.Code, []string, string) {
	var tags []string
	var desc string
	// A nullable field: oneOf [schema, {type: null}], what `jsonschema:"nullable"`
	// on a pointer gives.
	if one, ok := o.vals["oneOf"]; ok {
		var alts []json.RawMessage
		var null map[string]any
		if json.Unmarshal(one, &alts) != nil || len(alts) != 2 || json.Unmarshal(alts[1], &null) != nil ||
			len(null) != 1 || null["type"] != "null" {
			s.fail(path, "oneOf other than [schema, {\"type\": \"null\"}] (nullable) has no Go spelling")
			return jen.Any(), nil, ""
		}
		for _, k := range o.keys {
			if k != "oneOf" {
				s.fail(path, "keyword %q beside a nullable oneOf has no Go spelling", k)
			}
		}
		inner, ok := parseObject(alts[0])
		if !ok {
			s.fail(path, "oneOf's first schema is not an object")
			return jen.Any(), nil, ""
		}
		typ, itags, idesc := s.fieldType(name, inner, path)
		if len(itags) > 0 || idesc != "" {
			s.fail(path, "keywords inside a nullable oneOf have no Go spelling")
		}
		s.im.note(path, "nullable: a pointer with `jsonschema:\"nullable\"`")
		return jen.Op("*").Add(typ), []string{"nullable"}, ""
	}
	t, _ := o.str("type")
	switch t {
	case "object":
		if !o.has("properties") {
			// A map: additionalProperties is the schema of its values.
			for _, k := range o.keys {
				if k != "type" && k != "additionalProperties" && k != "description" {
					s.fail(path, "keyword %q on a map has no Go spelling", k)
				}
			}
			vo, ok := parseObject(o.vals["additionalProperties"])
			if !ok {
				s.fail(path, "an object without properties needs an additionalProperties schema to become a map")
				return jen.Any(), nil, ""
			}
			vt, vtags, vdesc := s.fieldType(name+"Value", vo, path+"{}")
			if len(vtags) > 0 || vdesc != "" {
				s.fail(path+"{}", "keywords on a map's values have no Go spelling")
			}
			desc = s.tagDescription(o, path, &tags)
			return jen.Map(jen.String()).Add(vt), tags, desc
		}
		desc = s.tagDescription(o, path, &tags)
		inner := &object{vals: o.vals}
		for _, k := range o.keys {
			if k != "description" {
				inner.keys = append(inner.keys, k)
			}
		}
		typeName := s.im.name(name)
		s.structType(typeName, typeName, inner, path)
		return jen.Id(typeName), tags, desc
	case "array":
		for _, k := range o.keys {
			if k != "type" && k != "items" && k != "description" && k != "minItems" && k != "maxItems" && k != "uniqueItems" {
				s.fail(path, "keyword %q on an array has no Go spelling", k)
			}
		}
		io, ok := parseObject(o.vals["items"])
		if !ok {
			s.fail(path, "an array needs an items schema")
			return jen.Any(), nil, ""
		}
		et, etags, edesc := s.fieldType(singular(name), io, path+"[]")
		if len(etags) > 0 || edesc != "" {
			s.fail(path+"[]", "keywords on an array's items have no Go spelling")
		}
		desc = s.tagDescription(o, path, &tags)
		for _, k := range []string{"minItems", "maxItems", "uniqueItems"} {
			s.tagKeyword(o, k, path, &tags)
		}
		return jen.Index().Add(et), tags, desc
	case "string", "integer", "number", "boolean":
	default:
		s.fail(path, "type %s has no Go spelling here (one of string, integer, number, boolean, object, array)", string(o.vals["type"]))
		return jen.Any(), nil, ""
	}
	for _, k := range o.keys {
		if k != "type" && k != "enum" && !slices.Contains(tagKeys, k) {
			s.fail(path, "keyword %q has no Go spelling", k)
		}
	}
	desc = s.tagDescription(o, path, &tags)
	for _, k := range tagKeys[1:] {
		s.tagKeyword(o, k, path, &tags)
	}
	if e, ok := o.vals["enum"]; ok {
		var vals []any
		dec := json.NewDecoder(bytes.NewReader(e))
		dec.UseNumber()
		if dec.Decode(&vals) != nil || len(vals) == 0 {
			s.fail(path, "enum is not a list of values")
		}
		var shown []string
		for _, v := range vals {
			var text string
			switch v := v.(type) {
			case string:
				if t != "string" {
					s.fail(path, "enum value %q does not match type %s", v, t)
				}
				text = v
			case json.Number:
				if t != "integer" && t != "number" {
					s.fail(path, "enum value %s does not match type %s", v, t)
				}
				text = v.String()
			default:
				s.fail(path, "enum value %v has no Go spelling (strings and numbers only)", v)
				continue
			}
			if !tagSafe(text) {
				s.fail(path, "enum value %q cannot be written in a struct tag", text)
				continue
			}
			tags = append(tags, "enum="+escapeTag(text))
			shown = append(shown, strconv.Quote(text))
		}
		s.im.note(path, "enum %s (kept in the jsonschema tag; the Go type is %s)", strings.Join(shown, ", "), goTypeWord(t))
	}
	switch t {
	case "string":
		return jen.String(), tags, desc
	case "integer":
		return jen.Int(), tags, desc
	case "number":
		return jen.Float64(), tags, desc
	}
	return jen.Bool(), tags, desc
}

func goTypeWord(t string) string {
	return map[string]string{"string": "string", "integer": "int", "number": "float64", "boolean": "bool"}[t]
}

// singular names the element type of a slice: OrderItems → OrderItem.
func singular(n string) string {
	switch {
	case strings.HasSuffix(n, "ies") && len(n) > 4:
		return n[:len(n)-3] + "y"
	case strings.HasSuffix(n, "s") && !strings.HasSuffix(n, "ss") && len(n) > 2:
		return n[:len(n)-1]
	}
	return n + "Item"
}
