package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/novugen/novugen/dsl"
	"github.com/novugen/novugen/internal/generate"
)

// TestRepositoryRegistryIsFresh runs novugen -check on the repository's own
// workflows: gen/ must be what go generate writes (so a fresh clone's go
// generate leaves git status clean), the examples must draw no warning, and
// the registry must hold exactly the three example workflows.
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
	if diff := cmp.Diff([]string{"order-shipped", "payout-initiated", "weekly-digest"}, ids); diff != "" {
		t.Errorf("workflowIds in gen/%s (-want +got):\n%s", generate.JSONFile, diff)
	}
}
