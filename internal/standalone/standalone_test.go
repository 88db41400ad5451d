package standalone

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/conformance"
)

// The names are assembled so that this file does not mention them itself.
var (
	sharedDir = ".." + "/shared"
	noteNames = []string{"API" + ".md", "DESIGN" + ".md", "STYLE" + ".md"}
)

// outsideNames returns the outside paths and note names line mentions, in
// order. A note name counts only as a whole file name: the character before it
// must not be a letter, "_" or "-" (so "novu-api.md" is another file), and the
// one after it not a letter, digit or "_".
func outsideNames(line string) []string {
	var found []string
	if strings.Contains(line, sharedDir) {
		found = append(found, sharedDir)
	}
	for _, name := range noteNames {
		for i := 0; ; {
			j := strings.Index(line[i:], name)
			if j < 0 {
				break
			}
			at := i + j
			end := at + len(name)
			if (at == 0 || !nameByte(line[at-1], false)) && (end == len(line) || !nameByte(line[end], true)) {
				found = append(found, name)
				break
			}
			i = at + 1
		}
	}
	return found
}

// nameByte reports whether c would continue a file name: before a name, a
// letter, "_" or "-"; after it, a letter, digit or "_".
func nameByte(c byte, after bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		return true
	case c == '-':
		return !after
	case '0' <= c && c <= '9':
		return after
	}
	return false
}

var (
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]+)`)
	refLink    = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)`)
	codeSpan   = regexp.MustCompile("`+[^`]*`+")
	scheme     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// link is a relative link target found in a Markdown file.
type link struct {
	line   int
	target string
}

// relativeLinks returns the relative link targets of a Markdown document,
// leaving out fenced code blocks and code spans (Go code such as
// dsl.Define[P]("id", ...) looks like a link), absolute URLs and in-page
// anchors.
func relativeLinks(doc []byte) []link {
	var links []link
	fence := ""
	sc := bufio.NewScanner(bytes.NewReader(doc))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		trimmed := strings.TrimLeft(text, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		if len(text)-len(trimmed) <= 3 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			fence = trimmed[:3]
			continue
		}
		text = codeSpan.ReplaceAllString(text, "")
		var targets []string
		for _, m := range inlineLink.FindAllStringSubmatch(text, -1) {
			targets = append(targets, m[1])
		}
		if m := refLink.FindStringSubmatch(text); m != nil {
			targets = append(targets, m[1])
		}
		for _, t := range targets {
			t = strings.TrimSuffix(strings.TrimPrefix(t, "<"), ">")
			if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || scheme.MatchString(t) {
				continue
			}
			links = append(links, link{line: n, target: t})
		}
	}
	return links
}

// resolve turns a link target in the Markdown file rel (slash-separated,
// relative to the module root) into a module-relative path; ok is false when
// the target leaves the module.
func resolve(rel, target string) (p string, ok bool) {
	if i := strings.IndexAny(target, "#?"); i >= 0 {
		target = target[:i]
	}
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	if target == "" {
		return rel, true
	}
	if abs, ok := strings.CutPrefix(target, "/"); ok {
		p = path.Clean(abs)
	} else {
		p = path.Join(path.Dir(rel), target)
	}
	if p == ".." || strings.HasPrefix(p, "../") {
		return p, false
	}
	return p, true
}

// moduleRoot is the nearest directory above the working directory with a go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, ok := conformance.ModuleRoot(dir)
	if !ok {
		t.Fatal("no go.mod above the working directory")
	}
	return root
}

// repoFiles lists the module's files, slash-separated and relative to root:
// what git tracks or would track (not ignored) when git and a work tree are
// there, else every file under root outside .git and node_modules directories.
func repoFiles(t *testing.T, root string) []string {
	t.Helper()
	if _, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
		cmd.Dir = root
		if out, err := cmd.Output(); err == nil {
			var files []string
			for f := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
				if f != "" {
					files = append(files, f)
				}
			}
			slices.Sort(files)
			return slices.Compact(files)
		}
		t.Log("git ls-files failed here (not a work tree?); walking the directory instead")
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// .git is git's own; node_modules is what npm leaves in interop/,
		// which git ignores and which holds other projects' Markdown.
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// readText reads a listed file; ok is false for a file deleted from the work
// tree but still tracked, and for binary content (a NUL in the first 8000 bytes).
func readText(t *testing.T, root, rel string) (data []byte, ok bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return nil, false
	}
	return data, true
}

func listed(t *testing.T) (root string, files []string) {
	t.Helper()
	root = moduleRoot(t)
	files = repoFiles(t, root)
	// A listing that lost the repository would pass everything below.
	for _, must := range []string{"go.mod", "README.md", "docs/novu-api.md", "third_party/novu/openapi.json"} {
		if !slices.Contains(files, must) {
			t.Fatalf("%s is not among the %d files listed under %s", must, len(files), root)
		}
	}
	return root, files
}

