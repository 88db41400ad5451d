// Package liquid finds the variable references in a Liquid template, such as
// the payload.order.id in "{{ payload.order.id | upcase }}" or the
// payload.items in "{% for item in payload.items %}".
//
// It is a scanner, not a template engine: it renders nothing and knows no
// filters. It knows just enough of Liquid (as LiquidJS, which Novu uses,
// parses it) to tell a variable from a filter name, a keyword argument, a
// string literal or a local name, so that a validator can check every
// variable a template reads against what Novu will provide:
//
//   - output {{ … }} and tags {% … %}, with whitespace control ({{- -}}, {%- -%});
//   - filters and their arguments, which may be variables themselves;
//   - for and tablerow loops: the loop variable resolves to the element of the
//     iterated list (Path gets an [Elem] segment), and forloop/tablerowloop are
//     built in;
//   - assign, capture, increment and decrement make local names; an assign of
//     a plain variable (no filter) is an alias and resolves like it, and an
//     assign of a variable through one first or last filter resolves to the
//     list's element ([Elem]); any other filtered assign is local, so what it
//     reads is not followed;
//   - bracket access (payload["x"], payload.items[0], payload.map[key]);
//   - raw and comment blocks, inline comments ({% # … %}) and the liquid tag.
//
// Refs reports unterminated output and tags, unclosed blocks and stray end
// tags as a *SyntaxError, because LiquidJS refuses such templates.
package liquid

import (
	"fmt"
	"slices"
	"strings"
)

// Path segments with a special meaning.
const (
	// Elem stands for "an element of this list": the variable of a for loop
	// over the list, or a literal index such as [0] or .0.
	Elem = "[]"
	// AnyKey stands for a key or index computed when the template renders,
	// as in payload.prices[currency]; nothing can be said about which.
	AnyKey = "[*]"
)

// Ref is one variable reference in a template.
type Ref struct {
	// Path is the variable's path with local names resolved: for item.sku
	// inside {% for item in payload.items %} it is payload, items, Elem, sku.
	// Bracket keys are unquoted (payload["a b"] gives payload, "a b").
	Path []string
	// Raw is the reference exactly as written: "item.sku".
	Raw string
	// Offset is the byte offset of Raw in the template.
	Offset int
}

// SyntaxError is a template LiquidJS would refuse to parse.
type SyntaxError struct {
	Offset int    // byte offset of the offending delimiter or tag
	Msg    string // what is wrong, naming the tag
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset)
}

// Refs returns the variable references of tmpl in the order they occur.
// References local to the template (loop helpers, assigned or captured names
// that alias nothing) are left out.
//
// On a syntax error Refs returns the references found before it together with
// a *SyntaxError; each of them is still valid.
func Refs(tmpl string) ([]Ref, error) {
	s := &scanner{src: tmpl, globals: map[string][]string{}}
	s.run()
	if s.err != nil {
		return s.refs, s.err
	}
	return s.refs, nil
}

// local marks a name that is defined by the template but aliases no variable
// (a captured string, a range loop variable, forloop): it is never reported.
var local = []string{}

type scanner struct {
	src     string
	refs    []Ref
	err     *SyntaxError
	stop    bool                // the rest of the template cannot be scanned
	blocks  []block             // open block tags, innermost last
	globals map[string][]string // assigned names: alias path, or local
}

type block struct {
	name  string
	off   int
	scope map[string][]string // loop variables of a for or tablerow block
}

