package importer_test

import (
	"context"
	"testing"

	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/importer"
	"github.com/novugen/novugen/internal/novu"
	"github.com/novugen/novugen/internal/testenv"
	"github.com/novugen/novugen/novutest"
)

// seeded creates the entries in a fresh emulator's Development and reads
// them back as import would.
func seeded(t *testing.T, entries ...novu.CreateRequest) []novu.Workflow {
	t.Helper()
	srv := testenv.Emulator(t, novutest.Options{})
	c, err := novu.New(novu.Config{BaseURL: srv.URL(), Key: novu.Secret(srv.Key("Development"))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out []novu.Workflow
	for _, e := range entries {
		if _, err := c.CreateWorkflow(ctx, e); err != nil {
			t.Fatal(err)
		}
		w, err := c.GetWorkflow(ctx, e.WorkflowID, "")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *w)
	}
	return out
}

func TestExamplesSmoke(t *testing.T) {
	reg, err := gen.Registry()
	if err != nil {
		t.Fatal(err)
	}
	var reqs []novu.CreateRequest
	for _, w := range reg.Workflows {
		reqs = append(reqs, novu.NewCreateRequest(w))
	}
	files, errs := importer.Import(seeded(t, reqs...), "workflows", map[string]bool{})
	for _, e := range errs {
		t.Error(e)
	}
	for _, f := range files {
		t.Logf("%s\n%s\n%v", f.Name, f.Source, f.Notes)
	}
}
