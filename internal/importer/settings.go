package importer

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/novugen/novugen/registry"
)

// settings is the dsl.Settings literal of the workflow.
func (im *importer) settings(strict bool) jen.Code {
	wf := im.wf
	var f fields
	f.add("Name", jen.Lit(wf.Name))
	if wf.Description != "" {
		f.add("Description", jen.Lit(wf.Description))
	}
	var tags []jen.Code
	for _, t := range wf.Tags {
		// An ownership tag is cmd/apply's to write: declared, it is
		// refused by go generate (validate.ReservedTag), and an imported
		// workflow is adopted, not created by the new registry.
		if lt := strings.ToLower(t); lt == "novugen" || strings.HasPrefix(lt, "novugen:") {
			im.notes = append(im.notes, fmt.Sprintf("workflow %q: ownership tag %q left out: cmd/apply writes those, and the workflow stays adopted (never pruned)", wf.WorkflowID, t))
			continue
		}
		tags = append(tags, jen.Lit(t))
	}
	if len(tags) > 0 {
		f.add("Tags", jen.Index().String().Values(tags...))
	}
	if wf.Active {
		f.add("Active", dsl("Active"))
	} else {
		f.add("Active", dsl("Inactive"))
	}
	switch wf.Severity {
	case registry.SeverityNone:
	case registry.SeverityLow:
		f.add("Severity", dsl("SeverityLow"))
	case registry.SeverityMedium:
		f.add("Severity", dsl("SeverityMedium"))
	case registry.SeverityHigh:
		f.add("Severity", dsl("SeverityHigh"))
	default:
		im.fail("severity", "%q is none of none, low, medium, high", wf.Severity)
	}
	if wf.ValidatePayload {
		f.add("ValidatePayload", jen.True())
	}
	if strict {
		f.add("StrictPayload", jen.True())
	}
	if im.inferred {
		f.add("PayloadSchema", dsl("NoSchema"))
	}
	if wf.IsTranslationEnabled {
		f.add("TranslationEnabled", jen.True())
	}
	var prefs fields
	if p := im.preferenceSet("preferences.workflow", wf.Preferences.Default); p != nil {
		prefs.add("Workflow", p)
	}
	if wf.Preferences.User != nil {
		p := im.preferenceSet("preferences.user", wf.Preferences.User)
		if p == nil {
			p = dsl("ChannelPreferences").Values()
		}
		prefs.add("User", jen.Op("&").Add(p))
	}
	if len(prefs.items) > 0 {
		f.add("Preferences", dsl("Preferences").Values(prefs.code()...))
	}
	return dsl("Settings").Values(f.code()...)
}

// preferenceSet is the dsl.ChannelPreferences literal of p, nil when p is
// all on and not read-only (the zero value). The dsl sends all five
// channels, so a set without one of them cannot round trip.
func (im *importer) preferenceSet(field string, p *registry.PreferenceSet) jen.Code {
	if p == nil {
		im.fail(field, "absent, and the dsl always sends all five channels")
		return nil
	}
	var f fields
	if !p.All.Enabled {
		f.add("Enabled", dsl("Off"))
	}
	if p.All.ReadOnly {
		f.add("ReadOnly", jen.True())
	}
	names := map[registry.Channel]string{registry.ChannelInApp: "InApp", registry.ChannelEmail: "Email",
		registry.ChannelSMS: "SMS", registry.ChannelChat: "Chat", registry.ChannelPush: "Push"}
	for ch := range p.Channels {
		if _, ok := names[ch]; !ok {
			im.fail(field+".channels."+string(ch), "not a channel the dsl knows")
		}
	}
	for _, ch := range registry.Channels {
		c, ok := p.Channels[ch]
		if !ok {
			im.fail(field+".channels."+string(ch), "absent, and the dsl always sends all five channels")
			continue
		}
		if !c.Enabled {
			f.add(names[ch], dsl("Off"))
		}
	}
	if len(f.items) == 0 {
		return nil
	}
	return dsl("ChannelPreferences").Values(f.code()...)
}
