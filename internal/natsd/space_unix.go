//go:build linux || darwin || freebsd

package natsd

import "syscall"

// diskSpace reads the free and total space of the filesystem holding dir.
func diskSpace(dir string) (space, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return space{}, err
	}
	bs := uint64(st.Bsize) // int64 on linux, uint32 on darwin
	return space{free: int64(uint64(st.Bavail) * bs), total: int64(uint64(st.Blocks) * bs)}, nil
}
