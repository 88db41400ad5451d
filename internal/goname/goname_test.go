package goname_test

import (
	"testing"

	"github.com/novugen/novugen/internal/goname"
)

func TestExported(t *testing.T) {
	for in, want := range map[string]string{
		"order-shipped":  "OrderShipped",
		"build-failed":   "BuildFailed",
		"orderId":        "OrderID",
		"order_id":       "OrderID",
		"tracking_url":   "TrackingURL",
		"userID":         "UserID",
		"invoicePDF":     "InvoicePDF",
		"HTTPRequest":    "HTTPRequest",
		"3rd-party_Sync": "Workflow3rdPartySync",
		"2fa-code":       "Workflow2faCode",
		"sms":            "SMS",
		"---":            "Workflow",
		"café-au-lait":   "CafAuLait",
		// Environment variables: words in capitals are words, not initialisms.
		"BASE_URL":      "BaseURL",
		"SUPPORT_EMAIL": "SupportEmail",
		"SMS_API_KEY":   "SMSAPIKey",
		"3D_SECURE":     "Workflow3dSecure",
		// A single word in capitals is an acronym, kept as written.
		"OTP":    "OTP",
		"PDF":    "PDF",
		"VAT":    "VAT",
		"KYC":    "KYC",
		"2FA":    "Workflow2FA",
		"ZONE":   "Zone",
		"REGION": "Region",
		"HTTPS":  "HTTPS",
		"OTP-":   "OTP",
	} {
		if got := goname.Exported(in, "Workflow"); got != want {
			t.Errorf("Exported(%q) = %q, want %q", in, got, want)
		}
	}
}
