//go:build !linux

package smallfs

import "errors"

func mountTmpfs(string, int64) error { return errors.New("tmpfs mounts are a Linux feature") }

func unmount(string) {}

func lock(string) (func(), error) {
	return nil, errors.New("the shared small filesystem is supported on Linux only")
}

// Available is unknown here.
func (f *FS) Available() int64 { return -1 }
