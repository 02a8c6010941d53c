package schedule

import (
	"errors"
	"testing"
	"time"
)

// fuzzTime maps a fuzzed integer onto 1960..2210, around the schedule range,
// with sub-minute parts so truncation is exercised.
func fuzzTime(n int64) time.Time {
	const lo, span = -315619200, 7889184000 // 1960-01-01 and 250 years of seconds
	m := n % span
	if m < 0 {
		m += span
	}
	return time.Unix(lo+m, ((n>>3)&0x3fffffff)%1e9).UTC()
}

// FuzzParse: Parse never panics, rejects with ErrInvalid, and a schedule it
// accepts round-trips through String and only ever moves forward to whole
// minutes in UTC. Seeds live in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, expr := range append(append([]string{}, awsValid...), awsInvalid...) {
		f.Add(expr, int64(0))
	}
	f.Fuzz(func(t *testing.T, expr string, n int64) {
		s, err := Parse(expr)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse(%q) = %v, not ErrInvalid", expr, err)
			}
			return
		}
		if s.String() != expr {
			t.Fatalf("String() = %q, want %q", s.String(), expr)
		}
		again, err := Parse(s.String())
		if err != nil || again.String() != expr {
			t.Fatalf("Parse(String()) = %v, %v", again, err)
		}
		if len(expr) > MaxLength {
			t.Fatalf("accepted %d bytes", len(expr))
		}
		at := fuzzTime(n)
		for range 3 {
			next, ok := s.Next(at)
			if !ok {
				if !at.Before(horizon) {
					return
				}
				// No firing: nothing later may fire either.
				if later, ok := s.Next(at.Add(time.Hour)); ok {
					t.Fatalf("%s: Next(%v) = none but Next(+1h) = %v", expr, at, later)
				}
				return
			}
			if !next.After(at) || next.Location() != time.UTC || next.Second() != 0 || next.Nanosecond() != 0 {
				t.Fatalf("%s: Next(%v) = %v: not a later whole UTC minute", expr, at, next)
			}
			if !next.Before(horizon) {
				t.Fatalf("%s: Next(%v) = %v, past 2199", expr, at, next)
			}
			// Next is stable: asking from just before the firing finds it.
			if again, ok := s.Next(next.Add(-time.Nanosecond)); !ok || !again.Equal(next) {
				t.Fatalf("%s: Next(%v - 1ns) = %v, %v; want %v", expr, next, again, ok, next)
			}
			at = next
		}
	})
}

// FuzzCronReference: where both this package and the naive reference accept
// a cron expression, Next agrees with a minute-by-minute scan of the next
// three days.
func FuzzCronReference(f *testing.F) {
	for _, tc := range cronSequences {
		f.Add(tc.expr, mustTimeF(tc.from).Unix())
	}
	f.Fuzz(func(t *testing.T, expr string, n int64) {
		s, err := Parse(expr)
		if err != nil {
			return
		}
		ref, err := refParse(expr)
		if err != nil {
			return
		}
		at := fuzzTime(n)
		next, ok := s.Next(at)
		end := at.Add(72 * time.Hour)
		for m := at.Truncate(time.Minute).Add(time.Minute); !m.After(end); m = m.Add(time.Minute) {
			if m.Year() > maxYear {
				break
			}
			if ref.matches(m) {
				if !ok || !next.Equal(m) {
					t.Fatalf("%s: Next(%v) = %v, %v; reference says %v", expr, at, next, ok, m)
				}
				return
			}
		}
		if ok && !next.After(end) {
			t.Fatalf("%s: Next(%v) = %v, but the reference finds nothing", expr, at, next)
		}
	})
}

func mustTimeF(s string) time.Time {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return v
}
