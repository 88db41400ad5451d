// Package validate checks workflow definitions before anything reaches Novu:
// ids, steps, control values and every template variable they use.
//
// Novu accepts most content mistakes without complaint and records them as
// issues on the stored workflow (docs/novu-api.md §0 trap 13), so a typo in
// {{payload.ordrId}} would only show as an empty string in a sent email.
// The generator runs Registry at go generate time and maps each Finding to
// the declaration's position; cmd/apply runs it again before sending, because
// gen/registry.json can be edited by hand.
//
// The checks follow docs/novu-api.md: ids (§3), step limits (§3), control values per
// step type (§7.2), skip (§7.3), preferences (§7.4) and template variables
// (§8.1) against the workflow's payload schema.
package validate

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novugen/novugen/registry"
)

// maxSteps is Novu's default step limit per workflow (docs/novu-api.md §3).
const maxSteps = 20

// Finding is one problem in a definition.
type Finding struct {
	WorkflowID string
	StepID     string // empty for a workflow-level finding
	Control    string // dotted wire path: "subject", "primaryAction.redirect.url", "headers[0].value"; empty when not about a control
	Message    string
}

// Error formats f as `workflow "w", step "s", control "c": message`, leaving
// out the parts that are empty.
func (f Finding) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "workflow %q", f.WorkflowID)
	if f.StepID != "" {
		fmt.Fprintf(&b, ", step %q", f.StepID)
	}
	if f.Control != "" {
		fmt.Fprintf(&b, ", control %q", f.Control)
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	return b.String()
}

// Registry runs every check on defs, including those across workflows
// (duplicate workflowIds). Findings come in the order of defs, then of steps
// (workflow-level findings first), then by control and message; identical
// findings are reported once. A nil result means defs can be applied.
//
// env names the environment variables the registry declares
// (registry.File.EnvironmentVariables): the only ones {{env.NAME}} may read.
func Registry(defs []registry.Workflow, env ...string) []Finding {
	if f := envNames(env); f != nil {
		return []Finding{*f}
	}
	var all []keyed
	first := map[string]int{}
	for i, d := range defs {
		if j, ok := first[d.WorkflowID]; ok {
			all = append(all, keyed{wf: i, step: -1, f: Finding{
				WorkflowID: d.WorkflowID,
				Message: fmt.Sprintf("workflowId %q is used by workflows[%d] (%q) and workflows[%d] (%q); workflowIds must be unique",
					d.WorkflowID, j, defs[j].Name, i, d.Name),
			}})
		} else {
			first[d.WorkflowID] = i
		}
		for _, k := range check(d, env) {
			k.wf = i
			all = append(all, k)
		}
	}
	return sorted(all)
}

// Definition runs the checks that concern one workflow alone; env is as
// for Registry.
func Definition(d registry.Workflow, env ...string) []Finding {
	if f := envNames(env); f != nil {
		return []Finding{*f}
	}
	return sorted(check(d, env))
}

// envNames checks the declared environment variable names against Novu's
// key rule (docs/novu-api.md §8.3), so that a reference is only accepted
// to a name Novu can hold. The generator reports each declaration at its
// position before this; this is the check on a registry file.
func envNames(env []string) *Finding {
	for _, n := range env {
		if err := CheckEnvVar(n); err != nil {
			return &Finding{Message: fmt.Sprintf("environmentVariables: %v", err)}
		}
	}
	return nil
}

// CheckEnvVar reports a name Novu refuses as an environment variable key:
// a letter, then letters, digits and underscores, at most 256 bytes
// (CreateEnvironmentVariableRequestDto; docs/novu-api.md §8.3).
func CheckEnvVar(name string) error {
	const max = 256
	switch {
	case name == "":
		return fmt.Errorf("an environment variable name is empty")
	case len(name) > max:
		return fmt.Errorf("environment variable name %.20q… is %d bytes; Novu allows at most %d", name, len(name), max)
	}
	for i, r := range name {
		letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if i == 0 && !letter || !letter && r != '_' && !('0' <= r && r <= '9') {
			return fmt.Errorf("environment variable name %q: Novu's keys start with a letter and hold only letters, digits and underscores", name)
		}
	}
	return nil
}

// keyed is a finding with the indexes that order it.
type keyed struct {
	wf, step int // step is -1 for workflow-level findings
	f        Finding
}

func sorted(ks []keyed) []Finding {
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(
			cmp.Compare(a.wf, b.wf),
			cmp.Compare(a.step, b.step),
			cmp.Compare(a.f.Control, b.f.Control),
			cmp.Compare(a.f.Message, b.f.Message),
		)
	})
	var out []Finding
	for i, k := range ks {
		if i > 0 && k.wf == ks[i-1].wf && k.step == ks[i-1].step && k.f == ks[i-1].f {
			continue
		}
		out = append(out, k.f)
	}
	return out
}

