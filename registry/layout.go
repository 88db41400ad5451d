package registry

// Layout is an email layout exactly as novugen keeps it in Novu: the
// fields of PUT /v2/layouts/{layoutId} (name, isTranslationEnabled and
// controlValues.email) plus the layoutId a create sends. An email step
// names it in its controlValues.layoutId.
type Layout struct {
	LayoutID             string `json:"layoutId"`
	Name                 string `json:"name"`
	IsTranslationEnabled bool   `json:"isTranslationEnabled"`
	// Body is the layout's HTML (or Maily JSON under EditorType "block");
	// {{ content }} in it is where the email step's body goes.
	Body       string `json:"body"`
	EditorType string `json:"editorType"`
}
