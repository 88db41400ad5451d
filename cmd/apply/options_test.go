package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/novugen/novugen/internal/apply"
	"github.com/novugen/novugen/internal/novu"
)

// Each mistake in flags or environment exits 2 (1 under
// -detailed-exitcode, where 2 means changes pending) before anything is
// written, saying what is wrong and what would be right. Golden:
// testdata/output/TestUsageErrors.txtar, a section per case.
func TestUsageErrors(t *testing.T) {
	h := newCmdHarness(t)
	for _, tt := range []struct {
		name string
		env  []string
		args []string
	}{
		// Names -emulator as the way to run without a key.
		{"missing-key", nil, nil},
		{"malformed-url", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=ht!tp://"}, nil},
		{"url-without-scheme", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=api.novu.co"}, nil},
		{"url-with-credentials", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=https://u:p@api.novu.co"}, nil},
		{"plain-http-off-loopback", []string{"NOVU_SECRET_KEY=x", "NOVU_API_URL=http://api.novu.co"}, nil},
		{"concurrency-0", h.env, []string{"-concurrency", "0"}},
		{"only-unknown", h.env, []string{"-only", "nope"}},
		{"target-twice", h.env, []string{"-to", "Staging,staging"}},
		{"target-is-source", h.env, []string{"-to", "Development"}},
		{"target-unknown", h.env, []string{"-to", "QA"}},
		{"prune-with-only", h.env, []string{"-prune", "-only", "order-shipped"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.env, tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, stderr %q; want 2", r.code, r.stderr)
			}
			h.g.result(tt.name, r)
			r = runCmd(t, tt.env, append(tt.args, "-plan", "-detailed-exitcode")...)
			if r.code != 1 {
				t.Errorf("under -detailed-exitcode: exit %d; want 1", r.code)
			}
		})
	}
	if w := h.srv.Counts().Writes(); w != 0 {
		t.Errorf("usage errors wrote %d times", w)
	}
}

// -emulator needs no key: it starts an emulator, says so, and applies the
// registry to it. Golden: testdata/output/TestEmulatorFlag.txtar.
func TestEmulatorFlag(t *testing.T) {
	g := goldenFor(t)
	r := runCmd(t, nil, "-emulator")
	if r.code != 0 {
		t.Errorf("-emulator: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The emulator's URL is only known from what the run printed.
	g.hide(regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(r.stderr), "$EMULATOR")
	g.result("emulator", r)
}

// -version needs nothing else: no key, no registry, no network.
func TestVersionNeedsNothingElse(t *testing.T) {
	r := runCmd(t, []string{"NOVU_API_URL=http://127.0.0.1:1"}, "-version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "apply: ") || strings.Count(r.stdout, "\n") != 1 || r.stderr != "" || r.summary != "" {
		t.Errorf("-version: exit %d, stdout %q, stderr %q, summary %q; want 0 and one line", r.code, r.stdout, r.stderr, r.summary)
	}
}

// The defaults are written once in code (apply.DefaultConcurrency,
// apply.DefaultTargets, novu.DefaultBaseURL, defaultTimeout); the package
// documentation and README state them in prose, and must state those.
func TestDocsStateTheDefaults(t *testing.T) {
	timeout := strings.TrimSuffix(defaultTimeout.String(), "0s") // 10m0s → 10m
	targets := strings.Join(apply.DefaultTargets, " then ") + ", each if the organization has it"
	for _, file := range []string{"doc.go", filepath.Join("..", "..", "README.md")} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// Prose wraps lines: compare with single spaces, comment marks gone.
		text := regexp.MustCompile(`(?m)^\s*//`).ReplaceAllString(string(data), "")
		text = strings.Join(strings.Fields(text), " ")
		for _, says := range [][]string{ // one of each
			{fmt.Sprintf("1–%d (default %d)", maxConcurrency, apply.DefaultConcurrency)},
			{"(default " + timeout + ")"},
			{"(default " + novu.DefaultBaseURL + ";", "default `" + novu.DefaultBaseURL + "`;"},
			{"Default: " + targets, "default: " + targets},
		} {
			if !slices.ContainsFunc(says, func(s string) bool { return strings.Contains(text, s) }) {
				t.Errorf("%s does not say %q", file, says[0])
			}
		}
	}
}

// -help prints the usage, with the defaults, and exits 0. Golden:
// testdata/output/TestHelp.txtar.
func TestHelp(t *testing.T) {
	g := goldenFor(t)
	r := runCmd(t, nil, "-help")
	if r.code != 0 {
		t.Errorf("-help: exit %d; want 0", r.code)
	}
	g.result("help", r)
}
