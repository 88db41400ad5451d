package apply

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/validate"
	"github.com/novugen/novugen/registry"
)

// OwnerTagPrefix starts every ownership tag. internal/validate reserves the
// form, so a declaration can never carry one.
const OwnerTagPrefix = validate.ReservedTagPrefix

// OwnerTag is "novugen:" and 12 hex digits of a hash of a registry's owner
// (registry.File.Owner: the import path of the generated package). It starts
// every ownership tag of that registry, and it was the whole tag before
// ownership was bound to the workflowId (see WorkflowTag).
func OwnerTag(owner string) string {
	sum := sha256.Sum256([]byte(owner))
	return OwnerTagPrefix + hex.EncodeToString(sum[:6])
}

// WorkflowTag is the ownership tag apply puts on a workflow it creates for
// workflowID: OwnerTag(owner), ":" and 10 hex digits of a hash of the
// workflowId, 31 characters (Novu's dashboard takes tags of up to 32,
// apps/dashboard/src/components/workflow-editor/schema.ts at
// 4fae5061645b550dacf2192ab8e43ed026f04fd9; the API's DTOs set no limit,
// apps/api/src/app/workflows-v2/dtos/workflow-commons.dto.ts at
// e36fb76ac01ab03836c47442a06b39fb4107f1d9).
//
// Binding the workflowId is what makes ownership something a copy does not
// inherit: a copy made in the dashboard or by a script under another
// workflowId keeps the tag, which then names another workflowId, so it is
// not this registry's. A duplicate Novu makes of one of ours when a create
// lands twice is still ours: its workflowId is the original's plus Novu's
// suffix, and its tag binds the original's (see Engine.classify).
func WorkflowTag(owner, workflowID string) string { return boundTag(OwnerTag(owner), workflowID) }

func boundTag(ownerTag, workflowID string) string {
	sum := sha256.Sum256([]byte(workflowID))
	return ownerTag + ":" + hex.EncodeToString(sum[:5])
}

// isOwnershipTag reports whether t has the form of any registry's ownership
// tag: WorkflowTag's, OwnerTag's (before binding), or the bare "novugen" of
// the versions before registries had owners.
func isOwnershipTag(t string) bool { return t == "novugen" || strings.HasPrefix(t, OwnerTagPrefix) }

// withTag returns def with tag added (once, at the end, so the registry's
// order is kept).
func withTag(def registry.Workflow, tag string) registry.Workflow {
	if !slices.Contains(def.Tags, tag) {
		def.Tags = append(slices.Clone(def.Tags), tag)
	}
	return def
}

// tagFor is the tag this registry puts on what it creates for workflowID.
func (e *Engine) tagFor(workflowID string) string { return boundTag(e.tag, workflowID) }

// createdHere reports whether tags say this registry created the workflow
// whose workflowId is workflowID: they hold its tag for that workflowId.
// Its tag from before binding (e.tag alone) does not count, declared or
// not: a copy made in the dashboard keeps it under any workflowId, so it
// cannot tell a workflow created here under this id from a copy that was
// later declared, and trusting it would let -prune delete that copy once
// it left the registry.
func (e *Engine) createdHere(workflowID string, tags []string) bool {
	return slices.Contains(tags, e.tagFor(workflowID))
}

