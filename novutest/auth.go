package novutest

import (
	"net/http"
	"slices"
	"strings"
)

// apiKey returns the key of "Authorization: ApiKey <key>", or "". The key
// selects the environment a request acts on; Options.Keys and DefaultKey
// set the keys.
func apiKey(r *http.Request) string {
	scheme, key, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || scheme != "ApiKey" {
		return ""
	}
	return strings.TrimSpace(key)
}

// envByKey finds the environment of a secret key; the empty key, which a
// request without Authorization presents, is nobody's.
func (s *Server) envByKey(key string) *envState {
	if key == "" {
		return nil
	}
	return find(slices.Values(s.envs), func(e *envState) bool { return e.SecretKey == key })
}

// Key returns the secret key of the named environment, or "" when there is
// no such environment.
func (s *Server) Key(envName string) string {
	if e := s.envByName(envName); e != nil {
		return e.SecretKey
	}
	return ""
}
