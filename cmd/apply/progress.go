package main

import (
	"fmt"
	"io"
	"os"

	"github.com/novugen/novugen/internal/apply"
)

// isTerminal reports whether w is a character device (a terminal), the only
// place a progress line that rewrites itself belongs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressPrinter rewrites one line of w in place with each progress report.
func progressPrinter(w io.Writer) func(apply.Progress) {
	return func(p apply.Progress) {
		fmt.Fprintf(w, "\r\033[K%s %d/%d %s", p.Phase, p.Done, p.Total, p.WorkflowID)
	}
}

// clearProgress erases the progress line, if there is one, before the plan
// or report prints.
func (inv *invocation) clearProgress() {
	if inv.progress {
		fmt.Fprint(inv.stderr, "\r\033[K")
	}
}
