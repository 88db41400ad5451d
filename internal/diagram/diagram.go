// Package diagram draws a workflow's steps as a Mermaid flowchart, the
// picture GitHub renders in the catalog novugen generates and in the step
// summary of cmd/apply -plan. Channel steps, http_request and custom steps
// are nodes; delays, digests and throttles, and skip conditions, are
// written on the edges between them, where they act: they decide when, and
// whether, the next node runs.
package diagram

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/novugen/novugen/registry"
)

// Flowchart returns the Mermaid source (without the ``` fence) of w's
// steps, top to bottom from the trigger. Steps whose stepId is in marked
// are drawn with the class "changed" (a thick orange border); an action
// step that is marked marks the edge it labels the same way.
func Flowchart(w registry.Workflow, marked map[string]bool) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	fmt.Fprintf(&b, "  trigger([%s])\n", quote("trigger: "+w.WorkflowID))
	from := "trigger"
	var pending []string // what the next edge says
	conditional, changedEdge := false, false
	var changed []string
	edges := 0
	var changedEdges []int
	edge := func(to string) {
		arrow := "-->"
		if conditional {
			arrow = "-.->"
		}
		if len(pending) > 0 {
			fmt.Fprintf(&b, "  %s %s|%s| %s\n", from, arrow, quote(strings.Join(pending, ", then ")), to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", from, arrow, to)
		}
		if changedEdge {
			changedEdges = append(changedEdges, edges)
		}
		edges++
		pending, conditional, changedEdge = nil, false, false
	}
	for i, s := range w.Steps {
		cv := s.ControlValues
		skip := ""
		if c, ok := cv["skip"]; ok && c != nil {
			skip = "skipped if " + Condition(c)
		}
		switch s.Type {
		case registry.TypeDelay, registry.TypeDigest, registry.TypeThrottle:
			label := timing(s)
			if skip != "" {
				label += " (" + skip + ")"
				conditional = true
			}
			pending = append(pending, label)
			changedEdge = changedEdge || marked[s.StepID]
			continue
		}
		id := fmt.Sprintf("s%d", i)
		text := string(s.Type) + ": " + s.StepID
		if s.Name != "" && s.Name != s.StepID {
			text += "\n" + s.Name
		}
		open, shut := "[", "]"
		if s.Type == registry.TypeHTTPRequest || s.Type == registry.TypeCustom {
			open, shut = "[[", "]]"
		}
		fmt.Fprintf(&b, "  %s%s%s%s\n", id, open, quote(text), shut)
		if skip != "" {
			pending = append(pending, skip)
			conditional = true
		}
		edge(id)
		from = id
		if marked[s.StepID] {
			changed = append(changed, id)
		}
	}
	if len(pending) > 0 {
		// Action steps at the end wait for nothing that follows.
		b.WriteString("  done((\"End\"))\n")
		edge("done")
	}
	if len(changed) > 0 || len(changedEdges) > 0 {
		b.WriteString("  classDef changed stroke:#f66,stroke-width:3px\n")
	}
	if len(changed) > 0 {
		fmt.Fprintf(&b, "  class %s changed\n", strings.Join(changed, ","))
	}
	for _, e := range changedEdges {
		fmt.Fprintf(&b, "  linkStyle %d stroke:#f66,stroke-width:3px\n", e)
	}
	return b.String()
}

// timing says what an action step does, from its controls.
func timing(s registry.Step) string {
	cv := s.ControlValues
	span := func(amountKey, unitKey string, m map[string]any) string {
		a, u := m[amountKey], m[unitKey]
		if a == nil && u == nil {
			return ""
		}
		return fmt.Sprintf("%v %v", num(a), u)
	}
	// until is how long a delay or a digest holds events: to the next time
	// its cron names, else for its amount of units.
	until := func() string {
		if cron, ok := cv["cron"].(string); ok && cron != "" {
			return "until cron " + cron
		}
		return span("amount", "unit", cv)
	}
	var parts []string
	switch s.Type {
	case registry.TypeDelay:
		parts = append(parts, "delay")
		if w := until(); w != "" {
			parts = append(parts, w)
		}
	case registry.TypeDigest:
		parts = append(parts, "digest")
		if w := until(); w != "" {
			parts = append(parts, w)
		}
		if lb, ok := cv["lookBackWindow"].(map[string]any); ok {
			if sp := span("amount", "unit", lb); sp != "" {
				parts = append(parts, "look back "+sp)
			}
		}
		if k, ok := cv["digestKey"].(string); ok && k != "" {
			parts = append(parts, "by "+k)
		}
	case registry.TypeThrottle:
		parts = append(parts, "throttle")
		if t, ok := cv["threshold"]; ok {
			parts = append(parts, fmt.Sprintf("%v per", num(t)))
		}
		if k, ok := cv["dynamicKey"].(string); ok && k != "" {
			parts = append(parts, "window until "+k)
		} else if sp := span("amount", "unit", cv); sp != "" {
			parts = append(parts, sp)
		}
		if k, ok := cv["throttleKey"].(string); ok && k != "" {
			parts = append(parts, "by "+k)
		}
	}
	return strings.Join(parts, " ") + " (" + s.StepID + ")"
}

// num prints a JSON number without a fraction when it has none.
func num(v any) any {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return int64(f)
	}
	return v
}

// Condition writes a skip condition (JSON Logic, as dsl builds it) as an
// expression a reviewer reads: payload.deliveryMethod == "pickup" or not
// subscriber.email. What it does not know it writes as JSON.
func Condition(c any) string {
	m, ok := c.(map[string]any)
	if !ok || len(m) != 1 {
		return operand(c)
	}
	var op string
	var args []any
	for k, v := range m {
		op = k
		if a, ok := v.([]any); ok {
			args = a
		} else {
			args = []any{v}
		}
	}
	switch op {
	case "var":
		if len(args) >= 1 {
			if s, ok := args[0].(string); ok {
				return s
			}
		}
	case "and", "or":
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = Condition(a)
			if inner, ok := a.(map[string]any); ok && (inner["and"] != nil || inner["or"] != nil) {
				parts[i] = "(" + parts[i] + ")"
			}
		}
		return strings.Join(parts, " "+op+" ")
	case "!":
		if len(args) == 1 {
			return "not " + Condition(args[0])
		}
	case "!!":
		if len(args) == 1 {
			return Condition(args[0])
		}
	case "==", "!=", "<", "<=", ">", ">=", "in", "===", "!==":
		if len(args) == 2 {
			return Condition(args[0]) + " " + op + " " + Condition(args[1])
		}
	}
	return operand(c)
}

func operand(v any) string {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		if _, isVar := m["var"]; isVar {
			return Condition(v)
		}
	}
	data, err := json.Marshal(v) // map keys sorted: the output is deterministic
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// quote makes text a Mermaid string: in double quotes, with the characters
// that end or change a label written as Mermaid entity codes, and line
// breaks as <br/>.
func quote(text string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range text {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '|':
			b.WriteString("#124;")
		case ';':
			b.WriteString("#59;")
		case '`':
			b.WriteString("#96;")
		case '\n':
			b.WriteString("<br/>")
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
