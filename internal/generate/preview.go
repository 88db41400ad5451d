package generate

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/novugen/novugen/dsl"
	liquidrender "github.com/novugen/novugen/internal/render"
)

// WritePreview writes what each step of each workflow shows with each of
// its examples into dir: an email as an HTML page that opens in a browser
// (inside its layout when the layout is declared in Go, else with a note
// where Novu's layout goes), every other step as text, and index.html
// linking them all, skipped steps marked. dir must be absent, empty, or
// an earlier preview, which is replaced whole: anything else there is
// refused, never overwritten.
func WritePreview(dir string, r *Result) error {
	if r.Files == nil {
		return fmt.Errorf("nothing to preview: the generation failed")
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if len(entries) > 0 {
		index, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil || !bytes.Contains(index, []byte(previewMark)) {
			return fmt.Errorf("%s is neither empty nor an earlier preview; choose another directory", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sorted := slices.Clone(r.wfs)
	slices.SortStableFunc(sorted, func(a, b workflow) int { return strings.Compare(a.def.WorkflowID, b.def.WorkflowID) })
	var idx previewIndex
	for _, w := range sorted {
		wdir := filepath.Join(dir, fileSlug(w.def.WorkflowID))
		pw := previewWorkflow{ID: w.def.WorkflowID, Name: w.def.Name}
		for i, run := range w.runs {
			pe := previewExample{Name: run.name}
			edir := filepath.Join(wdir, fmt.Sprintf("%d-%s", i+1, fileSlug(run.name)))
			if err := os.MkdirAll(edir, 0o755); err != nil {
				return err
			}
			for j, s := range w.def.Steps {
				rs := run.steps[j]
				page, ext := stepPage(s, rs, run.data, r.layouts)
				if page == nil {
					pe.Steps = append(pe.Steps, previewStep{ID: s.StepID, Type: string(s.Type), Skipped: rs.skipped})
					continue
				}
				name := fmt.Sprintf("%d-%s.%s", j+1, fileSlug(s.StepID), ext)
				if err := os.WriteFile(filepath.Join(edir, name), page, 0o644); err != nil {
					return err
				}
				rel, _ := filepath.Rel(dir, filepath.Join(edir, name))
				pe.Steps = append(pe.Steps, previewStep{ID: s.StepID, Type: string(s.Type), Skipped: rs.skipped, Link: filepath.ToSlash(rel)})
			}
			pw.Examples = append(pw.Examples, pe)
		}
		idx.Workflows = append(idx.Workflows, pw)
	}
	var b bytes.Buffer
	if err := indexTmpl.Execute(&b, idx); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), b.Bytes(), 0o644)
}

// previewMark is in every index.html WritePreview writes: what tells an
// earlier preview, which may be replaced, from someone's directory.
const previewMark = "<title>novugen preview</title>"

type previewIndex struct{ Workflows []previewWorkflow }

type previewWorkflow struct {
	ID, Name string
	Examples []previewExample
}

type previewExample struct {
	Name  string
	Steps []previewStep
}

type previewStep struct {
	ID, Type, Link string
	Skipped        bool
}

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>novugen preview</title>
<style>body{font-family:sans-serif;margin:2em}.skipped{color:#999;text-decoration:line-through}</style></head>
<body><h1>Workflow previews</h1>
<p>Each step of each workflow, rendered with each of its example payloads by <code>go generate</code>'s engine. Struck-through steps are skipped for that example.</p>
{{range .Workflows}}<h2><code>{{.ID}}</code> {{.Name}}</h2>
{{range .Examples}}<h3>Example “{{.Name}}”</h3>
<ol>{{range .Steps}}<li{{if .Skipped}} class="skipped"{{end}}>{{.Type}}: {{if .Link}}<a href="{{.Link}}">{{.ID}}</a>{{else}}{{.ID}}{{end}}{{if .Skipped}} (skipped){{end}}</li>
{{end}}</ol>
{{end}}{{end}}</body></html>
`))

// htmlPage is body, the email's HTML as Novu sends it (values are not
// escaped there either), as a page titled title: a whole document (a
// layout's) gets the title in its head; anything else gets a document
// around it.
func htmlPage(title, body string) string {
	t := "<title>" + template.HTMLEscapeString(title) + "</title>"
	lower := strings.ToLower(body)
	if h := strings.Index(lower, "<head>"); h >= 0 {
		return body[:h+len("<head>")] + t + body[h+len("<head>"):]
	}
	if h := strings.Index(lower, "<html"); h >= 0 {
		if end := strings.Index(lower[h:], ">"); end >= 0 {
			at := h + end + 1
			return body[:at] + `<head><meta charset="utf-8">` + t + "</head>" + body[at:]
		}
	}
	return "<!doctype html>\n<html><head><meta charset=\"utf-8\">" + t + "</head>\n<body>\n" + body + "\n</body></html>\n"
}

// stepPage renders one step's preview file and its extension; nil for a
// step with nothing to show (a delay, a digest, a throttle).
func stepPage(s dsl.StepDef, rs renderedStep, data map[string]any, layouts []dsl.LayoutDef) ([]byte, string) {
	get := func(path string) string {
		for _, c := range rs.controls {
			if c.path == path {
				return c.value
			}
		}
		return ""
	}
	switch s.Type {
	case dsl.TypeEmail:
		body := get("body")
		if id := get("layoutId"); id != "" {
			body = inLayout(id, body, data, layouts)
		}
		title := get("subject")
		if rs.skipped {
			title = "(skipped for this example) " + title
		}
		return []byte(htmlPage(title, body)), "html"
	case dsl.TypeDelay, dsl.TypeDigest, dsl.TypeThrottle:
		return nil, ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s step %q (%s)\n", s.Type, s.StepID, s.Name)
	if rs.skipped {
		b.WriteString("skipped for this example\n")
	}
	for _, c := range rs.controls {
		fmt.Fprintf(&b, "\n%s:\n%s\n", c.path, c.value)
	}
	return []byte(b.String()), "txt"
}

// inLayout puts body where the declared layout id has {{ content }},
// rendering the layout's own subscriber references; a layout declared
// elsewhere is shown as a note around the body.
func inLayout(id, body string, data map[string]any, layouts []dsl.LayoutDef) string {
	for _, l := range layouts {
		if l.LayoutID != id {
			continue
		}
		ld := map[string]any{"subscriber": data["subscriber"], "content": body}
		if out, err := liquidrender.Template(l.Body, ld); err == nil {
			return out
		}
	}
	note := template.HTMLEscapeString(id)
	return `<div style="border:2px dashed #999;padding:1em"><p style="color:#999">layout “` + note + `” (not declared in Go) goes around this</p>` + body + `</div>`
}

// fileSlug makes a name safe as a file name: letters, digits, - and _
// kept, everything else -.
func fileSlug(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}
