package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	vcs := func(rev, time, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}, {Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: time}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "117d5293fd28a264cb24fcd95427954ed0f8538e"
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"a checkout with uncommitted changes",
			debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/novugen/novugen", Version: "v0.0.0-20261127100000-117d5293fd28+dirty"}, Settings: vcs(rev, "2026-11-27T10:00:00Z", "true")},
			"apply: github.com/novugen/novugen v0.0.0-20261127100000-117d5293fd28+dirty, revision " + rev + " of 2026-11-27T10:00:00Z (modified), go1.26.8"},
		{"a clean checkout",
			debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/novugen/novugen", Version: "(devel)"}, Settings: vcs(rev, "", "false")},
			"apply: github.com/novugen/novugen (devel), revision " + rev + ", go1.26.8"},
		{"a release from the module proxy",
			debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/novugen/novugen", Version: "v1.2.3", Sum: "h1:abc="}},
			"apply: github.com/novugen/novugen v1.2.3, no VCS revision recorded (go run, -buildvcs=false and builds as a dependency record none), go1.26.8"},
		{"a tool through a replace directive",
			debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/novugen/novugen", Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "../novugen"}}},
			"apply: github.com/novugen/novugen v0.0.0-00010101000000-000000000000 => ../novugen, no VCS revision recorded (go run, -buildvcs=false and builds as a dependency record none), go1.26.8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := format("apply", &tc.info); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// The line of the running binary (a test binary here) names the module and
// the go version the build information holds.
func TestLine(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("the test binary carries no build information")
	}
	got := Line("novugen")
	if !strings.HasPrefix(got, "novugen: "+info.Main.Path) || !strings.HasSuffix(got, ", "+info.GoVersion) {
		t.Errorf("Line = %q; want the main module %q and %s", got, info.Main.Path, info.GoVersion)
	}
}
