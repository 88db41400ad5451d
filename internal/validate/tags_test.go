package validate

import (
	"strings"
	"testing"

	"github.com/novugen/novugen/registry"
)

// A declared tag that looks like an ownership tag would let another
// registry's -prune take the workflow for its own (or make this one's take
// a workflow it did not create), so the form is reserved: "novugen" alone
// (the oldest scheme) and anything starting with "novugen:", in any case.
func TestDeclaredTagsMustNotLookLikeOwnershipTags(t *testing.T) {
	reserved := func(tag string) Finding {
		return wf(`tag "` + tag + `" is reserved: tags "novugen" and "novugen:…" mark the workflows cmd/apply creates, and -prune deletes by them; rename or remove it (a tag copied from the dashboard is the usual source)`)
	}
	runRows(t, []row{
		{"current scheme", func(d *registry.Workflow) { d.Tags = []string{"orders", "novugen:0123456789ab"} }, []Finding{reserved("novugen:0123456789ab")}},
		{"bound scheme", func(d *registry.Workflow) { d.Tags = []string{"novugen:0123456789ab:0123456789"} }, []Finding{reserved("novugen:0123456789ab:0123456789")}},
		{"oldest scheme", func(d *registry.Workflow) { d.Tags = []string{"novugen"} }, []Finding{reserved("novugen")}},
		{"any case", func(d *registry.Workflow) { d.Tags = []string{"NovuGen:x"} }, []Finding{reserved("NovuGen:x")}},
		{"prefix alone", func(d *registry.Workflow) { d.Tags = []string{"novugen:"} }, []Finding{reserved("novugen:")}},
		{"look-alikes are fine", func(d *registry.Workflow) { d.Tags = []string{"novugen-team", "novugenx", "ops:novugen", "novu"} }, nil},
	})
	for _, tag := range []string{"novugen", "novugen:", "NOVUGEN:abc", "novugen:0123456789ab:0123456789"} {
		if !ReservedTag(tag) {
			t.Errorf("ReservedTag(%q) = false", tag)
		}
	}
	for _, tag := range []string{"", "novugen-", "novugen_x", "xnovugen:", "orders"} {
		if ReservedTag(tag) {
			t.Errorf("ReservedTag(%q) = true", tag)
		}
	}
	if !strings.HasPrefix(ReservedTagPrefix, "novugen:") {
		t.Errorf("ReservedTagPrefix = %q", ReservedTagPrefix)
	}
}
