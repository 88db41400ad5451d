package testenv

import (
	"fmt"
	"sync"
	"testing"
)

// RecordingTB is a test's testing.TB whose Errorf records the report
// instead of failing the test: for testing a check that reports to a
// testing.TB (internal/conformance), which must see a violation reported.
// Everything else, Fatalf included, is the test's own.
type RecordingTB struct {
	*testing.T
	mu   sync.Mutex
	errs []string
}

// Errorf records the report; handlers call it from their own goroutines.
func (r *RecordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// Reports returns what Errorf recorded, in order.
func (r *RecordingTB) Reports() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}
