package validate

import (
	"regexp"
	"strings"
	"testing"
)

func TestCheckID(t *testing.T) {
	rows := []struct {
		id, want string // want "" means accepted
	}{
		{"order-shipped", ""},
		{"Order_Shipped.v2", ""},
		{"a", ""},
		{"0", ""},
		{"65f1c0ffee0ddb", ""},           // 14 hex: not an ObjectId
		{"65f1c0ffee0ddba-11dead00", ""}, // 24 chars, not all hex, "-" in the tail
		{"65f1c0ffee0ddba11dead00", `id "65f1c0ffee0ddba11dead00" ends in 16 letters and digits ("fee0ddba11dead00"), which Novu may decode as a base62 _id and look up by the wrong key; put a "-", "_" or "." among its last 16 characters, or shorten it to 15`}, // 23 hex: not an ObjectId, but a base62 tail
		{"payout-initiated", ""},   // 16 characters, but "-" cannot be base62
		{"weekly.newsletters", ""}, // "." in the last 16
		{"weeklynewsletter", `id "weeklynewsletter" ends in 16 letters and digits ("weeklynewsletter"), which Novu may decode as a base62 _id and look up by the wrong key; put a "-", "_" or "." among its last 16 characters, or shorten it to 15`},
		{"team-weeklynewsletters", `id "team-weeklynewsletters" ends in 16 letters and digits ("eeklynewsletters"), which Novu may decode as a base62 _id and look up by the wrong key; put a "-", "_" or "." among its last 16 characters, or shorten it to 15`},
		{"weeklynewslette", ""}, // 15: read as itself
		{"", `id is empty; ids are letters and digits, with single "-", "_" or "." between them`},
		{"order shipped", `id "order shipped" has " " at byte 5; ids are letters and digits, with single "-", "_" or "." between them`},
		{"café", `id "café" has "é" at byte 3; ids are letters and digits, with single "-", "_" or "." between them`},
		{"a\xffb", `id "a\xffb" has the invalid UTF-8 byte 0xff at byte 1; ids are letters and digits, with single "-", "_" or "." between them`},
		{"-order", `id "-order" starts with "-"; ids are letters and digits, with single "-", "_" or "." between them`},
		{"order.", `id "order." ends with "."; ids are letters and digits, with single "-", "_" or "." between them`},
		{"order--shipped", `id "order--shipped" has "--" at byte 5 right after another separator; ids are letters and digits, with single "-", "_" or "." between them`},
		{"a_.b", `id "a_.b" has "_." at byte 1 right after another separator; ids are letters and digits, with single "-", "_" or "." between them`},
		{"65F1C0FFEE0DDBA11DEAD000", `id "65F1C0FFEE0DDBA11DEAD000" is 24 hexadecimal characters, which Novu reads as a database _id; change or add a character`},
		{"order_wf_1", `id "order_wf_1" contains "_wf_", which Novu reads as a slug carrying an _id; avoid "_wf_", "_st_" and "_env_"`},
		{"x_st_y", `id "x_st_y" contains "_st_", which Novu reads as a slug carrying an _id; avoid "_wf_", "_st_" and "_env_"`},
		{"dev_env_x", `id "dev_env_x" contains "_env_", which Novu reads as a slug carrying an _id; avoid "_wf_", "_st_" and "_env_"`},
	}
	for _, r := range rows {
		t.Run(r.id, func(t *testing.T) {
			err := CheckID(r.id)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != r.want {
				t.Errorf("CheckID(%q) = %q\nwant %q", r.id, got, r.want)
			}
		})
	}
}

var slug = regexp.MustCompile(`^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$`)
var objectID = regexp.MustCompile(`^[0-9a-fA-F]{24}$`)
var base62TailRE = regexp.MustCompile(`[0-9A-Za-z]{16}$`)

func FuzzCheckID(f *testing.F) {
	for _, s := range []string{"order-shipped", "a_wf_b", "65f1c0ffee0ddba11dead000", "a..b", "-", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := CheckID(id)
		// CheckID accepts exactly the slugs Novu reads as themselves.
		want := slug.MatchString(id) && !objectID.MatchString(id) && !base62TailRE.MatchString(id) &&
			!strings.Contains(id, "_wf_") && !strings.Contains(id, "_st_") && !strings.Contains(id, "_env_")
		if (err == nil) != want {
			t.Fatalf("CheckID(%q) = %v, want accepted = %v", id, err, want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "id ") {
			t.Fatalf("CheckID(%q) = %q: message does not start by naming the id", id, err)
		}
	})
}
