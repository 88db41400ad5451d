package diagram

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/registry"
)

func step(id string, typ registry.StepType, cv map[string]any) registry.Step {
	return registry.Step{StepID: id, Name: strings.ToUpper(id[:1]) + id[1:], Type: typ, ControlValues: cv}
}

var orderShipped = registry.Workflow{WorkflowID: "order-shipped", Steps: []registry.Step{
	step("shipped", registry.TypeInApp, map[string]any{"body": "x"}),
	step("wait", registry.TypeDelay, map[string]any{"type": "regular", "amount": 2.0, "unit": "hours"}),
	step("details", registry.TypeEmail, map[string]any{"subject": "s", "skip": map[string]any{"or": []any{
		map[string]any{"==": []any{map[string]any{"var": "payload.deliveryMethod"}, "pickup"}},
		map[string]any{"!": []any{map[string]any{"var": "subscriber.email"}}},
	}}}),
}}

// TestFlowchartOfOrderShipped pins the whole picture of one workflow: the
// delay and the skip condition on the edge into the email, which is
// dashed because it may not run, and a changed step and edge marked.
func TestFlowchartOfOrderShipped(t *testing.T) {
	got := Flowchart(orderShipped, map[string]bool{"details": true, "wait": true})
	want := `flowchart TD
  trigger(["trigger: order-shipped"])
  s0["in_app: shipped<br/>Shipped"]
  trigger --> s0
  s2["email: details<br/>Details"]
  s0 -.->|"delay 2 hours (wait), then skipped if payload.deliveryMethod == #quot;pickup#quot; or not subscriber.email"| s2
  classDef changed stroke:#f66,stroke-width:3px
  class s2 changed
  linkStyle 1 stroke:#f66,stroke-width:3px
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flowchart (-want +got):\n%s", diff)
	}
	if err := validMermaid(got); err != nil {
		t.Error(err)
	}
}

// TestFlowchartsAreValidMermaid draws workflows with every kind of step
// and with names that would break a label unescaped, and checks each
// result's structure without a Mermaid parser: known statements only,
// node ids declared once before use, labels quoted with nothing inside
// that ends them, edges and marks that refer to what exists.
func TestFlowchartsAreValidMermaid(t *testing.T) {
	nasty := `say "hi" <script>alert(1)</script> | a;b # c & d ` + "`e`\nline two"
	for _, tc := range []struct {
		name   string
		w      registry.Workflow
		marked map[string]bool
		want   []string // substrings of the output
	}{
		{"order shipped", orderShipped, nil, []string{"-.->"}},
		{"no steps", registry.Workflow{WorkflowID: "empty"}, nil, []string{`trigger(["trigger: empty"])`}},
		{"nasty names", registry.Workflow{WorkflowID: "w", Steps: []registry.Step{
			{StepID: "end", Name: nasty, Type: registry.TypeSMS, ControlValues: map[string]any{"skip": map[string]any{"==": []any{map[string]any{"var": "payload.note"}, nasty}}}},
		}}, map[string]bool{"end": true}, []string{"#quot;hi#quot; #lt;script#gt;", "#124; a#59;b #35; c #amp; d #96;e#96;<br/>line two"}},
		{"actions at the end", registry.Workflow{WorkflowID: "w", Steps: []registry.Step{
			step("push", registry.TypePush, nil),
			step("digest", registry.TypeDigest, map[string]any{"type": "regular", "amount": 1.0, "unit": "days", "lookBackWindow": map[string]any{"amount": 5.0, "unit": "minutes"}, "digestKey": "payload.projectId"}),
			step("throttle", registry.TypeThrottle, map[string]any{"type": "fixed", "amount": 1.0, "unit": "hours", "threshold": 3.0, "throttleKey": "payload.k"}),
		}}, map[string]bool{"throttle": true}, []string{
			`|"digest 1 days look back 5 minutes by payload.projectId (digest), then throttle 3 per 1 hours by payload.k (throttle)"| done`,
			`done(("End"))`, "linkStyle 1 ",
		}},
		{"cron, dynamic window, http and custom", registry.Workflow{WorkflowID: "w", Steps: []registry.Step{
			step("at", registry.TypeDelay, map[string]any{"type": "timed", "cron": "0 9 * * 1"}),
			step("hook", registry.TypeHTTPRequest, map[string]any{"method": "POST", "url": "https://x"}),
			step("slow", registry.TypeThrottle, map[string]any{"type": "dynamic", "dynamicKey": "payload.until", "skip": map[string]any{">": []any{map[string]any{"var": "payload.n"}, 3.0}}}),
			step("mine", registry.TypeCustom, map[string]any{"custom": map[string]any{}}),
			step("chat", registry.TypeChat, map[string]any{"skip": map[string]any{"in": []any{map[string]any{"var": "payload.tier"}, []any{"free", "trial"}}}}),
			step("daily", registry.TypeDigest, map[string]any{"type": "timed", "cron": "0 8 * * *", "digestKey": "payload.teamId"}),
		}}, nil, []string{
			`trigger -->|"delay until cron 0 9 * * 1 (at)"| s1`,
			`s1[["http_request: hook<br/>Hook"]]`,
			`s1 -.->|"throttle window until payload.until (slow) (skipped if payload.n #gt; 3)"| s3`,
			`s3 -.->|"skipped if payload.tier in [#quot;free#quot;,#quot;trial#quot;]"| s4`,
			`s4 -->|"digest until cron 0 8 * * * by payload.teamId (daily)"| done`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Flowchart(tc.w, tc.marked)
			if err := validMermaid(got); err != nil {
				t.Errorf("%v in:\n%s", err, got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestValidMermaidRefuses: the check itself fails what Mermaid would.
func TestValidMermaidRefuses(t *testing.T) {
	for _, src := range []string{
		"graph\n",
		"flowchart TD\n  a[\"x\"]\n  a --> b\n",
		"flowchart TD\n  a[\"x \"y\" z\"]\n",
		"flowchart TD\n  a[\"x <b> z\"]\n",
		"flowchart TD\n  a[\"x\"]\n  a[\"again\"]\n",
		"flowchart TD\n  a[\"x\"]\n  b[\"y\"]\n  a -->|\"p | q\"| b\n",
		"flowchart TD\n  a[\"x\"]\n  b[\"y\"]\n  a --> b\n  linkStyle 1 stroke:#f66\n",
		"flowchart TD\n  a[\"x\"]\n  class b changed\n",
		"flowchart TD\n  a[\"x\"\n",
	} {
		if err := validMermaid(src); err == nil {
			t.Errorf("validMermaid accepted:\n%s", src)
		}
	}
}

var (
	idRE    = `[A-Za-z][A-Za-z0-9_]*`
	labelRE = `"(?:[^"<>|;&#` + "`" + `\n]|<br/>|#[a-z]+;|#[0-9]+;)*"`
	nodeRE  = regexp.MustCompile(`^  (` + idRE + `)(\(\[|\[\[|\(\(|\[)(` + labelRE + `)(\]\)|\]\]|\)\)|\])$`)
	edgeRE  = regexp.MustCompile(`^  (` + idRE + `) (-->|-\.->)(?:\|(` + labelRE + `)\|)? (` + idRE + `)$`)
	classRE = regexp.MustCompile(`^  class (` + idRE + `(?:,` + idRE + `)*) (` + idRE + `)$`)
	defRE   = regexp.MustCompile(`^  classDef (` + idRE + `) [a-z-]+:[#a-z0-9]+(?:,[a-z-]+:[#a-z0-9]+)*$`)
	linkRE  = regexp.MustCompile(`^  linkStyle ([0-9]+) [a-z-]+:[#a-z0-9]+(?:,[a-z-]+:[#a-z0-9]+)*$`)
	shapes  = map[string]string{"([": "])", "[[": "]]", "((": "))", "[": "]"}
)

// validMermaid is the structural check of a flowchart that Flowchart
// writes.
func validMermaid(src string) error {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if lines[0] != "flowchart TD" {
		return fmt.Errorf("first line %q, want flowchart TD", lines[0])
	}
	nodes := map[string]bool{}
	classes := map[string]bool{}
	edges := 0
	for n, line := range lines[1:] {
		at := fmt.Sprintf("line %d %q", n+2, line)
		switch {
		case nodeRE.MatchString(line):
			m := nodeRE.FindStringSubmatch(line)
			if shapes[m[2]] != m[4] {
				return fmt.Errorf("%s: shape %s closed by %s", at, m[2], m[4])
			}
			if nodes[m[1]] {
				return fmt.Errorf("%s: node %s declared twice", at, m[1])
			}
			if strings.EqualFold(m[1], "end") {
				return fmt.Errorf("%s: end is a keyword", at)
			}
			nodes[m[1]] = true
		case edgeRE.MatchString(line):
			m := edgeRE.FindStringSubmatch(line)
			for _, id := range []string{m[1], m[4]} {
				if !nodes[id] {
					return fmt.Errorf("%s: node %s used before it is declared", at, id)
				}
			}
			edges++
		case defRE.MatchString(line):
			classes[defRE.FindStringSubmatch(line)[1]] = true
		case classRE.MatchString(line):
			m := classRE.FindStringSubmatch(line)
			if !classes[m[2]] {
				return fmt.Errorf("%s: class %s not defined", at, m[2])
			}
			for id := range strings.SplitSeq(m[1], ",") {
				if !nodes[id] {
					return fmt.Errorf("%s: no node %s", at, id)
				}
			}
		case linkRE.MatchString(line):
			i, _ := strconv.Atoi(linkRE.FindStringSubmatch(line)[1])
			if i >= edges {
				return fmt.Errorf("%s: there are %d edges so far", at, edges)
			}
		default:
			return fmt.Errorf("%s: not a statement of a flowchart", at)
		}
	}
	return nil
}
