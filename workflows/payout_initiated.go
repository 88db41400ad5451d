package workflows

import "github.com/novugen/novugen/dsl"

// PayoutInitiatedPayload is sent by the payments service when a payout to a
// seller's bank account starts.
type PayoutInitiatedPayload struct {
	PayoutID     string  `json:"payoutId"`
	Amount       float64 `json:"amount"`       // in major units, e.g. 1250.5
	Currency     string  `json:"currency"`     // ISO 4217 code, e.g. "EUR"
	ArrivalDate  string  `json:"arrivalDate"`  // expected arrival, an ISO 8601 date such as "2026-07-24"
	BankName     string  `json:"bankName"`     // the receiving bank, as the seller registered it
	AccountLast4 string  `json:"accountLast4"` // last four digits of the receiving account
	// Reference is the statement descriptor, when the seller set one.
	Reference string `json:"reference,omitempty"`
}

// PayoutInitiated tells a seller that money is on its way. Subscribers
// cannot opt out: it is a record of money leaving the platform.
var PayoutInitiated = dsl.Define[PayoutInitiatedPayload]("payout-initiated", dsl.Settings{
	Name:            "Payout initiated",
	Description:     "Tells a seller that a payout to their bank account has started.",
	Tags:            []string{"payouts"},
	Active:          dsl.Active,
	Severity:        dsl.SeverityHigh,
	ValidatePayload: true,
	Preferences: dsl.Preferences{
		Workflow: dsl.ChannelPreferences{ReadOnly: true, SMS: dsl.Off, Chat: dsl.Off, Push: dsl.Off},
	},
},
	dsl.InApp("notice", "Payout notice", dsl.InAppControls{
		Subject: "Payout of {{ payload.amount }} {{ payload.currency }} initiated",
		Body:    "It should reach your {{ payload.bankName }} account ending in {{ payload.accountLast4 }} by {{ payload.arrivalDate | date: '%B %-d' }}.",
		PrimaryAction: dsl.Action{
			Label:    "View payout",
			Redirect: dsl.Redirect{URL: "/payouts/{{ payload.payoutId }}", Target: dsl.TargetSelf},
		},
		Redirect: dsl.Redirect{URL: "/payouts/{{ payload.payoutId }}"},
	}),
	dsl.Email("receipt", "Payout receipt", dsl.EmailControls{
		Subject: "Your payout of {{ payload.amount }} {{ payload.currency }} is on its way",
		Body: `<p>Hi {{ subscriber.firstName }},</p>
<p>We have started a payout of <strong>{{ payload.amount }} {{ payload.currency }}</strong>
to your {{ payload.bankName }} account ending in {{ payload.accountLast4 }}.</p>
<table>
  <tr><td>Payout ID</td><td>{{ payload.payoutId }}</td></tr>
  <tr><td>Expected arrival</td><td>{{ payload.arrivalDate | date: '%A, %B %-d, %Y' }}</td></tr>
  {% if payload.reference %}<tr><td>Reference</td><td>{{ payload.reference }}</td></tr>{% endif %}
</table>
<p>Banks can take one more business day to show the money in your balance.</p>`,
	}),
).WithExamples(
	dsl.Example[PayoutInitiatedPayload]{Name: "with reference", Payload: PayoutInitiatedPayload{
		PayoutID:     "po_1NxY2",
		Amount:       1250.5,
		Currency:     "EUR",
		ArrivalDate:  "2026-07-24",
		BankName:     "ING",
		AccountLast4: "4821",
		Reference:    "SHOP JULY",
	}},
	dsl.Example[PayoutInitiatedPayload]{Name: "plain", Payload: PayoutInitiatedPayload{
		PayoutID:     "po_1NxY3",
		Amount:       80,
		Currency:     "USD",
		ArrivalDate:  "2026-07-27",
		BankName:     "Chase",
		AccountLast4: "0007",
	}},
)
