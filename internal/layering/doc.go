// Package layering holds only a test: it enforces the import direction that
// docs/ARCHITECTURE.md sets out (dsl ← workflows ← gen ← cmd/apply; the
// engine never sees gen; the generator never sees workflows or gen; the
// emulator shares no wire types with the client), so that a broken gen/ can
// always be regenerated and the emulator cannot agree with the client by
// accident.
package layering