// fail records the first syntax error; later ones are usually its echoes.
func (s *scanner) fail(off int, format string, args ...any) {
	if s.err == nil {
		s.err = &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
}

func (s *scanner) run() {
	pos := 0
	for !s.stop {
		i := strings.Index(s.src[pos:], "{")
		if i < 0 {
			break
		}
		i += pos
		if i+1 >= len(s.src) {
			break
		}
		switch s.src[i+1] {
		case '{':
			end := closeDelim(s.src, i+2, "}}")
			if end < 0 {
				s.fail(i, "%s is not closed by \"}}\"", snippet(s.src[i:]))
				return
			}
			ms, me := trimMarkup(s.src, i+2, end)
			s.emitAll(lex(s.src, ms, me), nil)
			pos = end + 2
		case '%':
			end := closeDelim(s.src, i+2, "%}")
			if end < 0 {
				s.fail(i, "%s is not closed by \"%%}\"", snippet(s.src[i:]))
				return
			}
			ms, me := trimMarkup(s.src, i+2, end)
			pos = s.tag(i, ms, me, end+2)
		default:
			pos = i + 1
		}
	}
	if s.stop {
		return
	}
	if n := len(s.blocks); n > 0 {
		b := s.blocks[n-1]
		s.fail(b.off, "{%% %s %%} is not closed by {%% end%s %%}", b.name, b.name)
	}
}

// tag handles the tag whose markup is src[ms:me] and returns where scanning
// resumes: after the tag, or after the end of a raw or comment block.
func (s *scanner) tag(off, ms, me, after int) int {
	name, rest := tagName(s.src, ms, me)
	switch name {
	case "raw", "comment":
		start, end := findEndTag(s.src, after, "end"+name)
		if start < 0 {
			s.fail(off, "{%% %s %%} is not closed by {%% end%s %%}", name, name)
			s.stop = true
			return len(s.src)
		}
		return end
	case "liquid":
		s.liquid(rest, me)
		return after
	}
	s.tagBody(name, off, rest, me)
	return after
}

// tagBody interprets one tag given its name and the markup after the name.
// The liquid tag calls it once per line.
func (s *scanner) tagBody(name string, off, ms, me int) {
	switch name {
	case "", "#", "else", "break", "continue", "layout", "block", "endblock":
		// No variables: an inline comment, a bare keyword, or a layout
		// name that is not a variable.
	case "if", "unless", "case":
		s.emitAll(lex(s.src, ms, me), nil)
		s.blocks = append(s.blocks, block{name: name, off: off})
	case "elsif", "when", "echo", "cycle":
		s.emitAll(lex(s.src, ms, me), nil)
	case "render", "include":
		s.emitAll(lex(s.src, ms, me), []string{"with", "as", "for"})
	case "for", "tablerow":
		s.loop(name, off, lex(s.src, ms, me))
	case "assign":
		s.assign(off, lex(s.src, ms, me))
	case "capture", "increment", "decrement":
		toks := lex(s.src, ms, me)
		if len(toks) == 0 || (toks[0].kind != tokPath && toks[0].kind != tokString) {
			s.fail(off, "{%% %s %%} needs a variable name", name)
		} else {
			s.globals[unquote(s.src[toks[0].start:toks[0].end])] = local
		}
		if name == "capture" {
			s.blocks = append(s.blocks, block{name: name, off: off})
		}
	case "endif", "endunless", "endcase", "endcapture", "endfor", "endtablerow":
		s.end(off, name[len("end"):])
	case "endraw", "endcomment":
		s.fail(off, "{%% %s %%} has no opening {%% %s %%}", name, name[len("end"):])
	default:
		// A tag this scanner does not know: whatever it reads is a
		// variable as far as anyone can tell.
		s.emitAll(lex(s.src, ms, me), nil)
	}
}

// liquid handles {% liquid %}: one tag per line, without delimiters.
func (s *scanner) liquid(ms, me int) {
	inComment := false
	for ls := ms; ls < me; {
		le := strings.IndexByte(s.src[ls:me], '\n')
		if le < 0 {
			le = me
		} else {
			le += ls
		}
		ts, te := trimSpace(s.src, ls, le)
		name, rest := tagName(s.src, ts, te)
		switch {
		case inComment:
			inComment = name != "endcomment"
		case name == "comment":
			inComment = true
		default:
			s.tagBody(name, ts, rest, te)
		}
		ls = le + 1
	}
	if inComment {
		s.fail(ms, "comment in {%% liquid %%} is not closed by endcomment")
	}
}

func (s *scanner) end(off int, name string) {
	for i, b := range slices.Backward(s.blocks) {
		if b.name == name {
			if i != len(s.blocks)-1 {
				top := s.blocks[len(s.blocks)-1]
				s.fail(off, "{%% end%s %%} closes {%% %s %%} but {%% %s %%} at byte %d is still open",
					name, name, top.name, top.off)
			}
			s.blocks = s.blocks[:i]
			return
		}
	}
	s.fail(off, "{%% end%s %%} has no opening {%% %s %%}", name, name)
}

// loop handles for and tablerow: "<var> in <collection> [options]".
func (s *scanner) loop(name string, off int, toks []token) {
	if len(toks) < 3 || !toks[0].word() || !toks[1].is(s.src, "in") {
		s.fail(off, "{%% %s %%} needs \"<name> in <list>\"", name)
		s.emitAll(toks, nil)
		return
	}
	elem := local
	coll := toks[2]
	switch coll.kind {
	case tokPath:
		if p := s.emitRef(coll); p != nil {
			elem = append(p, Elem)
		}
		s.emitAll(toks[3:], loopWords)
	default:
		// A range such as (1..payload.count) or a literal: its variables
		// are read, and the loop variable is a number.
		s.emitAll(toks[2:], loopWords)
	}
	helper := "forloop"
	if name == "tablerow" {
		helper = "tablerowloop"
	}
	varName := s.src[toks[0].start:toks[0].end]
	s.blocks = append(s.blocks, block{name: name, off: off, scope: map[string][]string{
		varName: elem,
		helper:  local,
	}})
}

// loopWords are the options of for and tablerow that are not variables:
// "reversed" and the "continue" of offset:continue.
var loopWords = []string{"reversed", "continue"}

// assign handles "<name> = <value> [| filters]".
func (s *scanner) assign(off int, toks []token) {
	if len(toks) < 3 || !toks[0].word() || !toks[1].punct(s.src, "=") {
		s.fail(off, "{%% assign %%} needs \"<name> = <value>\"")
		return
	}
	alias := local
	switch {
	case len(toks) == 3 && toks[2].kind == tokPath:
		// A plain alias: the name reads the same variable.
		if p := s.emitRef(toks[2]); p != nil {
			alias = p
		}
	case len(toks) == 5 && toks[2].kind == tokPath && toks[3].punct(s.src, "|") &&
		(toks[4].is(s.src, "first") || toks[4].is(s.src, "last")):
		// One element of a list: the name reads like a loop variable.
		if p := s.emitRef(toks[2]); p != nil {
			alias = append(p, Elem)
		}
	default:
		s.emitAll(toks[2:], nil)
	}
	s.globals[s.src[toks[0].start:toks[0].end]] = alias
}

// keywords are literals and operators that lex like a variable name.
var keywords = []string{"true", "false", "nil", "null", "empty", "blank", "and", "or", "contains"}

// emitAll reports the variables among toks: every path token that is not a
// filter name (after "|"), a keyword argument name (before ":"), a keyword,
// or one of the tag's own words.
func (s *scanner) emitAll(toks []token, tagWords []string) {
	for i, t := range toks {
		if t.kind != tokPath {
			continue
		}
		name := s.src[t.start:t.end]
		switch {
		case i > 0 && toks[i-1].punct(s.src, "|"),
			i+1 < len(toks) && toks[i+1].punct(s.src, ":"),
			i > 0 && toks[i-1].is(s.src, "as") && slices.Contains(tagWords, "as"),
			t.word() && (slices.Contains(keywords, name) || slices.Contains(tagWords, name)):
			for _, in := range t.inner {
				s.emitRef(in)
			}
		default:
			s.emitRef(t)
		}
	}
}

// emitRef reports t (and the variables in its brackets) unless it names a
// local, and returns its resolved path (nil for a local).
func (s *scanner) emitRef(t token) []string {
	for _, in := range t.inner {
		s.emitRef(in)
	}
	base, ok := s.lookup(t.segs[0])
	if ok && len(base) == 0 {
		return nil
	}
	var path []string
	if ok {
		path = append(slices.Clip(base), t.segs[1:]...)
	} else {
		path = slices.Clone(t.segs)
	}
	s.refs = append(s.refs, Ref{Path: path, Raw: s.src[t.start:t.end], Offset: t.start})
	return slices.Clone(path)
}

// lookup finds a name defined by the template: innermost loop first, then
// assigned names (LiquidJS assigns to the outermost scope).
func (s *scanner) lookup(name string) ([]string, bool) {
	for _, b := range slices.Backward(s.blocks) {
		if p, ok := b.scope[name]; ok {
			return p, true
		}
	}
	p, ok := s.globals[name]
	return p, ok
}
