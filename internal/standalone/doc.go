// Package standalone holds only a test: it keeps the repository self-contained,
// so that a fresh clone with nothing beside it has everything its files cite.
//
// The test lists the module's files (git's tracked and not-ignored files when git
// is available, else every file under the module root except .git and
// node_modules) and fails, naming file:line, on
//
//   - a mention of a path into the directory beside the checkout that the project
//     was first written from, or of the three reference notes kept there (the API,
//     design and style notes, by their file names; a name preceded by a letter,
//     "_" or "-", such as docs/novu-api.md, is a different file and passes);
//   - a relative link in a Markdown file whose target is not in the repository.
//
// What those notes held now lives in the repository: docs/novu-api.md (Novu's API,
// each fact with its source), README.md and docs/ARCHITECTURE.md (what must hold),
// and third_party/novu/ (Novu's OpenAPI document).
package standalone
