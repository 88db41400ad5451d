package importer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/novugen/novugen/internal/liquid"
)

// pathNode is one level of the payload as the templates read it: the keys
// read under it, in the order first read, and its elements when a loop or
// an index reads it as a list.
type pathNode struct {
	keys     []string
	children map[string]*pathNode
	elem     *pathNode
}

func newPathNode() *pathNode { return &pathNode{children: map[string]*pathNode{}} }

func (n *pathNode) add(path []string) {
	for _, seg := range path {
		if seg == liquid.Elem {
			if n.elem == nil {
				n.elem = newPathNode()
			}
			n = n.elem
			continue
		}
		c, ok := n.children[seg]
		if !ok {
			c = newPathNode()
			n.children[seg] = c
			n.keys = append(n.keys, seg)
		}
		n = c
	}
}

// listProperties are what Liquid reads on a list rather than from its
// elements: {{ payload.items.size }} says nothing about the items.
var listProperties = []string{"size", "first", "last"}

// infer builds the payload type name from the templates' payload
// references, for a workflow Novu holds without a payload schema. The
// type can only guess: every field is an optional string, objects become
// structs and lists slices. So the workflow is declared with dsl.NoSchema:
// it sends no schema, as Novu holds none, and the guess never refuses a
// trigger Novu accepts today; go generate still checks the templates
// against it. validatePayload is kept as it was (it checks nothing then).
func (im *importer) infer(name string) {
	wf := im.wf
	root := newPathNode()
	for _, st := range wf.Steps {
		im.step = st.StepID
		for _, key := range sortedKeys(st.ControlValues) {
			im.collect(root, key, st.ControlValues[key])
		}
	}
	im.step = ""
	if len(im.errs) > 0 {
		return
	}
	s := &schemaWalk{im: im}
	doc := fmt.Sprintf("%s is inferred from the payload references of the templates of %q, which has no payload schema in Novu: check it. Every field is an optional string; go generate checks the templates against this type, and dsl.NoSchema keeps the workflow without a payload schema, as it is in Novu.", name, wf.WorkflowID)
	s.inferred(name, strings.TrimSuffix(name, "Payload"), root, "", doc)
	im.inferred = true
	im.notes = append(im.notes, fmt.Sprintf("workflow %q: no payload schema in Novu; %s is inferred from the templates, and the workflow is declared with dsl.NoSchema, so apply sends none: check the types, then drop dsl.NoSchema to send their schema", wf.WorkflowID, name))
}

// collect adds the payload paths a control value reads: the references of
// every string (templates), the var operands of a skip condition, and the
// payload paths of digestKey, throttleKey and dynamicKey.
func (im *importer) collect(root *pathNode, key string, v any) {
	switch v := v.(type) {
	case string:
		if key == "digestKey" || key == "throttleKey" || key == "dynamicKey" {
			if p, ok := strings.CutPrefix(v, "payload."); ok && !strings.Contains(v, "{{") {
				root.add(strings.Split(p, "."))
				return
			}
		}
		refs, err := liquid.Refs(v)
		if err != nil {
			im.fail("control "+quote(key), "the template cannot be read: %v", err)
			return
		}
		for _, r := range refs {
			if len(r.Path) < 2 || r.Path[0] != "payload" {
				continue
			}
			if slices.Contains(r.Path, liquid.AnyKey) {
				im.fail("control "+quote(key), "%s reads a payload key computed when the template renders; no type can be inferred for it", r.Raw)
				continue
			}
			root.add(r.Path[1:])
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if p, ok := v[k].(string); ok && k == "var" {
				if rest, ok := strings.CutPrefix(p, "payload."); ok {
					root.add(strings.Split(rest, "."))
				}
				continue
			}
			im.collect(root, k, v[k])
		}
	case []any:
		for _, e := range v {
			im.collect(root, key, e)
		}
	}
}

// inferred declares type name for the paths under n.
func (s *schemaWalk) inferred(name, base string, n *pathNode, path, doc string) {
	if doc == "" {
		doc = fmt.Sprintf("%s is %s of the inferred payload of %q.", name, path, s.im.wf.WorkflowID)
	}
	s.declareStruct(name, doc, path, n.keys, "the key read by the templates", func(k, goName, fpath string) []jen.Code {
		return []jen.Code{jen.Id(goName).Add(s.inferredType(base+goName, n.children[k], fpath)).Tag(map[string]string{"json": k + ",omitempty"})}
	})
}

func (s *schemaWalk) inferredType(name string, n *pathNode, path string) jen.Code {
	if n.elem != nil {
		var keys []string
		for _, k := range n.keys {
			if !slices.Contains(listProperties, k) {
				keys = append(keys, k)
			}
		}
		if len(keys) > 0 {
			s.fail(path, "the templates read it both as a list and as an object (%s); no type can be inferred", strings.Join(keys, ", "))
			return jen.Any()
		}
		return jen.Index().Add(s.inferredType(singular(name), n.elem, path+"[]"))
	}
	if len(n.keys) == 0 {
		return jen.String()
	}
	typeName := s.im.name(name)
	s.inferred(typeName, typeName, n, path, "")
	return jen.Id(typeName)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
