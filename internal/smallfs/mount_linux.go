package smallfs

import (
	"os"
	"strconv"
	"syscall"
)

func mountTmpfs(dir string, size int64) error {
	return syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "size="+strconv.FormatInt(size, 10))
}

func unmount(dir string) {
	_ = syscall.Unmount(dir, syscall.MNT_DETACH)
}

// lock takes an exclusive lock on the shared directory, waiting for the
// tests of other processes that hold it.
func lock(dir string) (func(), error) {
	f, err := os.OpenFile(dir+"/.smallfs.lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// Available is the space still free on the filesystem, in bytes.
func (f *FS) Available() int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(f.Dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * st.Bsize
}
