package notify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/novugen/novugen/notify"
)

func TestConfigRulesAndTheKeyNeverPrinted(t *testing.T) {
	const key = "sk-very-secret-123"
	for _, cfg := range []notify.Config{
		{BaseURL: "http://novu.example.com", Key: key},
		{BaseURL: "https://user:pw@api.novu.co", Key: key},
		{Key: "two words"},
		{},
	} {
		c, err := notify.New(cfg)
		if err == nil {
			t.Errorf("%+v: accepted", c)
			continue
		}
		if strings.Contains(err.Error(), key) || !strings.HasPrefix(err.Error(), "notify: ") {
			t.Errorf("error %q", err)
		}
	}
	c, err := notify.New(notify.Config{Key: key})
	if err != nil || c.BaseURL() != "https://api.novu.co" {
		t.Fatalf("default base URL: %v %v", c, err)
	}
	// The regions' constants are the hosts Novu serves, as documented.
	for region, want := range map[string]string{notify.DefaultBaseURL: "https://api.novu.co", notify.EUBaseURL: "https://eu.api.novu.co"} {
		if c, err := notify.New(notify.Config{BaseURL: region, Key: key}); err != nil || c.BaseURL() != want {
			t.Errorf("BaseURL %s: %v %v, want %s", region, c, err, want)
		}
	}
	for _, form := range []string{"%v", "%+v", "%#v"} {
		if strings.Contains(fmt.Sprintf(form, c), key) {
			t.Errorf("%s prints the key", form)
		}
	}
	t.Setenv("NOVU_SECRET_KEY", "")
	if _, err := notify.FromEnv(); err == nil || !strings.Contains(err.Error(), "NOVU_SECRET_KEY") {
		t.Errorf("FromEnv without a key: %v", err)
	}
	t.Setenv("NOVU_SECRET_KEY", key)
	t.Setenv("NOVU_API_URL", "https://eu.api.novu.co")
	if c, err := notify.FromEnv(); err != nil || c.BaseURL() != "https://eu.api.novu.co" {
		t.Errorf("FromEnv: %v %v", c, err)
	}
	// The key pasted into NOVU_API_URL: refused as cmd/apply refuses it,
	// naming the variable, without showing the value.
	t.Setenv("NOVU_API_URL", key)
	if _, err := notify.FromEnv(); err == nil || !strings.HasPrefix(err.Error(), "notify: NOVU_API_URL is not an absolute http(s) URL") || strings.Contains(err.Error(), key) {
		t.Errorf("FromEnv with the key in NOVU_API_URL: %v", err)
	}
}
