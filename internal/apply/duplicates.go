package apply

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/registry"
)

// Novu makes a workflowId that is in use unique instead of refusing it
// (docs/novu-api.md §5), appending "-" and a short id:
//
//   - current servers: generateUniqueIdentifier tries the id, then twice
//     id-shortId(), then answers 400 "Unable to generate a unique
//     identifier" (libs/application-generic/src/usecases/create-workflow/
//     create-workflow.usecase.ts at 4fae5061645b550dacf2192ab8e43ed026f04fd9);
//     shortId(length = 4) draws from 0123456789abcdefghijklmnopqrstuvwxyz
//     with nanoid's customAlphabet (libs/application-generic/src/utils/
//     generate-id.ts at aca20df7b0167aa02dd5cf507ff0ba7bef4a0de3);
//   - older servers appended shortid.generate() once (the same use case at
//     74a2e9a6a295cd5a17aa9806914b4574fecce737): 7 to 14 characters of
//     [A-Za-z0-9_-], which may themselves hold "-".
var suffixForms = []*regexp.Regexp{
	regexp.MustCompile(`^[0-9a-z]{4}$`),
	regexp.MustCompile(`^[A-Za-z0-9_-]{7,14}$`),
}

func isSuffix(s string) bool {
	return slices.ContainsFunc(suffixForms, func(re *regexp.Regexp) bool { return re.MatchString(s) })
}

// duplicateBases lists the workflowIds of names that id, named name, can
// be a suffixed copy of, the longest first: id is the base, "-" and a
// suffix of either form, and name is the base's name (Novu copies it; a
// copy named otherwise is someone's, so order-refund is not a copy of
// order). An id of names never is one.
func duplicateBases(id, name string, names map[string]string) []string {
	if _, declared := names[id]; declared {
		return nil
	}
	var out []string
	for i := len(id) - 1; i > 0; i-- {
		if id[i] != '-' || !isSuffix(id[i+1:]) {
			continue
		}
		if want, ok := names[id[:i]]; ok && want == name {
			out = append(out, id[:i])
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return out
}

// duplicateOf returns the workflowId of names that id, named name, is a
// suffixed copy of (see duplicateBases).
func duplicateOf(id, name string, names map[string]string) (string, bool) {
	if bases := duplicateBases(id, name, names); len(bases) > 0 {
		return bases[0], true
	}
	return "", false
}

// noUniqueIdentifier is the start of Novu's 400 when the workflowId and
// both suffixed tries are taken.
const noUniqueIdentifier = "Unable to generate a unique identifier"

// createFailure turns a create's error into a Failure. Novu's 400 for want
// of a unique identifier is reworded to say what it means here: this run
// read 404 for the workflowId, so something created it meanwhile.
func createFailure(def registry.Workflow, err error) *Failure {
	f := failure(def.WorkflowID, "create", "", err).inStep(def)
	var apiErr *novu.APIError
	if errors.As(err, &apiErr) && apiErr.Status == 400 &&
		slices.ContainsFunc(apiErr.Message, func(m string) bool { return strings.Contains(m, noUniqueIdentifier) }) {
		f.Step = ""
		f.Message = fmt.Sprintf("Novu refused to create %q (%q): a workflow with workflowId %q already exists although this run read 404 for it (another run, or someone in the dashboard, created it meanwhile), and both suffixed workflowIds Novu tried in its place were taken too; nothing was created: re-run (apply reads before it creates) and check the plan for %q and suffixed duplicates of it",
			def.WorkflowID, strings.Join(apiErr.Message, "; "), def.WorkflowID, def.WorkflowID)
	}
	return f
}
