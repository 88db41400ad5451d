// Package registry is novugen's data layer: the registry entry, one
// workflow exactly as novugen sends it to Novu (Workflow, its Steps and
// Preferences), and the registry file that holds every entry (File,
// written to gen/registry.json).
//
// It sits between the authoring layer and the wire. Package dsl, what a
// user writes, builds Workflow values and names each type of this package
// again under its authoring name (dsl.Definition is registry.Workflow); the
// generator writes a File; the engine, the validator and the HTTP client
// read entries and never see dsl. An entry is plain data: the payload's Go
// type is gone once its schema is built, so a registry file edited by hand
// is checked and applied the same way as a generated one.
//
// # The file
//
// File.Marshal writes the deterministic, line-per-value form that reviews
// well as a diff. Parse reads it back strictly (unknown fields, trailing
// data and text that is not UTF-8 are errors naming the workflow, step and
// field); Read does so from a reader, never reading more than MaxSize
// bytes. Sources records which packages the file was generated from, so
// that cmd/apply can refuse a registry file older than its declarations;
// Parse refuses a Sources that names a path outside the module.
//
// The package uses the standard library only.
package registry
