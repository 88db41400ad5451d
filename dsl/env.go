package dsl

// EnvVar names a Novu environment variable: a value Novu keeps per
// environment (Development, Staging, Production), which templates read as
// {{env.NAME}}, so that one definition renders a different base URL or
// sender in each environment (docs/novu-api.md §8.3).
//
// Declare each name the templates read as a package-level constant in a
// package go generate reads:
//
//	const BaseURL dsl.EnvVar = "BASE_URL"
//
// go generate refuses {{env.NAME}} for a NAME not declared, and a name
// Novu would refuse as a key (a letter, then letters, digits and
// underscores); it writes the declared names into the registry, and
// cmd/apply -plan checks that each has a value in every environment the
// run touches, as far as its keys can read, before anything is written.
// The values themselves are kept in Novu, not in the registry.
type EnvVar string

// Ref returns the template reference to e, {{env.NAME}}, for building a
// template in Go: "Track it at " + BaseURL.Ref() + "/orders". A template
// built so names the constant, so deleting the constant fails go build.
func (e EnvVar) Ref() string { return "{{env." + string(e) + "}}" }
