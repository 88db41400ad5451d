package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/gen"
	"github.com/novugen/novugen/internal/generate"
)

// TestRepositoryRegistryIsFresh runs novugen -check on the repository's own
// workflows: gen/ must be what go generate writes (so a fresh clone's go
// generate leaves git status clean), the examples must draw no warning, and
// the registry must hold exactly the workflows gen lists (gen.IDs, which
// the workflows package's tests bind to the declarations in its source), so
// a workflow declared later is held to it without this test naming it.
func TestRepositoryRegistryIsFresh(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"-check", "-out", "../../gen", "../../workflows"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("novugen -check: exit status %d; run go generate ./...\n%s", code, stderr.String())
	}
	if stdout.Len() > 0 || stderr.Len() > 0 {
		t.Errorf("novugen -check printed, want nothing:\n%s%s", stdout.String(), stderr.String())
	}

	data, err := os.ReadFile("../../gen/" + generate.JSONFile)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := dsl.ParseRegistry(data)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, w := range reg.Workflows {
		ids = append(ids, w.WorkflowID)
	}
	if len(gen.IDs) == 0 {
		t.Fatal("gen.IDs is empty; the repository declares its example workflows")
	}
	if diff := cmp.Diff(gen.IDs, ids); diff != "" {
		t.Errorf("workflowIds in gen/%s (-want +got):\n%s", generate.JSONFile, diff)
	}
}
