// Package smallfs gives a test a small filesystem of its own, which it can
// fill until writes fail with ENOSPC and then free again: a real full disk
// for the code under test, not a simulation of one.
//
// Mount mounts a tmpfs of the size asked on a fresh directory when the test
// may mount (it runs as root, or with CAP_SYS_ADMIN). Otherwise it uses the
// directory named by SWITCHYARD_SMALL_FS: a small filesystem prepared for
// the tests (.ci/run mounts a 64 MiB tmpfs there when it may use sudo),
// which the tests of every package, each a process of its own, take in
// turn under a file lock, and leave empty. Without either the test is
// skipped, or fails under SWITCHYARD_REQUIRE_TOOLS (as in CI; see
// testenv), so that a machine that cannot run it is noticed.
package smallfs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/testenv"
)

// EnvDir names a prepared small filesystem (see the package comment).
const EnvDir = "SWITCHYARD_SMALL_FS"

// FS is a small filesystem for one test.
type FS struct {
	// Dir is an empty directory on the filesystem, for the test's files.
	Dir    string
	filler string
}

// Mount returns a filesystem of about size bytes for t (see the package
// comment); everything on it goes when t ends.
func Mount(t testing.TB, size int64) *FS {
	t.Helper()
	dir := t.TempDir()
	err := mountTmpfs(dir, size)
	if err == nil {
		t.Cleanup(func() { unmount(dir) })
		return &FS{Dir: dir, filler: filepath.Join(dir, ".filler")}
	}
	shared := os.Getenv(EnvDir)
	if shared == "" {
		testenv.Missing(t, "a small filesystem to fill", "run the test as root (it mounts a tmpfs), or mount a 64 MiB tmpfs writable by you and name it in "+EnvDir,
			fmt.Errorf("cannot mount a tmpfs (%w) and %s is not set", err, EnvDir))
	}
	unlock, lerr := lock(shared)
	if lerr != nil {
		t.Fatalf("smallfs: lock %s: %v", shared, lerr)
	}
	t.Cleanup(unlock)
	own, err := os.MkdirTemp(shared, "test-")
	if err != nil {
		t.Fatalf("smallfs: %s: %v", shared, err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(own) })
	return &FS{Dir: own, filler: filepath.Join(shared, ".filler-"+filepath.Base(own))}
}

// Fill writes a file until the filesystem has no space left.
func (f *FS) Fill(t testing.TB) {
	t.Helper()
	w, err := os.OpenFile(f.filler, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatalf("smallfs: fill: %v", err)
	}
	defer w.Close()
	// Large writes first, then small ones for the last pages.
	for _, size := range []int{1 << 20, 4 << 10, 512} {
		buf := make([]byte, size)
		for {
			if _, err := w.Write(buf); err != nil {
				if errors.Is(err, syscall.ENOSPC) {
					break
				}
				t.Fatalf("smallfs: fill: %v", err)
			}
		}
	}
	_ = w.Sync()
	t.Cleanup(func() { _ = os.Remove(f.filler) })
}

// Free removes what Fill wrote.
func (f *FS) Free(t testing.TB) {
	t.Helper()
	if err := os.Remove(f.filler); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("smallfs: free: %v", err)
	}
}
