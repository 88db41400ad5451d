package dsl

import (
	"io"

	"github.com/novugen/novugen/registry"
)

// The registry entry and its file format live in package registry, the
// data layer that the engine, the validator and the HTTP client read. The
// names below are their authoring names: what declarations, the generated
// package and users' code have always called them, kept so that all of it
// compiles unchanged. They are the same types, not copies.

// Definition is the authoring name of registry.Workflow: one workflow
// exactly as novugen sends it to Novu.
type Definition = registry.Workflow

// StepDef is the authoring name of registry.Step: one step of a Definition.
type StepDef = registry.Step

// PreferencesDef is the authoring name of registry.Preferences: the request
// form of workflow preferences, which Preferences is built into.
type PreferencesDef = registry.Preferences

// PreferenceSet is the authoring name of registry.PreferenceSet.
type PreferenceSet = registry.PreferenceSet

// AllPreference is the authoring name of registry.AllPreference.
type AllPreference = registry.AllPreference

// ChannelPreference is the authoring name of registry.ChannelPreference.
type ChannelPreference = registry.ChannelPreference

// Severity is the authoring name of registry.Severity: a workflow's
// severity.
type Severity = registry.Severity

// Severities Novu accepts: the authoring names of registry's.
const (
	SeverityNone   = registry.SeverityNone
	SeverityLow    = registry.SeverityLow
	SeverityMedium = registry.SeverityMedium
	SeverityHigh   = registry.SeverityHigh
)

// StepType is the authoring name of registry.StepType: Novu's step type.
type StepType = registry.StepType

// Step types: the authoring names of registry's.
const (
	TypeInApp       = registry.TypeInApp
	TypeEmail       = registry.TypeEmail
	TypeSMS         = registry.TypeSMS
	TypePush        = registry.TypePush
	TypeChat        = registry.TypeChat
	TypeDelay       = registry.TypeDelay
	TypeDigest      = registry.TypeDigest
	TypeThrottle    = registry.TypeThrottle
	TypeCustom      = registry.TypeCustom
	TypeHTTPRequest = registry.TypeHTTPRequest
)

// Channel is the authoring name of registry.Channel: a delivery channel in
// preferences.
type Channel = registry.Channel

// Channels: the authoring names of registry's.
const (
	ChannelInApp = registry.ChannelInApp
	ChannelEmail = registry.ChannelEmail
	ChannelSMS   = registry.ChannelSMS
	ChannelChat  = registry.ChannelChat
	ChannelPush  = registry.ChannelPush
)

// Channels is the authoring name of registry.Channels: every channel in the
// order Novu documents them. It is the same slice.
var Channels = registry.Channels

// Registry is the authoring name of registry.File: the content of
// gen/registry.json.
type Registry = registry.File

// Sources is the authoring name of registry.Sources: the Go packages a
// registry was generated from.
type Sources = registry.Sources

// SourcePackage is the authoring name of registry.SourcePackage.
type SourcePackage = registry.SourcePackage

// RegistryNotice is the authoring name of registry.Notice: the registry
// file's "//" entry.
const RegistryNotice = registry.Notice

// MaxRegistrySize is the authoring name of registry.MaxSize: the largest
// registry, in bytes, that ReadRegistry and ParseRegistry accept (32 MiB).
const MaxRegistrySize = registry.MaxSize

// ParseRegistry is the authoring name of registry.Parse: it decodes a
// registry file strictly.
func ParseRegistry(data []byte) (Registry, error) { return registry.Parse(data) }

// ReadRegistry is the authoring name of registry.Read: it reads a registry
// file from r, never more than MaxRegistrySize+1 bytes, and decodes it with
// ParseRegistry.
func ReadRegistry(r io.Reader) (Registry, error) { return registry.Read(r) }
