//go:build !(linux || darwin || freebsd)

package natsd

import "errors"

// diskSpace is unknown here: the store's filesystem is not watched, and a
// full disk is noticed only when a write fails.
func diskSpace(string) (space, error) {
	return space{}, errors.New("free space not available on this system")
}
