package testenv

import (
	"os"
	"testing"
)

// ModuleTempDir makes a directory for a package a test writes, inside this
// module so that the package's imports of the module resolve, and under the
// test's testdata so that ./... never sees it. name starts the directory's
// name, so that one a killed test leaves behind says whose it is. The
// directory is removed when the test ends, and testdata with it when
// nothing else is left in it. Not for parallel tests of a package without
// a testdata of its own: one's cleanup could remove testdata between the
// other's making it and making its directory in it.
func ModuleTempDir(tb testing.TB, name string) string {
	tb.Helper()
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		tb.Fatal(err)
	}
	dir, err := os.MkdirTemp("testdata", "tmp-"+name+"-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		os.RemoveAll(dir)
		os.Remove("testdata") // fails, as it should, while anything is left in it
	})
	return dir
}
