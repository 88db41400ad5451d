package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/testenv"
)

// BenchmarkGenerate200 generates the registry of 200 synthetic workflows,
// each with its own payload type and three steps, with a warm build cache:
// the probe's go run dominates.
func BenchmarkGenerate200(b *testing.B) {
	dir := testenv.ModuleTempDir(b, "bench")
	var src strings.Builder
	src.WriteString("package bench\n\nimport \"github.com/novugen/novugen/dsl\"\n")
	for i := range 200 {
		fmt.Fprintf(&src, `
type Payload%[1]d struct {
	OrderID string `+"`json:\"orderId\"`"+`
	Amount  int    `+"`json:\"amount,omitempty\"`"+`
}

var Workflow%[1]d = dsl.Define[Payload%[1]d]("workflow-%[1]d", dsl.Settings{Name: "Workflow %[1]d", Active: dsl.Active},
	dsl.InApp("notice", "Notice", dsl.InAppControls{Body: "Order {{payload.orderId}}"}),
	dsl.Delay("wait", "Wait", dsl.DelayControls{Amount: 1, Unit: dsl.Hours}),
	dsl.Email("email", "Email", dsl.EmailControls{Subject: "Order {{payload.orderId}}", Body: "{{payload.amount}}"}),
)
`, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "bench.go"), []byte(src.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "gen")
	args := []string{"-out", out, "./" + filepath.ToSlash(dir)}
	if code := run(b.Context(), args, nil, io.Discard, os.Stderr); code != 0 { // warms the build cache
		b.Fatalf("exit status %d", code)
	}
	for b.Loop() {
		if code := run(b.Context(), args, nil, io.Discard, os.Stderr); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
}
