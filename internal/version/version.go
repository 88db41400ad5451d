// Package version says which build of a novugen command is running, for
// their -version flag: the module and its version, and the VCS revision the
// go command stamped into the binary, from runtime/debug.ReadBuildInfo.
package version

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Line is what -version prints for the command named cmd: one line, e.g.
//
//	apply: github.com/novugen/novugen (devel), revision 117d5293fd28a264cb24fcd95427954ed0f8538e (modified), go1.26.8
//
// The module is the build's main module (novugen itself, also when it is
// built as a tool of another module), with the replacement a replace
// directive made. "(modified)" says the working tree had uncommitted
// changes. A build without VCS information says so: go run and
// -buildvcs=false record none, and neither does a build of novugen as a
// dependency (go tool in another module), where the version (from the
// module proxy, checksummed) or the replacement tells the source instead.
func Line(cmd string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return cmd + ": no build information in this binary"
	}
	return format(cmd, info)
}

func format(cmd string, info *debug.BuildInfo) string {
	m := info.Main
	mod := m.Path
	if mod == "" {
		mod = "(unknown module)"
	}
	if m.Version != "" {
		mod += " " + m.Version
	}
	if r := m.Replace; r != nil {
		mod += " => " + r.Path
		if r.Version != "" {
			mod += " " + r.Version
		}
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev := "no VCS revision recorded (go run, -buildvcs=false and builds as a dependency record none)"
	if r := settings["vcs.revision"]; r != "" {
		rev = "revision " + r
		if t := settings["vcs.time"]; t != "" {
			rev += " of " + t
		}
		if settings["vcs.modified"] == "true" {
			rev += " (modified)"
		}
	}
	parts := []string{mod, rev}
	if info.GoVersion != "" {
		parts = append(parts, info.GoVersion)
	}
	return fmt.Sprintf("%s: %s", cmd, strings.Join(parts, ", "))
}
