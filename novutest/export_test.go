package novutest

import "net/http"

// SetTestHook runs hook after idempotency reservation, before the
// operation, so tests can hold a request in flight.
func (s *Server) SetTestHook(hook func(*http.Request)) { s.testHook = hook }
