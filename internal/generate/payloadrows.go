package generate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// row is one payload field of the catalog.
type row struct {
	path, typ, doc string
	required       bool
}

// payloadRows lists the fields of a payload schema in its own order
// (the Go fields' order), nested fields by their path (shipment.carrier,
// items[].sku), each with its doc comment from docs.
func payloadRows(schema json.RawMessage, docs map[string]string) []row {
	root, err := decodeOrdered(schema)
	if err != nil {
		return nil
	}
	var rows []row
	var walk func(n *node, prefix string)
	walk = func(n *node, prefix string) {
		if n == nil {
			return
		}
		if items := n.get("items"); items != nil && n.typeNames() != nil && slices.Contains(n.typeNames(), "array") {
			walk(items, prefix+"[]")
			return
		}
		props := n.get("properties")
		if props == nil {
			return
		}
		var required []string
		if r := n.get("required"); r != nil {
			for _, e := range r.arr {
				if s, ok := e.scalar.(string); ok {
					required = append(required, s)
				}
			}
		}
		for _, kv := range props.obj {
			path := kv.key
			if prefix != "" {
				path = prefix + "." + kv.key
			}
			rows = append(rows, row{path: path, typ: kv.val.typeString(), doc: docs[path], required: slices.Contains(required, kv.key)})
			walk(kv.val, path)
		}
	}
	walk(root, "")
	return rows
}

// node is a JSON value that keeps its object keys in order.
type node struct {
	obj    []member
	arr    []*node
	scalar any
	isObj  bool
}

type member struct {
	key string
	val *node
}

func (n *node) get(key string) *node {
	if n == nil {
		return nil
	}
	for _, m := range n.obj {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// typeNames is the schema's "type", a name or a list of them.
func (n *node) typeNames() []string {
	t := n.get("type")
	if t == nil {
		return nil
	}
	if s, ok := t.scalar.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range t.arr {
		if s, ok := e.scalar.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// typeString says what a schema accepts, as briefly as a table cell
// allows: "string (date-time)", "array of object", "one of courier,
// pickup", "any" (a free-form field).
func (n *node) typeString() string {
	names := n.typeNames()
	var s string
	switch {
	case len(names) == 0:
		s = "any"
	default:
		parts := make([]string, len(names))
		for i, t := range names {
			parts[i] = t
			if t == "array" {
				if items := n.get("items"); items != nil {
					parts[i] = "array of " + items.typeString()
				}
			}
		}
		s = strings.Join(parts, " or ")
	}
	if f := n.get("format"); f != nil {
		s += fmt.Sprintf(" (%v)", f.scalar)
	}
	if e := n.get("enum"); e != nil {
		var vals []string
		for _, v := range e.arr {
			data, _ := json.Marshal(v.scalar)
			vals = append(vals, string(data))
		}
		s += ", one of " + strings.Join(vals, ", ")
	}
	return s
}

func decodeOrdered(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return decodeNode(dec)
}

func decodeNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &node{isObj: true}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.obj = append(n.obj, member{key: k.(string), val: v})
		}
		_, err := dec.Token()
		return n, err
	case json.Delim('['):
		n := &node{}
		for dec.More() {
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.arr = append(n.arr, v)
		}
		_, err := dec.Token()
		return n, err
	}
	return &node{scalar: tok}, nil
}
