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

// EnvTargetKey is the variable that holds the secret key of the target
// environment named environment: NOVU_SECRET_KEY_ and the name upper-cased,
// e.g. NOVU_SECRET_KEY_PRODUCTION for Production. The source environment
// (Development) has NOVU_SECRET_KEY, EnvSecretKey, instead.
func EnvTargetKey(environment string) string {
	return envTargetKeyPrefix + strings.ToUpper(environment)
}

// EnvTarget is EnvTargetKey read backwards: the name of the environment
// whose key variable holds, as the variable spells it (upper-case), and
// whether variable is a target's key variable at all (NOVU_SECRET_KEY
// itself is not).
func EnvTarget(variable string) (environment string, ok bool) {
	name, ok := strings.CutPrefix(variable, envTargetKeyPrefix)
	return name, ok && name != ""
}

const envTargetKeyPrefix = EnvSecretKey + "_"

// Env is what NOVU_API_URL and NOVU_SECRET_KEY say.
type Env struct {
	// BaseURL is NOVU_API_URL checked by parseBaseURL, DefaultBaseURL
	// when it is unset or empty.
	BaseURL string
	// Key is NOVU_SECRET_KEY as is, empty when it is unset: whether that
	// is a mistake, and what to say, is the caller's (see NoKeyError).
	Key Secret
}

// ReadEnv reads NOVU_API_URL and NOVU_SECRET_KEY through getenv (os.Getenv,
// or a lookup in a command's own environment). Spaces around the URL are
// dropped. An error is about NOVU_API_URL, whose message
// shows at most the URL's scheme and host, since the value may be a key
// pasted into the wrong variable.
func ReadEnv(getenv func(string) string) (Env, error) {
	e := Env{Key: Secret(getenv(EnvSecretKey))}
	raw := strings.TrimSpace(getenv(EnvBaseURL))
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := parseBaseURL(raw)
	if err != nil {
		return e, &envError{URL: err.(*baseURLError)}
	}
	e.BaseURL = u.String()
	return e, nil
}

// envError is a NOVU_API_URL that ReadEnv refuses. It does not unwrap to
// its baseURLError on purpose: that one's message shows the URL's path and
// query, where a pasted key would be.
type envError struct {
	URL *baseURLError
}

// acceptedEnvURL is worded for someone setting a variable, with Novu's
// real hosts as examples; acceptedBaseURL (config.go) is Config's, for a
// programmer.
const acceptedEnvURL = "want a base URL such as " + DefaultBaseURL + " or " + EUBaseURL + " (self-hosted: https://<host>[/path]; http:// only on loopback), without credentials, query or fragment"

func (e *envError) Error() string {
	switch e.URL.Problem {
	case urlCredentials, urlQuery:
		return fmt.Sprintf("%s for %s has credentials, a query or a fragment (not shown); %s", EnvBaseURL, e.URL.Origin, acceptedEnvURL)
	case urlPlainHTTP:
		return fmt.Sprintf("%s %s: plain http would send the secret key in clear text; use https (http is accepted only on loopback)", EnvBaseURL, e.URL.Origin)
	}
	return fmt.Sprintf("%s is not an absolute http(s) URL (the value is not shown, in case it is a secret); %s", EnvBaseURL, acceptedEnvURL)
}

// NoKeyError is the error of a missing NOVU_SECRET_KEY; want says what it
// should hold, e.g. "the environment's secret key".
func NoKeyError(want string) error {
	return fmt.Errorf("no secret key: set %s to %s", EnvSecretKey, want)
}
