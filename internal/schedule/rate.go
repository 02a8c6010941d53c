package schedule

import (
	"math"
	"strings"
	"time"
)

// rate is a rate(value unit) schedule: firings at anchor + k*period, k >= 1.
// Both are whole Unix seconds, the anchor a whole minute, so every firing is
// minute-aligned without rounding.
type rate struct {
	expr   string
	anchor int64
	period int64
}

var _ Schedule = (*rate)(nil)

// rateUnits maps each unit AWS accepts to its length in seconds. The singular
// form is valid only for the value 1 and the plural only for other values.
var rateUnits = map[string]struct {
	seconds  int64
	singular bool
}{
	"minute":  {60, true},
	"minutes": {60, false},
	"hour":    {3600, true},
	"hours":   {3600, false},
	"day":     {86400, true},
	"days":    {86400, false},
}

// minAnchor and maxAnchor bound ParseAt's anchor so that Next's arithmetic in
// Unix seconds cannot overflow.
var (
	minAnchor = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	maxAnchor = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
)

func parseRate(expr, body string, anchor time.Time) (*rate, error) {
	value, unit, ok := strings.Cut(body, " ")
	if !ok {
		return nil, invalidf("rate %q is not \"value unit\"", body)
	}
	n, ok := parseNumber(value, math.MaxInt32)
	if !ok || n == 0 {
		return nil, invalidf("rate value %q is not an integer from 1 to %d", value, math.MaxInt32)
	}
	u, ok := rateUnits[unit]
	if !ok {
		return nil, invalidf("rate unit %q is not one of minute(s), hour(s), day(s)", unit)
	}
	if u.singular != (n == 1) {
		return nil, invalidf("rate unit %q does not agree with value %d", unit, n)
	}
	if anchor.Before(minAnchor) || !anchor.Before(maxAnchor) {
		return nil, invalidf("rate anchor %v is outside years 1 to 9999", anchor)
	}
	a := anchor.Unix()
	a -= mod(a, 60)
	return &rate{expr: expr, anchor: a, period: int64(n) * u.seconds}, nil
}

func (r *rate) String() string { return r.expr }

func (r *rate) Next(t time.Time) (time.Time, bool) {
	end := horizon.Unix()
	if !t.Before(horizon) {
		return time.Time{}, false
	}
	// Before the anchor the answer is the first firing; clamping also keeps
	// the subtraction below in range for any t.
	s := max(t.Unix(), r.anchor)
	k := (s-r.anchor)/r.period + 1
	next := r.anchor + k*r.period
	if next >= end {
		return time.Time{}, false
	}
	return time.Unix(next, 0).UTC(), true
}

// mod is the non-negative remainder, for anchors before 1970.
func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// parseNumber parses a non-empty run of ASCII digits, leading zeros allowed,
// whose value is at most limit.
func parseNumber(s string, limit int) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > limit {
			return 0, false
		}
	}
	return n, true
}
