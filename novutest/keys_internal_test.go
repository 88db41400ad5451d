package novutest

import (
	"testing"
)

func TestEmptyKeyIsNobodys(t *testing.T) {
	s := newServer(Options{})
	// Options cannot make an empty key (newServer panics); this guards
	// envByKey itself, should a key ever be cleared.
	s.envs[0].SecretKey = ""
	if e := s.envByKey(""); e != nil {
		t.Errorf("the empty key matched %s", e.Name)
	}
	if e := s.envByKey("staging-secret-key"); e == nil || e.Name != "Staging" {
		t.Errorf("staging-secret-key matched %v", e)
	}
}
