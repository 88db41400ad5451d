package dsl

import "github.com/novugen/novugen/registry"

// LayoutSettings describe an email layout declared in Go.
type LayoutSettings struct {
	Name string
	// Body is the layout's HTML: a whole document (<html> and <body>, which
	// Novu requires) with {{ content }} where the email step's body goes.
	// It may use {{ subscriber.* }} too: Novu gives a layout those and
	// content, nothing else (docs/novu-api.md §4.8).
	Body string
	// EditorType is how Novu reads Body; empty sends "html".
	EditorType         EditorType
	TranslationEnabled bool
}

// LayoutDef is the registry entry of a declared layout (registry.Layout).
type LayoutDef = registry.Layout

// DeclaredLayout is a declared layout and where it was declared, as a
// workflow that uses it reports it to the generator.
type DeclaredLayout struct {
	Def LayoutDef
	Pos Pos
}

// DefineLayout declares an email layout whose layoutId is layoutID (the
// same rules as a workflowId). Use the value as EmailControls.Layout: the
// step then names the layout by its layoutId, go generate checks the
// layout and writes it into the registry, and cmd/apply creates or
// updates it in Development before the workflows. Deleting the variable
// makes every step that used it fail to compile.
func DefineLayout(layoutID string, s LayoutSettings) Layout {
	editor := s.EditorType
	if editor == "" {
		editor = EditorHTML
	}
	return Layout{id: layoutID, set: true, decl: &DeclaredLayout{
		Def: LayoutDef{
			LayoutID:             layoutID,
			Name:                 s.Name,
			IsTranslationEnabled: s.TranslationEnabled,
			Body:                 s.Body,
			EditorType:           string(editor),
		},
		Pos: caller(1, "DefineLayout"),
	}}
}
