package workflows

import "github.com/novugen/novugen/dsl"

// WeeklyDigestPayload is one activity event. Each trigger adds one; the
// digest step collects a subscriber's week of them into a single email.
type WeeklyDigestPayload struct {
	Title       string `json:"title"`       // what happened, e.g. "Invoice #1042 was paid"
	URL         string `json:"url"`         // where to read more
	ProjectName string `json:"projectName"` // the project it happened in
	// Actor is who did it, when a person did.
	Actor string `json:"actor,omitempty"`
}

// WeeklyDigest sends one summary email a week instead of an email per event.
// Later steps read the collected events as steps.collect.events and their
// number as steps.collect.eventCount.
var WeeklyDigest = dsl.Define[WeeklyDigestPayload]("weekly-digest", dsl.Settings{
	Name:            "Weekly digest",
	Description:     "Collects a week of activity into one summary email.",
	Tags:            []string{"digest", "activity"},
	Active:          dsl.Active,
	Severity:        dsl.SeverityLow,
	ValidatePayload: true,
	Preferences: dsl.Preferences{
		Workflow: dsl.ChannelPreferences{InApp: dsl.Off, SMS: dsl.Off, Chat: dsl.Off, Push: dsl.Off},
	},
},
	dsl.Digest("collect", "Collect the week", dsl.DigestControls{Amount: 7, Unit: dsl.Days}),
	dsl.Email("summary", "Weekly summary", dsl.EmailControls{
		Subject: "{{ steps.collect.eventCount }} updates from your projects this week",
		Body: `<p>Hi {{ subscriber.firstName }}, here is what happened this week:</p>
<ul>
{% for e in steps.collect.events %}  <li><a href="{{ e.payload.url }}">{{ e.payload.title }}</a> in {{ e.payload.projectName }}</li>
{% endfor %}</ul>`,
	}),
).WithExamples(
	dsl.Example[WeeklyDigestPayload]{Name: "invoice paid", Payload: WeeklyDigestPayload{
		Title:       "Invoice #1042 was paid",
		URL:         "https://app.example.com/invoices/1042",
		ProjectName: "Billing",
		Actor:       "Ada Lovelace",
	}},
)