// TestNoPathOutsideTheRepository fails on any file that names the directory
// beside the checkout or one of the reference notes once kept there.
func TestNoPathOutsideTheRepository(t *testing.T) {
	root, files := listed(t)
	for _, rel := range files {
		data, ok := readText(t, root, rel)
		if !ok {
			continue
		}
		for n, line := range strings.Split(string(data), "\n") {
			for _, name := range outsideNames(line) {
				t.Errorf("%s:%d: names %s, which is not in the repository; cite docs/novu-api.md §N, README.md or docs/ARCHITECTURE.md instead",
					rel, n+1, name)
			}
		}
	}
}

// TestMarkdownLinksResolve fails on a relative link in a Markdown file whose
// target is not a file or directory of the repository.
func TestMarkdownLinksResolve(t *testing.T) {
	root, files := listed(t)
	exists := map[string]bool{".": true}
	for _, f := range files {
		exists[f] = true
		for d := path.Dir(f); d != "." && !exists[d]; d = path.Dir(d) {
			exists[d] = true
		}
	}
	checked := 0
	for _, rel := range files {
		if !strings.HasSuffix(rel, ".md") {
			continue
		}
		data, ok := readText(t, root, rel)
		if !ok {
			continue
		}
		for _, l := range relativeLinks(data) {
			checked++
			p, inside := resolve(rel, l.target)
			switch {
			case !inside:
				t.Errorf("%s:%d: link %q leaves the repository", rel, l.line, l.target)
			case !exists[p]:
				t.Errorf("%s:%d: link %q: %s is not in the repository", rel, l.line, l.target, p)
			}
		}
	}
	t.Logf("%d relative links checked", checked)
}

func TestOutsideNames(t *testing.T) {
	api, design, style := noteNames[0], noteNames[1], noteNames[2]
	tests := []struct {
		line string
		want []string
	}{
		{"// defaults differ (" + api + " §0 trap 5)", []string{api}},
		{"read from " + sharedDir + "/novu/openapi.json", []string{sharedDir}},
		{"`" + sharedDir + "/" + design + "` says what must hold", []string{sharedDir, design}},
		{style + " §6 lists its pitfalls", []string{style}},
		{"see docs/" + api, []string{api}},
		{"see docs/novu-api.md §5", nil},
		{"MY" + api + " and my_" + api + " and x-" + api, nil},
		{"the " + api + "x file", nil},
		{"an " + api + "2 file", nil},
		{"openapi.json, README.md, CHANGELOG.md", nil},
		{"nothing here", nil},
	}
	for _, tt := range tests {
		if got := outsideNames(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("outsideNames(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestRelativeLinks(t *testing.T) {
	doc := strings.Join([]string{
		"See [the notes](docs/novu-api.md#5-the-create-trap) and ![logo](img/logo.png \"Logo\").", // 1
		"Absolute: [site](https://docs.novu.co/x), [mail](mailto:a@b.c), [top](#install).",        // 2
		"In a span: `dsl.Define[P](\"id\", s)` is code, not a link.",                              // 3
		"```go",                            // 4
		"var W = dsl.Define[P](\"id\", s)", // 5
		"```",                              // 6
		"[ref]: ../LICENSE",                // 7
		"Spaces: [x](<a b.md>).",           // 8
	}, "\n")
	want := []link{{1, "docs/novu-api.md#5-the-create-trap"}, {1, "img/logo.png"}, {7, "../LICENSE"}, {8, "a b.md"}}
	if got := relativeLinks([]byte(doc)); !slices.Equal(got, want) {
		t.Errorf("relativeLinks = %v, want %v", got, want)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		rel, target, want string
		inside            bool
	}{
		{"README.md", "docs/novu-api.md#3-identifiers", "docs/novu-api.md", true},
		{"docs/ARCHITECTURE.md", "../README.md", "README.md", true},
		{"third_party/novu/README.md", "LICENSE", "third_party/novu/LICENSE", true},
		{"docs/x.md", "/go.mod", "go.mod", true},
		{"docs/x.md", "a%20b.md", "docs/a b.md", true},
		{"docs/x.md", "#top", "docs/x.md", true},
		{"README.md", sharedDir + "/notes.md", sharedDir + "/notes.md", false},
		{"docs/x.md", "../../elsewhere", "../elsewhere", false},
	}
	for _, tt := range tests {
		got, inside := resolve(tt.rel, tt.target)
		if got != tt.want || inside != tt.inside {
			t.Errorf("resolve(%q, %q) = %q, %v; want %q, %v", tt.rel, tt.target, got, inside, tt.want, tt.inside)
		}
	}
}
