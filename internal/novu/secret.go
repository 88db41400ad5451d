package novu

import (
	"fmt"
	"io"
	"log/slog"
)

const redacted = "[redacted]"

// Secret is a Novu secret key. Every way of printing it — fmt with any verb,
// JSON, text, slog — gives "[redacted]", so a key that slips into a log line,
// an error or a JSON report is not disclosed. Only Reveal returns the key, and
// the client calls it only to build the Authorization header.
type Secret string

// Reveal returns the key itself. Use it only for the Authorization header.
func (s Secret) Reveal() string { return string(s) }

// String returns "[redacted]".
func (s Secret) String() string { return redacted }

// GoString returns "[redacted]", for %#v.
func (s Secret) GoString() string { return redacted }

// Format prints "[redacted]" for every verb, so that %x or %q cannot leak the
// key either.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalJSON returns the JSON string "[redacted]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[redacted]", for encoders that use encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue returns "[redacted]", for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
