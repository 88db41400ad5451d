// Package sources digests the Go packages a registry was generated from,
// so that cmd/apply can tell a registry file that go generate did not
// rewrite after the declarations changed. cmd/novugen records a digest per
// package directory in the registry (registry.Sources); cmd/apply recomputes
// them from the files beside the registry. Both call Digest, so they agree
// by construction.
//
// A package's digest covers every .go file of its directory except
// _test.go files (and names starting with "." or "_", which the go command
// ignores too), whatever their build constraints, and the files it embeds.
// A Go file counts by its tokens, not its bytes: comments, blank lines,
// indentation and line endings (a checkout with CRLF) do not change it,
// since none of them changes what go generate writes. Nothing in a digest
// depends on the time, the machine or where the module is checked out.
package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/novugen/novugen/registry"
)

// maxFile bounds each file read for a digest. Reading is what the check
// is, and a file that large is not a declaration or a template.
const maxFile = 64 << 20

// version starts every digest, so that a change to what a digest covers
// can never match a digest made the old way.
const version = "novugen sources v1\n"

// Digest returns the lowercase hex SHA-256 of the package in dir (an OS
// path): its Go files and embeds, slash paths relative to dir.
func Digest(dir string, embeds []string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	io.WriteString(h, version)
	for _, e := range entries { // sorted by name
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		src, err := read(filepath.Join(dir, name))
		if errors.Is(err, errNotRegular) {
			continue // a directory or device named x.go is no source file
		}
		if err != nil {
			return "", err
		}
		field(h, "go")
		field(h, name)
		field(h, tokens(src))
	}
	for _, e := range slices.Compact(slices.Sorted(slices.Values(embeds))) {
		data, err := read(filepath.Join(dir, filepath.FromSlash(e)))
		if err != nil {
			return "", fmt.Errorf("embedded file %s: %w", e, err)
		}
		sum := sha256.Sum256(data)
		field(h, "embed")
		field(h, e)
		field(h, hex.EncodeToString(sum[:]))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// field writes s length-prefixed, so no two sequences of fields hash the
// same bytes.
func field(h hash.Hash, s string) {
	io.WriteString(h, strconv.Itoa(len(s)))
	io.WriteString(h, ":")
	io.WriteString(h, s)
}

// tokens digests a Go file's token stream: each token's kind and literal.
// The scanner drops comments, and the carriage returns of raw strings as
// the compiler does; an automatic semicolon has the literal "\n" however
// the line ended. A file that does not scan still digests deterministically:
// the scanner goes on with ILLEGAL tokens.
func tokens(src []byte) string {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", fset.Base(), len(src)), src, nil, 0)
	h := sha256.New()
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		field(h, strconv.Itoa(int(tok)))
		field(h, lit)
	}
	return hex.EncodeToString(h.Sum(nil))
}

var errNotRegular = errors.New("not a regular file")

// read reads a regular file (following a symbolic link, as the go command
// does) of at most maxFile bytes. A device or a named pipe is refused
// before it is opened, so that a registry naming one cannot make the check
// block or read forever.
func read(name string) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	if fi.Size() > maxFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, maxFile>>20)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, maxFile>>20)
	}
	return data, nil
}

// Outcome is what Check found.
type Outcome struct {
	// Checked is false when the sources are not beside the registry (it
	// was copied elsewhere, or records none); Why then says what is
	// missing.
	Checked bool
	Why     string
	// Stale names, for a checked registry, each package whose files no
	// longer match, with what changed; empty when the registry is fresh.
	Stale []string
}

// Check compares the sources that s records with the files beside the
// registry file, which is in the directory regDir. They are there when
// regDir joined with s.Root holds a go.mod: then every package must be
// present and match its digest. An error is a file that is there but
// cannot be read.
func Check(regDir string, s *registry.Sources) (Outcome, error) {
	if s == nil {
		return Outcome{Why: "it records no sources (it was written outside its module, or by an older novugen)"}, nil
	}
	root := filepath.Join(regDir, filepath.FromSlash(s.Root))
	if fi, err := os.Stat(filepath.Join(root, "go.mod")); err != nil || !fi.Mode().IsRegular() {
		return Outcome{Why: fmt.Sprintf("its module is not beside it (no go.mod in %s, the module root it records as %q)", root, s.Root)}, nil
	}
	out := Outcome{Checked: true}
	for _, p := range s.Packages {
		dir := filepath.Join(root, filepath.FromSlash(p.Dir))
		// registry.Parse refused such paths already; this holds for a
		// Sources built some other way too.
		if !local(p.Dir) || slices.ContainsFunc(p.Embeds, func(e string) bool { return !local(e) }) {
			return Outcome{}, fmt.Errorf("package %q: a path that leaves the module", p.Dir)
		}
		got, err := Digest(dir, p.Embeds)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out.Stale = append(out.Stale, missing(err))
		case err != nil:
			return Outcome{}, fmt.Errorf("package %s: %w", dir, err)
		case got != p.SHA256:
			out.Stale = append(out.Stale, fmt.Sprintf("%s changed", dir))
		}
	}
	return out, nil
}

// missing words a not-exist error for a stale message.
func missing(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path + " is gone"
	}
	return err.Error()
}

// local reports whether p, a slash path from a registry, stays below the
// directory it is relative to on this system ("." is the directory).
func local(p string) bool {
	return p == "." || filepath.IsLocal(filepath.FromSlash(p))
}
