package generate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
)

// owned lists the files in dir that novugen wrote: registry.json,
// CATALOG.md and the .go files that start with its header. Files anyone else put there are left alone.
func owned(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		name := e.Name()
		if name == JSONFile || name == CatalogFile || strings.HasSuffix(name, ".go") && hasHeader(filepath.Join(dir, name)) {
			names = append(names, name)
		}
	}
	return names, nil
}

func hasHeader(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false
	}
	return strings.TrimRight(line, "\r\n") == Header
}

// Write puts files into dir, rewriting only those that changed, and removes
// the files novugen wrote earlier that are no longer generated.
func Write(dir string, files map[string][]byte) error {
	old, err := owned(dir)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range sortedNames(files) {
		path := filepath.Join(dir, name)
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, files[name]) {
			continue
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	for _, name := range old {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Diff compares files with dir and returns a diff of every file that is
// missing, different, or left over; empty when dir is up to date. Paths in
// it are shown as display (the -out directory as given).
func Diff(dir, display string, files map[string][]byte) ([]byte, error) {
	old, err := owned(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	names := sortedNames(files)
	for _, name := range old {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var out bytes.Buffer
	for _, name := range names {
		path := filepath.ToSlash(filepath.Join(display, name))
		cur, err := os.ReadFile(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(&out, "%s: missing\n", path)
			out.Write(diff.Diff(path+" (missing)", nil, path+" (generated)", files[name]))
		case err != nil:
			return nil, err
		default:
			want, generated := files[name]
			if !generated {
				fmt.Fprintf(&out, "%s: no longer generated\n", path)
			} else if !bytes.Equal(cur, want) {
				fmt.Fprintf(&out, "%s: stale\n", path)
			}
			out.Write(diff.Diff(path, cur, path+" (generated)", want))
		}
	}
	return out.Bytes(), nil
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