// ownTags is the tags an update of a declared workflow writes beyond the
// declared ones (this registry's own, only when it created the workflow),
// and a warning for each ownership tag the update drops. Keeping another
// registry's tag is what let that registry's -prune delete a workflow
// managed here; keeping this registry's tag for another workflowId would
// make a copy look like ours.
func (e *Engine) ownTags(def registry.Workflow, got []string) (registry.Workflow, []string) {
	own := e.createdHere(def.WorkflowID, got)
	if own {
		def = withTag(def, e.tagFor(def.WorkflowID))
	}
	var warns []string
	for _, t := range got {
		switch {
		case !isOwnershipTag(t) || (own && t == e.tagFor(def.WorkflowID)):
			// Not an ownership tag (an update replaces tags anyway), or
			// this registry's own, kept.
		case t == e.tag:
			warns = append(warns, fmt.Sprintf("drops the ownership tag %q: this registry wrote it before ownership was bound to the workflowId, and a copy made in the dashboard keeps it, so nothing tells whether this workflow was created here under this id; it is managed here, and -prune never deletes it", t))
		case strings.HasPrefix(t, e.tag+":"):
			warns = append(warns, fmt.Sprintf("drops the ownership tag %q: it is this registry's tag for another workflowId, so this workflow is a copy of one this registry created, not one it created; it is managed here, and -prune never deletes it", t))
		default:
			warns = append(warns, fmt.Sprintf("drops the ownership tag %q: another registry wrote it (or this one under an earlier owner, or a version before owners), and if kept it would let that registry's -prune delete a workflow managed here; this registry did not create it, so it gets none of its own and -prune never deletes it", t))
		}
	}
	return def, warns
}

// claim is what a source workflow outside the registry is to this one.
type claim int

const (
	notOurs   claim = iota
	orphan          // created here for its own workflowId, which left the registry
	duplicate       // a suffixed copy Novu made of one of ours when a create landed twice
	unbound         // tagged here before binding, not a duplicate: an orphan or a copy, no telling
	copied          // tagged here for another workflowId: a copy made under a new id
)

// classify says what each source workflow that is not declared is to this
// registry. bases are the workflows a duplicate can be of: the registry's
// (names) and this registry's orphans; a duplicate must carry its base's
// name (Novu copies it, a dashboard copy is usually renamed) and this
// registry's tag for the base (or the tag from before binding).
func (e *Engine) classify(src map[string]novu.WorkflowSummary, names map[string]string) map[string]claimed {
	bases := maps.Clone(names)
	for id, s := range src {
		if _, declared := names[id]; !declared && slices.Contains(s.Tags, e.tagFor(id)) {
			bases[id] = s.Name
		}
	}
	out := map[string]claimed{}
	for id, s := range src {
		if _, declared := names[id]; declared {
			continue
		}
		if slices.Contains(s.Tags, e.tagFor(id)) {
			out[id] = claimed{kind: orphan}
			continue
		}
		if base, ok := e.duplicateBase(s, bases); ok {
			out[id] = claimed{kind: duplicate, of: base}
			continue
		}
		switch {
		case slices.Contains(s.Tags, e.tag):
			out[id] = claimed{kind: unbound}
		case slices.ContainsFunc(s.Tags, func(t string) bool { return strings.HasPrefix(t, e.tag+":") }):
			out[id] = claimed{kind: copied}
		}
	}
	return out
}

type claimed struct {
	kind claim
	of   string // the original, for a duplicate
}

// duplicateBase returns the workflow of bases that s is a duplicate of:
// s's workflowId is the base's with Novu's suffix, s has the base's name,
// and s carries this registry's tag for the base (or the tag from before
// binding, which every workflow of this registry carried).
func (e *Engine) duplicateBase(s novu.WorkflowSummary, bases map[string]string) (string, bool) {
	for _, base := range duplicateBases(s.WorkflowID, s.Name, bases) {
		if slices.Contains(s.Tags, e.tagFor(base)) || slices.Contains(s.Tags, e.tag) {
			return base, true
		}
	}
	return "", false
}

// leftAlone is the note on the workflows that carry this registry's tag
// but that -prune does not delete, so that they are not a silent surprise.
func leftAlone(env string, claims map[string]claimed) string {
	var items []string
	for _, id := range slices.Sorted(maps.Keys(claims)) {
		switch claims[id].kind {
		case copied:
			items = append(items, fmt.Sprintf("%q (its tag names another workflowId: a copy made under a new id)", id))
		case unbound:
			items = append(items, fmt.Sprintf("%q (tagged before ownership was bound to the workflowId, so it cannot be told from a copy)", id))
		}
	}
	if len(items) == 0 {
		return ""
	}
	return fmt.Sprintf("%s holds workflows with this registry's ownership tag that are not pruned, since this registry did not create them under their workflowId: %s; delete them in the dashboard if they are not wanted",
		env, strings.Join(items, ", "))
}
