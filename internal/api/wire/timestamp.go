package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Timestamp is a model timestamp. On the wire it is epoch seconds as a JSON
// number, with at most millisecond precision on output (1767268800 or
// 1767268800.123, never a string and never in exponent notation). On input
// it also accepts an ISO 8601 / RFC 3339 string, which some clients send.
type Timestamp struct{ time.Time }

// maxEpochSeconds bounds accepted numeric timestamps (year 5138), far
// beyond any useful value and well inside float64 microsecond precision.
const maxEpochSeconds = 1e11

// MarshalJSON writes the time as epoch seconds, truncated to milliseconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	neg := ms < 0
	if neg {
		if ms == math.MinInt64 {
			return nil, errors.New("wire: timestamp out of range")
		}
		ms = -ms
	}
	b := make([]byte, 0, 24)
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		d := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
		b = append(b, bytes.TrimRight(d, "0")...)
	}
	return b, nil
}

// isoLayouts are the string forms accepted on input, tried in order.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700", // offset without colon
	"2006-01-02T15:04:05.999999999",      // no zone: UTC
	"20060102T150405Z",                   // ISO 8601 basic
	"2006-01-02T15:04Z07:00",
	"2006-01-02",
}

// UnmarshalJSON accepts a JSON number of (possibly fractional) epoch
// seconds or an ISO 8601 / RFC 3339 string. null leaves t unchanged.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errors.New("wire: empty timestamp")
	}
	switch c := data[0]; {
	case string(data) == "null":
		return nil
	case c == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("wire: invalid timestamp %s", data)
		}
		for _, layout := range isoLayouts {
			if v, err := time.Parse(layout, s); err == nil {
				t.Time = v
				return nil
			}
		}
		return fmt.Errorf("wire: invalid timestamp %q: want epoch seconds or RFC 3339", s)
	case c == '-' || (c >= '0' && c <= '9'):
		if !json.Valid(data) {
			return fmt.Errorf("wire: invalid timestamp %s", data)
		}
		f, err := strconv.ParseFloat(string(data), 64)
		if err != nil || math.Abs(f) > maxEpochSeconds {
			return fmt.Errorf("wire: timestamp %s out of range", data)
		}
		t.Time = time.UnixMicro(int64(math.Round(f * 1e6))).UTC()
		return nil
	}
	return fmt.Errorf("wire: invalid timestamp %s: want a number or a string", data)
}
