package novutest_test

import (
	"testing"

	"github.com/novugen/novugen/novutest"
)

// BenchmarkUpdateAndSync measures the requests behind one apply of one
// workflow: update in Development, then sync to Staging.
func BenchmarkUpdateAndSync(b *testing.B) {
	srv := novutest.NewServer(novutest.Options{})
	b.Cleanup(srv.Close)
	stg := srv.Environments()[1].ID
	if r := doB(b, srv, "POST", "/v2/workflows", createBody("wf", "WF")); r != 201 {
		b.Fatalf("create: %d", r)
	}
	upd, sync := updateBody("WF"), map[string]any{"targetEnvironmentId": stg}
	for b.Loop() {
		if r := doB(b, srv, "PUT", "/v2/workflows/wf", upd); r != 200 {
			b.Fatalf("update: %d", r)
		}
		if r := doB(b, srv, "PUT", "/v2/workflows/wf/sync", sync); r != 200 {
			b.Fatalf("sync: %d", r)
		}
	}
	b.ReportMetric(float64(srv.Counts().Total())/float64(b.N), "requests/op")
}
