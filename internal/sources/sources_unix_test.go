//go:build unix

package sources

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestDigestNeverReadsDevicesOrPipes: a registry names the files to read
// (its embeds) and the directories to list; a named pipe or a link to
// /dev/zero there must neither block nor read forever.
func TestDigestNeverReadsDevicesOrPipes(t *testing.T) {
	dir := write(t, t.TempDir(), map[string]string{"order.go": order})
	want, err := Digest(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.go"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.go")); err != nil {
		t.Fatal(err)
	}
	if got, err := Digest(dir, nil); err != nil || got != want {
		t.Errorf("with a pipe and a device named *.go: %s, %v; want them skipped", got, err)
	}
	for _, embed := range []string{"pipe.go", "zero.go"} {
		if _, err := Digest(dir, []string{embed}); !errors.Is(err, errNotRegular) {
			t.Errorf("embed %s: error %v, want %v", embed, err, errNotRegular)
		}
	}
}