// checker collects the findings of one workflow.
type checker struct {
	def    registry.Workflow
	env    []string // declared environment variables
	out    []keyed
	schema any // parsed PayloadSchema; nil when absent or unusable
	steps  []registry.Step
	index  map[string]int // stepId → index of its first occurrence
	step   int            // index of the step being checked
	inStep bool
}

func (c *checker) add(control, format string, args ...any) {
	f := Finding{WorkflowID: c.def.WorkflowID, Control: control, Message: fmt.Sprintf(format, args...)}
	step := -1
	if c.inStep {
		step = c.step
		f.StepID = c.def.Steps[c.step].StepID
	}
	c.out = append(c.out, keyed{step: step, f: f})
}

func check(d registry.Workflow, env []string) []keyed {
	c := &checker{def: d, env: env, steps: d.Steps, index: map[string]int{}}
	c.workflow()
	for i, s := range d.Steps {
		c.step, c.inStep = i, true
		c.stepDef(s)
	}
	return c.out
}

var severities = []string{string(registry.SeverityNone), string(registry.SeverityLow), string(registry.SeverityMedium), string(registry.SeverityHigh)}

func (c *checker) workflow() {
	d := c.def
	if err := CheckID(d.WorkflowID); err != nil {
		c.add("", "invalid workflowId: %v", err)
	}
	if strings.TrimSpace(d.Name) == "" {
		c.add("", "name is empty; Novu requires a workflow name")
	}
	c.tags()
	if !slices.Contains(severities, string(d.Severity)) {
		c.add("", "severity %q is not one of %s%s", d.Severity, oneOf(severities), suggest(string(d.Severity), severities))
	}
	switch n := len(d.Steps); {
	case n == 0:
		c.add("", "workflow has no steps; declare at least one")
	case n > maxSteps:
		c.add("", "workflow has %d steps; Novu allows at most %d", n, maxSteps)
	}
	c.preferences("preferences.workflow", d.Preferences.Workflow)
	c.preferences("preferences.user", d.Preferences.User)
	c.invalidUTF8()
	c.schema = c.payloadSchema()
	for i, s := range d.Steps {
		if j, ok := c.index[s.StepID]; ok {
			c.step, c.inStep = i, true
			c.add("", "stepId %q is used by steps[%d] and steps[%d]; stepIds must be unique in a workflow", s.StepID, j, i)
			c.inStep = false
			continue
		}
		c.index[s.StepID] = i
	}
}

var channels = func() []string {
	var cs []string
	for _, ch := range registry.Channels {
		cs = append(cs, string(ch))
	}
	return cs
}()

func (c *checker) preferences(field string, p *registry.PreferenceSet) {
	if p == nil {
		return
	}
	for _, ch := range sortedKeys(p.Channels) {
		if !slices.Contains(channels, ch) {
			c.add("", "%s.channels has unknown channel %q; channels are %s%s", field, ch, allOf(channels), suggest(ch, channels))
		}
	}
	for _, ch := range channels {
		if _, ok := p.Channels[registry.Channel(ch)]; !ok {
			c.add("", "%s.channels lacks %q; Novu requires all of %s", field, ch, allOf(channels))
		}
	}
}

func (c *checker) stepDef(s registry.Step) {
	if s.StepID == "" {
		c.add("", "steps[%d] has no stepId; %s", c.step, idRule)
	} else if err := CheckID(s.StepID); err != nil {
		c.add("", "invalid stepId: %v", err)
	}
	if strings.TrimSpace(s.Name) == "" {
		c.add("", "step name is empty; Novu requires one")
	}
	// Bound the nesting first: every walk below writes paths as it goes.
	s.ControlValues = c.bounded(s.ControlValues)
	c.stepUTF8(s)
	spec, known := stepSpecs[s.Type]
	if !known {
		c.add("", "unknown step type %q%s", s.Type, or(suggest(string(s.Type), stepTypes), "; types are "+allOf(stepTypes)))
	} else {
		c.controls(s, spec)
	}
	c.templates(s.Type, s.ControlValues)
}

// bounded returns cv without the controls nested deeper than maxDepth,
// each reported: the other checks walk what is left.
func (c *checker) bounded(cv map[string]any) map[string]any {
	var out map[string]any
	for _, k := range sortedKeys(cv) {
		p := tooDeep(cv[k])
		if p == nil {
			continue
		}
		c.add(k, "nested more than %d levels deep, at %s; Novu keeps control values in a MongoDB document, which may nest at most 100 levels", maxDepth, dotted(append([]seg{{key: k, isKey: true}}, p...)))
		if out == nil {
			out = maps.Clone(cv)
		}
		delete(out, k)
	}
	if out == nil {
		return cv
	}
	return out
}

// or returns a unless it is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
