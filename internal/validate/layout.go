package validate

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/novugen/novugen/internal/liquid"
	"github.com/novugen/novugen/registry"
)

// LayoutFinding is one problem in a layout.
type LayoutFinding struct {
	LayoutID string
	Field    string // "layoutId", "name", "body", "editorType"
	Message  string
}

// Error formats f as `layout "l", field "body": message`.
func (f LayoutFinding) Error() string {
	return fmt.Sprintf("layout %q, field %q: %s", f.LayoutID, f.Field, f.Message)
}

// Layouts checks the layouts of a registry and the email steps that name
// one: each layoutId follows the workflowId rules and is declared once,
// the name is set, the body is what Novu's upsert accepts for its editor
// type and holds {{ content }}, and its templates read only what Novu
// gives a layout: content and the subscriber (docs/novu-api.md §4.8).
func Layouts(ls []registry.Layout) []LayoutFinding {
	var out []LayoutFinding
	seen := map[string]int{}
	for i, l := range ls {
		add := func(field, format string, args ...any) {
			out = append(out, LayoutFinding{LayoutID: l.LayoutID, Field: field, Message: fmt.Sprintf(format, args...)})
		}
		if err := CheckID(l.LayoutID); err != nil {
			add("layoutId", "%v", err)
		}
		if j, ok := seen[l.LayoutID]; ok {
			if ls[j].Name == l.Name {
				add("layoutId", "layoutId is declared twice, both named %q, with different settings; layoutIds must be unique", l.Name)
			} else {
				add("layoutId", "layoutId is declared twice, by layouts named %q and %q; layoutIds must be unique", ls[j].Name, l.Name)
			}
		} else {
			seen[l.LayoutID] = i
		}
		for field, s := range map[string]string{"layoutId": l.LayoutID, "name": l.Name, "body": l.Body, "editorType": l.EditorType} {
			if at := badByte(s); at >= 0 {
				add(field, "%s has the invalid UTF-8 byte %#x at byte %d; encoding/json would send U+FFFD in its place", excerpt(s, at), s[at], at)
			}
		}
		if strings.TrimSpace(l.Name) == "" {
			add("name", "name is empty; Novu requires one")
		}
		switch l.EditorType {
		case "html":
			if msg := htmlDocument(l.Body); msg != "" {
				add("body", "%s", msg)
			}
		case "block":
			var doc struct{ Type string }
			if json.Unmarshal([]byte(l.Body), &doc) != nil || doc.Type != "doc" {
				add("body", "under editorType \"block\" the body must be a Maily JSON document ({\"type\": \"doc\", ...}); Novu refuses anything else")
			}
		default:
			add("editorType", "editorType %q is not \"html\" or \"block\"", l.EditorType)
		}
		if l.EditorType == "html" {
			layoutTemplate(l.Body, l.IsTranslationEnabled, func(format string, args ...any) { add("body", format, args...) })
		}
	}
	return out
}

// htmlDocument says what Novu's upsert refuses in an HTML layout body, or
// "": it wants a whole document (docs/novu-api.md §4.8), and a layout
// without {{ content }} would send every email without its body.
func htmlDocument(body string) string {
	var missing []string
	for _, tag := range []string{"<html", "</html>", "<body", "</body>"} {
		if !strings.Contains(body, tag) {
			missing = append(missing, tag)
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("the body lacks %s; Novu accepts an HTML layout only as a whole document", allOf(missing))
	}
	return ""
}

// layoutTemplate checks the variables an HTML layout reads: content (the
// step's rendered body, which must appear), subscriber.*, and with
// translations on t.* (the layout's translation keys, which only Novu
// holds).
func layoutTemplate(body string, translated bool, add func(format string, args ...any)) {
	refs, err := liquid.Refs(body)
	if err != nil {
		add("template error: %v", err)
	}
	hasContent := false
	for _, r := range refs {
		shown := "{{" + r.Raw + "}}"
		switch r.Path[0] {
		case "content":
			if len(r.Path) > 1 {
				add("%s reads below content, which is the step's rendered body, a string", shown)
			}
			hasContent = true
		case "subscriber":
			if msg := walk(subscriberSchema, r.Path[1:], "subscriber", "the subscriber"); msg != "" {
				add("%s %s", shown, msg)
			}
		case "t":
			if !translated {
				add("%s reads a translation, but the layout's translations are off; set LayoutSettings.TranslationEnabled", shown)
			}
		default:
			add("%s reads %q, which Novu does not give a layout; a layout reads content and subscriber%s",
				shown, r.Path[0], suggest(r.Path[0], []string{"content", "subscriber"}))
		}
	}
	if err == nil && !hasContent {
		add("the body has no {{ content }}, where Novu puts the email step's body")
	}
}
