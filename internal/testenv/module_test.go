package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ModuleTempDir's directory is under the package's testdata while the test
// runs, and gone when the test ends, with testdata if it made it.
func TestModuleTempDir(t *testing.T) {
	_, err := os.Stat("testdata")
	hadTestdata := err == nil
	var dir string
	t.Run("in use", func(t *testing.T) {
		dir = ModuleTempDir(t, "probe")
		if !strings.HasPrefix(filepath.ToSlash(dir), "testdata/tmp-probe-") {
			t.Errorf("dir %s, want testdata/tmp-probe-…", dir)
		}
		if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s after the test: %v, want it removed", dir, err)
	}
	if _, err := os.Stat("testdata"); hadTestdata == os.IsNotExist(err) {
		t.Errorf("testdata was there before the test: %v; after it: %v", hadTestdata, err)
	}
}
