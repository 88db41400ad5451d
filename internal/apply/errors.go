package apply

import (
	"fmt"
	"strings"

	"github.com/novugen/novugen/internal/validate"
)

// InvalidError is a registry that failed local validation: nothing was
// sent to Novu.
type InvalidError struct {
	Findings []validate.Finding
	Layouts  []validate.LayoutFinding
}

func (e *InvalidError) Error() string {
	var msgs []string
	for _, f := range e.Findings {
		msgs = append(msgs, f.Error())
	}
	for _, f := range e.Layouts {
		msgs = append(msgs, f.Error())
	}
	problems := "problems"
	if len(msgs) == 1 {
		problems = "problem"
	}
	return fmt.Sprintf("registry is invalid (%d %s; nothing was sent to Novu):\n%s", len(msgs), problems, strings.Join(msgs, "\n"))
}

// UsageError is a request the registry or the organization cannot satisfy:
// an unknown -only id, an unknown or repeated target name. Nothing was
// written.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }
