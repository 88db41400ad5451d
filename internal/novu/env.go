package novu

import (
	"fmt"
	"strings"
)

// The environment variables cmd/apply, novugen import and notify.FromEnv
// read Novu's address and key from.
const (
	EnvBaseURL   = "NOVU_API_URL"
	EnvSecretKey = "NOVU_SECRET_KEY"
)

// Env is what NOVU_API_URL and NOVU_SECRET_KEY say.
type Env struct {
	// BaseURL is NOVU_API_URL checked by ParseBaseURL, DefaultBaseURL
	// when it is unset or empty.
	BaseURL string
	// Key is NOVU_SECRET_KEY as is, empty when it is unset: whether that
	// is a mistake, and what to say, is the caller's (see NoKeyError).
	Key Secret
}

// ReadEnv reads NOVU_API_URL and NOVU_SECRET_KEY through getenv (os.Getenv,
// or a lookup in a command's own environment). Spaces around the URL are
// dropped. An error is about NOVU_API_URL: an *EnvError, whose message
// shows at most the URL's scheme and host, since the value may be a key
// pasted into the wrong variable.
func ReadEnv(getenv func(string) string) (Env, error) {
	e := Env{Key: Secret(getenv(EnvSecretKey))}
	raw := strings.TrimSpace(getenv(EnvBaseURL))
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := ParseBaseURL(raw)
	if err != nil {
		return e, &EnvError{URL: err.(*BaseURLError)}
	}
	e.BaseURL = u.String()
	return e, nil
}

// EnvError is a NOVU_API_URL that ReadEnv refuses.
type EnvError struct {
	URL *BaseURLError
}

const acceptedEnvURL = "want a base URL such as " + DefaultBaseURL + " or https://eu.api.novu.co (self-hosted: https://<host>[/path]; http:// only on loopback), without credentials, query or fragment"

func (e *EnvError) Error() string {
	switch e.URL.Problem {
	case BaseURLCredentials, BaseURLQuery:
		return fmt.Sprintf("%s for %s has credentials, a query or a fragment (not shown); %s", EnvBaseURL, e.URL.Origin, acceptedEnvURL)
	case BaseURLPlainHTTP:
		return fmt.Sprintf("%s %s: plain http would send the secret key in clear text; use https (http is accepted only on loopback)", EnvBaseURL, e.URL.Origin)
	}
	return fmt.Sprintf("%s is not an absolute http(s) URL (the value is not shown, in case it is a secret); %s", EnvBaseURL, acceptedEnvURL)
}

func (e *EnvError) Unwrap() error { return e.URL }

// NoKeyError is the error of a missing NOVU_SECRET_KEY; want says what it
// should hold, e.g. "the environment's secret key".
func NoKeyError(want string) error {
	return fmt.Errorf("no secret key: set %s to %s", EnvSecretKey, want)
}
