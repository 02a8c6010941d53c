package natsd

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nats-io/nats-server/v2/server/sysmem"
)

// StoreLimit is how much JetStream may store (Config.MaxStore): a number of
// bytes, or a share of what is available when the server starts.
type StoreLimit struct {
	Bytes   int64   // > 0: this many bytes
	Percent float64 // with Bytes 0: this share, in percent, of the space available at start
}

// DefaultStoreShare is the share used when Config.MaxStore is zero:
// three quarters of the space available at start (nats-server's own default
// rule, made explicit so that it is reported, and kept the same when the
// server is restarted after a failure).
//
// A fixed number would be wrong for a small volume and a large one alike. The
// quarter left over is for what the limit does not count: the filesystem's
// blocks and metadata, nats-server's index and consumer state files, the
// tombstones it writes when messages are removed, the copy of a block it
// writes while compacting it, and other users of the disk.
const DefaultStoreShare = 75

// ParseStoreLimit reads a limit: "75%" (a share of the space available at
// start), or a size in bytes with an optional unit: "512MiB", "10GB", "1.5G",
// "1048576". Units: B, K/KB (1000), KiB (1024), M/MB, MiB, G/GB, GiB, T/TB,
// TiB; a single letter is decimal, as nats-server reads them.
func ParseStoreLimit(s string) (StoreLimit, error) {
	s = strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(s, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v <= 0 || v > 100 || math.IsNaN(v) {
			return StoreLimit{}, fmt.Errorf("%w: %q: a share must be more than 0%% and at most 100%%", ErrConfig, s)
		}
		return StoreLimit{Percent: v}, nil
	}
	num := strings.TrimRightFunc(s, func(r rune) bool { return r >= 'A' && r <= 'z' })
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	mult, ok := map[string]float64{
		"": 1, "B": 1,
		"K": 1e3, "KB": 1e3, "KIB": 1 << 10,
		"M": 1e6, "MB": 1e6, "MIB": 1 << 20,
		"G": 1e9, "GB": 1e9, "GIB": 1 << 30,
		"T": 1e12, "TB": 1e12, "TIB": 1 << 40,
	}[unit]
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !ok || err != nil || v <= 0 || math.IsNaN(v) || v*mult >= math.MaxInt64 {
		return StoreLimit{}, fmt.Errorf("%w: %q is neither a size (512MiB, 10GB) nor a share (75%%)", ErrConfig, s)
	}
	b := int64(v * mult)
	if b < 1 {
		return StoreLimit{}, fmt.Errorf("%w: %q is less than a byte", ErrConfig, s)
	}
	return StoreLimit{Bytes: b}, nil
}

// String formats the limit as ParseStoreLimit reads it.
func (l StoreLimit) String() string {
	switch {
	case l.Bytes > 0:
		return strconv.FormatInt(l.Bytes, 10)
	case l.Percent > 0:
		return strconv.FormatFloat(l.Percent, 'f', -1, 64) + "%"
	}
	return strconv.Itoa(DefaultStoreShare) + "%"
}

// resolve turns the limit into bytes. available is the space the store may
// grow into: for a file store, the filesystem's free space plus what the
// store directory already holds (so the limit does not shrink at each
// restart by what was stored before), for a memory store the machine's
// memory.
func (l StoreLimit) resolve(available func() (int64, error)) (int64, error) {
	if l.Bytes > 0 {
		return l.Bytes, nil
	}
	pct := l.Percent
	if pct <= 0 {
		pct = DefaultStoreShare
	}
	avail, err := available()
	if err != nil {
		return 0, err
	}
	b := int64(float64(avail) * pct / 100)
	if b < 1 {
		return 0, fmt.Errorf("natsd: max store %s of %d bytes available is nothing", l, avail)
	}
	return b, nil
}

// fileAvailable is the space a file store under dir may use: the free space
// of its filesystem plus what dir already holds.
func fileAvailable(dir string) (int64, error) {
	sp, err := diskSpace(dir)
	if err != nil {
		return 0, fmt.Errorf("natsd: free space of %s: %w", dir, err)
	}
	return sp.free + dirSize(dir), nil
}

// memoryAvailable is the machine's memory, as nats-server measures it.
func memoryAvailable() (int64, error) {
	if m := sysmem.Memory(); m > 0 {
		return m, nil
	}
	return 0, errors.New("natsd: the machine's memory is unknown: give the max store in bytes")
}

// dirSize adds up the sizes of the regular files under dir (0 if it does
// not exist).
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished or unreadable: not counted
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// space is what statfs says of a filesystem.
type space struct {
	free  int64 // bytes an unprivileged writer may still use
	total int64
}

// formatBytes writes a size for people: "12.3 MiB".
func formatBytes(b int64) string {
	const unit = 1024
	if b < unit {
		return strconv.FormatInt(b, 10) + " B"
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit && exp < 4; n /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(b)/float64(div), 'f', 1, 64) + " " + string("KMGTP"[exp]) + "iB"
}
