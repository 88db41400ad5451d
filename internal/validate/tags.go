package validate

import "strings"

// ReservedTagPrefix starts the ownership tags cmd/apply writes on the
// workflows it creates ("novugen:<owner hash>:<workflowId hash>", and
// "novugen:<owner hash>" before ownership was bound to the workflowId);
// the oldest versions wrote the bare tag "novugen". -prune deletes by these
// tags, so a declaration must not carry one: copied from the dashboard,
// another registry's tag would make that registry's -prune delete this
// workflow, and this registry's own would make a workflow it did not create
// look created by it.
const ReservedTagPrefix = "novugen:"

// ReservedTag reports whether a declared tag has the form of an ownership
// tag. Case is ignored: apply writes lower case only, but a look-alike in
// another case misleads a reader of the dashboard all the same.
func ReservedTag(tag string) bool {
	t := strings.ToLower(tag)
	return t == "novugen" || strings.HasPrefix(t, ReservedTagPrefix)
}

// tags checks the declared tags.
func (c *checker) tags() {
	for _, t := range c.def.Tags {
		if ReservedTag(t) {
			c.add("", `tag %q is reserved: tags "novugen" and "novugen:…" mark the workflows cmd/apply creates, and -prune deletes by them; rename or remove it (a tag copied from the dashboard is the usual source)`, t)
		}
	}
}
