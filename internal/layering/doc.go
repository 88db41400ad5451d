// Package layering holds only a test: the import rules of every package of
// the module, which are the single truth that docs/ARCHITECTURE.md's
// "Packages and imports" table describes. The test fails on an import a
// rule does not allow, on a package without a rule (a new package must say
// where it stands), and on a table that says anything else; it checks the
// layers' promises on the rules (dsl reaches registry alone; the engine,
// the client and the validator never reach dsl; the generator never sees
// workflows or gen; the emulator shares no types with the client), so that
// a broken gen/ can always be regenerated and the emulator cannot agree
// with the client by accident.
package layering
