package apidest

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"120", 120 * time.Second, true},
		{" 5 ", 5 * time.Second, true},
		{"+3", 3 * time.Second, true},
		{"-1", -time.Second, true},
		{"-86400", -time.Second, true},
		{"-0", 0, true},
		{"99999999999999999999999", maxRetryAfter, true},
		{"86401", maxRetryAfter, true},
		{"1.5", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"abc", 0, false},
		{"12abc", 0, false},
		{"Sun, 22 Nov 2026 09:01:00 GMT", time.Minute, true},       // IMF-fixdate
		{"Sunday, 22-Nov-26 09:00:30 GMT", 30 * time.Second, true}, // RFC 850
		{"Sun Nov 22 09:00:10 2026", 10 * time.Second, true},       // asctime
		{"Sun, 22 Nov 2026 08:00:00 GMT", 0, true},                 // past: now
		{"Sun, 22 Nov 2036 08:00:00 GMT", maxRetryAfter, true},
		{"Sun, 32 Nov 2026 08:00:00 GMT", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for _, s := range []string{"0", "120", "-1", "-0", "+7", "1.5", "Sun, 22 Nov 2026 09:01:00 GMT", "Sun Nov 22 09:00:10 2026", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if !ok && d != 0 {
			t.Fatalf("%q: rejected but %v", s, d)
		}
		if d > maxRetryAfter || (d < 0 && d != -time.Second) {
			t.Fatalf("%q: out of range %v", s, d)
		}
		if _, err := http.ParseTime(s); err == nil && d < 0 {
			t.Fatalf("%q: a date gave %v", s, d)
		}
	})
}
