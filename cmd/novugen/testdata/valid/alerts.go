package valid

import "github.com/novugen/novugen/dsl"

// AlertPayload is the payload of account-alert.
type AlertPayload struct {
	Reason string `json:"reason"`
}

var AccountAlert = dsl.Define[AlertPayload]("account-alert", dsl.Settings{
	Name:            "Account alert",
	Active:          dsl.Inactive,
	ValidatePayload: true,
	StrictPayload:   true,
},
	dsl.SMS("sms", "SMS", dsl.SMSControls{Body: "Alert: {{payload.reason}}"}),
)
