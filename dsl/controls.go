package dsl

// stepControls is implemented by every XxxControls type: it writes its
// values into b in wire form.
type stepControls interface {
	encode(b *controls)
}

// declare is every step constructor: the controls in wire form, the
// problems found while converting them, and the position of the
// declaration. fn is the exported constructor, whose caller is that
// position.
func declare(t StepType, stepID, name string, c stepControls, fn string) Step {
	b := &controls{m: map[string]any{}}
	c.encode(b)
	return Step{
		def:      StepDef{StepID: stepID, Name: name, Type: t, ControlValues: b.m},
		pos:      caller(2, fn),
		problems: b.problems,
		layout:   b.layout,
	}
}

func (c InAppControls) encode(b *controls) {
	b.str("subject", c.Subject)
	b.str("body", c.Body)
	b.str("avatar", c.Avatar)
	b.action("primaryAction", c.PrimaryAction)
	b.action("secondaryAction", c.SecondaryAction)
	b.redirect(b.m, "redirect", c.Redirect)
	b.object("data", c.Data)
	b.flag("disableOutputSanitization", c.DisableOutputSanitization)
	b.skip(c.Skip)
}

func (c EmailControls) encode(b *controls) {
	b.str("subject", c.Subject)
	b.str("body", c.Body)
	editor := c.EditorType
	if editor == "" {
		editor = EditorHTML
	}
	b.m["editorType"] = string(editor)
	switch {
	case c.Layout.none:
		b.m["layoutId"] = nil
	case c.Layout.set:
		b.m["layoutId"] = c.Layout.id
	}
	b.layout = c.Layout.decl
	b.flag("disableOutputSanitization", c.DisableOutputSanitization)
	b.skip(c.Skip)
}

func (c SMSControls) encode(b *controls) {
	b.str("body", c.Body)
	b.skip(c.Skip)
}

func (c PushControls) encode(b *controls) {
	b.str("subject", c.Subject)
	b.str("body", c.Body)
	b.skip(c.Skip)
}

func (c ChatControls) encode(b *controls) {
	b.str("body", c.Body)
	b.skip(c.Skip)
}

func (c DelayControls) encode(b *controls) {
	timing(b, c.Type, DelayRegular, DelayTimed, c.Cron != "", c.Amount, c.Unit)
	b.str("cron", c.Cron)
	b.skip(c.Skip)
}

func (c DigestControls) encode(b *controls) {
	timing(b, c.Type, DigestRegular, DigestTimed, c.Cron != "", c.Amount, c.Unit)
	if c.LookBackWindow != (Window{}) {
		w := map[string]any{}
		if c.LookBackWindow.Amount != 0 {
			w["amount"] = float64(c.LookBackWindow.Amount)
		}
		if c.LookBackWindow.Unit != "" {
			w["unit"] = string(c.LookBackWindow.Unit)
		}
		b.m["lookBackWindow"] = w
	}
	b.str("cron", c.Cron)
	b.str("digestKey", c.DigestKey)
	b.skip(c.Skip)
}

func (c ThrottleControls) encode(b *controls) {
	timing(b, c.Type, ThrottleFixed, ThrottleDynamic, c.DynamicKey != "", c.Amount, c.Unit)
	b.str("dynamicKey", c.DynamicKey)
	b.num("threshold", c.Threshold)
	b.str("throttleKey", c.ThrottleKey)
	b.skip(c.Skip)
}

func (c CustomControls) encode(b *controls) {
	b.object("custom", c.Custom)
}

func (c HTTPRequestControls) encode(b *controls) {
	b.str("method", string(c.Method))
	b.str("url", c.URL)
	if c.Headers != nil {
		hs := make([]any, len(c.Headers))
		for i, h := range c.Headers {
			hs[i] = map[string]any{"key": h.Key, "value": h.Value}
		}
		b.m["headers"] = hs
	}
	b.str("body", c.Body)
	b.object("responseBodySchema", c.ResponseBodySchema)
	b.flag("enforceSchemaValidation", c.EnforceSchemaValidation)
	b.flag("continueOnFailure", c.ContinueOnFailure)
}

// timing sets the controls a delay, digest or throttle step opens with:
// "type", always sent (typ as declared, else def, or alt when the control
// only alt reads is set: a cron, a dynamicKey), "amount" and "unit".
func timing[T ~string](b *controls, typ, def, alt T, altSet bool, amount int, unit Unit) {
	if typ == "" {
		typ = def
		if altSet {
			typ = alt
		}
	}
	b.m["type"] = string(typ)
	b.num("amount", amount)
	b.str("unit", string(unit))
}

// controls accumulates one step's control values in wire form.
type controls struct {
	m        map[string]any
	problems []string
	layout   *DeclaredLayout // the layout an email step declares in Go
}

func (b *controls) str(key, v string) {
	if v != "" {
		b.m[key] = v
	}
}

func (b *controls) num(key string, v int) {
	if v != 0 {
		b.m[key] = float64(v)
	}
}

func (b *controls) flag(key string, v bool) {
	if v {
		b.m[key] = true
	}
}

func (b *controls) redirect(into map[string]any, key string, r Redirect) {
	if r == (Redirect{}) {
		return
	}
	m := map[string]any{}
	if r.URL != "" {
		m["url"] = r.URL
	}
	if r.Target != "" {
		m["target"] = string(r.Target)
	}
	into[key] = m
}

func (b *controls) action(key string, a Action) {
	if a == (Action{}) {
		return
	}
	m := map[string]any{}
	if a.Label != "" {
		m["label"] = a.Label
	}
	b.redirect(m, "redirect", a.Redirect)
	b.m[key] = m
}

func (b *controls) object(key string, v map[string]any) {
	if v == nil {
		return
	}
	w, probs := toWire(v, key)
	b.m[key] = w
	b.problems = append(b.problems, probs...)
}

func (b *controls) skip(c Cond) {
	if c.IsZero() {
		return
	}
	b.m["skip"] = cloneWire(c.v)
	b.problems = append(b.problems, prefixed("skip", c.problems)...)
}
