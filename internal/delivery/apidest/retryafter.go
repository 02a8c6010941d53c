package apidest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps a Retry-After: beyond the longest MaximumEventAgeInSeconds
// (24 h) every value means the same thing, and the cap keeps durations from
// overflowing.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// (RFC 9110 section 10.2.3). A negative number of seconds is AWS's "stop
// retrying" and comes back as -1s; a date in the past means "now" (0). ok is
// false for anything else, which callers ignore.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if c := v[0]; c == '-' || c == '+' || (c >= '0' && c <= '9') {
		neg := c == '-'
		digits := v
		if c == '-' || c == '+' {
			digits = v[1:]
		}
		if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
			return 0, false
		}
		if neg {
			if strings.Trim(digits, "0") == "" {
				return 0, true // -0
			}
			return -time.Second, true
		}
		n, err := strconv.ParseUint(digits, 10, 64)
		if err != nil || n > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true // too large to parse is still "a long time"
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d = t.Sub(now)
	switch {
	case d < 0:
		return 0, true
	case d > maxRetryAfter:
		return maxRetryAfter, true
	}
	return d, true
}
