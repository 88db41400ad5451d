package novu

import (
	"strings"
	"testing"
)

// ReadEnv is the one reading of NOVU_API_URL and NOVU_SECRET_KEY: the
// default URL, spaces around the URL dropped, the key as is, and errors
// that name the variable and show at most the URL's scheme and host.
func TestReadEnv(t *testing.T) {
	const key = "sk_test_0123456789abcdef"
	for _, tt := range []struct {
		url, want string // want: Env.BaseURL, or the error
	}{
		{"", DefaultBaseURL},
		{" https://eu.api.novu.co/ \n", "https://eu.api.novu.co"},
		{"http://127.0.0.1:3000/base/", "http://127.0.0.1:3000/base"},
		{key, "NOVU_API_URL is not an absolute http(s) URL (the value is not shown, in case it is a secret); " + acceptedEnvURL},
		{"ht!tp://", "NOVU_API_URL is not an absolute http(s) URL (the value is not shown, in case it is a secret); " + acceptedEnvURL},
		{"https://:443", "NOVU_API_URL is not an absolute http(s) URL (the value is not shown, in case it is a secret); " + acceptedEnvURL},
		{"https://u:" + key + "@api.novu.co", "NOVU_API_URL for https://api.novu.co has credentials, a query or a fragment (not shown); " + acceptedEnvURL},
		{"https://api.novu.co/?key=" + key, "NOVU_API_URL for https://api.novu.co has credentials, a query or a fragment (not shown); " + acceptedEnvURL},
		{"https://api.novu.co/#" + key, "NOVU_API_URL for https://api.novu.co has credentials, a query or a fragment (not shown); " + acceptedEnvURL},
		{"https://api.novu.co?", "NOVU_API_URL for https://api.novu.co has credentials, a query or a fragment (not shown); " + acceptedEnvURL},
		{"http://api.novu.co", "NOVU_API_URL http://api.novu.co: plain http would send the secret key in clear text; use https (http is accepted only on loopback)"},
	} {
		env := map[string]string{"NOVU_API_URL": tt.url, "NOVU_SECRET_KEY": key}
		e, err := ReadEnv(func(k string) string { return env[k] })
		got := e.BaseURL
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("NOVU_API_URL=%q:\n got %s\nwant %s", tt.url, got, tt.want)
		}
		if e.Key.Reveal() != key {
			t.Errorf("NOVU_API_URL=%q: key %q, want NOVU_SECRET_KEY's", tt.url, e.Key.Reveal())
		}
		if strings.Contains(got, key) {
			t.Errorf("NOVU_API_URL=%q: the error shows the key: %s", tt.url, got)
		}
	}
	e, err := ReadEnv(func(string) string { return "" })
	if err != nil || e.Key != "" || e.BaseURL != DefaultBaseURL {
		t.Errorf("empty environment: %+v, %v; want the default URL and no key", e, err)
	}
	if got, want := NoKeyError("the environment's secret key").Error(), "no secret key: set NOVU_SECRET_KEY to the environment's secret key"; got != want {
		t.Errorf("NoKeyError: %s, want %s", got, want)
	}
}

// A target's key variable is NOVU_SECRET_KEY_ and its name upper-cased,
// and reading the variable's name back gives the name as spelled there;
// NOVU_SECRET_KEY itself, and names with other prefixes, are no target's.
func TestEnvTargetKey(t *testing.T) {
	for name, want := range map[string]string{"Production": "NOVU_SECRET_KEY_PRODUCTION", "staging": "NOVU_SECRET_KEY_STAGING", "QA-eu": "NOVU_SECRET_KEY_QA-EU"} {
		v := EnvTargetKey(name)
		if v != want {
			t.Errorf("EnvTargetKey(%q) = %q, want %q", name, v, want)
		}
		if got, ok := EnvTarget(v); !ok || got != strings.ToUpper(name) {
			t.Errorf("EnvTarget(%q) = %q, %v; want %q, true", v, got, ok, strings.ToUpper(name))
		}
	}
	for _, v := range []string{"NOVU_SECRET_KEY", "NOVU_SECRET_KEY_", "NOVU_API_URL", "MY_NOVU_SECRET_KEY_X"} {
		if got, ok := EnvTarget(v); ok {
			t.Errorf("EnvTarget(%q) = %q, true; want no target", v, got)
		}
	}
}
