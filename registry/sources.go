package registry

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Sources are the Go packages a registry was generated from: the packages
// that declare its workflows and every package of the same module they
// import (payload types, shared templates), except novugen's own.
type Sources struct {
	// Root is the module root, relative to the directory that holds the
	// registry file, in slash form: ".." for gen/registry.json.
	Root string `json:"root"`
	// Packages are sorted by Dir.
	Packages []SourcePackage `json:"packages"`
}

// SourcePackage is one package directory and the digest of what in it can
// change the registry.
type SourcePackage struct {
	// Dir is the package's directory relative to Sources.Root, in slash
	// form ("." for the module root).
	Dir string `json:"dir"`
	// Embeds are the files the package embeds with //go:embed, relative
	// to Dir, sorted.
	Embeds []string `json:"embeds,omitempty"`
	// SHA256 is the digest, in lowercase hex, of the directory's Go files
	// (not _test.go) and of Embeds; cmd/novugen and cmd/apply compute it
	// the same way.
	SHA256 string `json:"sha256"`
}

// check refuses a Sources that would make cmd/apply read outside the
// module it names: Root only climbs ("..", "../.."), and every Dir and
// embedded file is a clean relative path below it.
func (s *Sources) check() error {
	if s == nil {
		return nil
	}
	if !climbs(s.Root) {
		return fmt.Errorf("root %q is not \".\" or a climb such as \"..\" or \"../..\"", s.Root)
	}
	for i, p := range s.Packages {
		if err := localSlash(p.Dir, true); err != nil {
			return fmt.Errorf("packages[%d]: dir %q %w", i, p.Dir, err)
		}
		for _, e := range p.Embeds {
			if err := localSlash(e, false); err != nil {
				return fmt.Errorf("packages[%d] (%q): embed %q %w", i, p.Dir, e, err)
			}
		}
		if len(p.SHA256) != 64 || strings.Trim(p.SHA256, "0123456789abcdef") != "" {
			return fmt.Errorf("packages[%d] (%q): sha256 %q is not 64 lowercase hexadecimal digits", i, p.Dir, p.SHA256)
		}
		if i > 0 && s.Packages[i-1].Dir >= p.Dir {
			return fmt.Errorf("packages[%d]: dir %q is not after %q: packages are sorted by dir, each once", i, p.Dir, s.Packages[i-1].Dir)
		}
	}
	return nil
}

// climbs reports whether root is "." or only ".." segments.
func climbs(root string) bool {
	if root == "." {
		return true
	}
	for seg := range strings.SplitSeq(root, "/") {
		if seg != ".." {
			return false
		}
	}
	return true
}

var errNotLocal = errors.New("is not a clean relative path in slash form inside the module")

// localSlash reports whether p is a clean, relative, slash-separated path
// that stays below its base ("." allowed for a directory).
func localSlash(p string, dir bool) error {
	switch {
	case p == "." && dir:
		return nil
	case p == "", p == ".", strings.HasPrefix(p, "/"), strings.Contains(p, `\`),
		path.Clean(p) != p, p == "..", strings.HasPrefix(p, "../"):
		return errNotLocal
	}
	return nil
}
