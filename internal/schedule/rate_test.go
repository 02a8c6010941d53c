package schedule

import (
	"testing"
	"time"
)

func TestRateNext(t *testing.T) {
	anchor := time.Date(2024, 2, 28, 23, 17, 42, 500, time.UTC) // truncated to 23:17
	tests := []struct {
		expr string
		from time.Time
		want []string
	}{
		// The first firing is one period after the anchor, never at it.
		{"rate(1 minute)", anchor, []string{"2024-02-28T23:18", "2024-02-28T23:19"}},
		{"rate(1 minute)", anchor.Add(-time.Hour), []string{"2024-02-28T23:18"}},
		// Firings keep the anchor's phase: 23:17 + 5k minutes.
		{"rate(5 minutes)", time.Date(2024, 2, 28, 23, 59, 0, 0, time.UTC), []string{
			"2024-02-29T00:02", "2024-02-29T00:07"}},
		// Exactly at a firing: strictly after means the following one.
		{"rate(5 minutes)", time.Date(2024, 2, 28, 23, 22, 0, 0, time.UTC), []string{"2024-02-28T23:27"}},
		// A second into a period still waits for the period's end.
		{"rate(5 minutes)", time.Date(2024, 2, 28, 23, 22, 1, 0, time.UTC), []string{"2024-02-28T23:27"}},
		// Hours and days cross the leap day and month end by elapsed time.
		{"rate(1 hour)", anchor, []string{"2024-02-29T00:17", "2024-02-29T01:17"}},
		{"rate(1 day)", anchor, []string{"2024-02-29T23:17", "2024-03-01T23:17", "2024-03-02T23:17"}},
		{"rate(7 days)", anchor, []string{"2024-03-06T23:17", "2024-03-13T23:17"}},
		// The horizon applies to rate too.
		{"rate(1 day)", time.Date(2199, 12, 30, 23, 17, 0, 0, time.UTC), []string{"2199-12-31T23:17", never}},
		{"rate(1 minute)", time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), []string{never}},
	}
	for _, tc := range tests {
		s, err := ParseAt(tc.expr, anchor)
		if err != nil {
			t.Fatalf("ParseAt(%q): %v", tc.expr, err)
		}
		at := tc.from
		for i, want := range tc.want {
			got, ok := s.Next(at)
			if want == never {
				if ok {
					t.Errorf("%s: Next(%v) = %v, want none", tc.expr, at, got)
				}
				break
			}
			if !ok || !got.Equal(mustTime(t, want+":00Z")) || got.Location() != time.UTC {
				t.Errorf("%s from %v: firing %d = %v, %v; want %s", tc.expr, tc.from, i, got, ok, want)
				break
			}
			at = got
		}
	}
}

// TestParseRateAnchorsAtEpoch: Parse's anchor is 1970-01-01T00:00Z, so
// rate(1 hour) fires on the hour and rate(5 minutes) on multiples of five.
func TestParseRateAnchorsAtEpoch(t *testing.T) {
	for expr, want := range map[string]string{
		"rate(1 hour)":     "2024-06-01T11:00",
		"rate(5 minutes)":  "2024-06-01T10:35",
		"rate(1 day)":      "2024-06-02T00:00",
		"rate(90 minutes)": "2024-06-01T12:00", // 2024-06-01 is day 19875; 19875*1440 is a multiple of 90
	} {
		s, err := Parse(expr)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := s.Next(time.Date(2024, 6, 1, 10, 33, 0, 0, time.UTC))
		if !ok || !got.Equal(mustTime(t, want+":00Z")) {
			t.Errorf("%s: Next = %v, %v; want %s", expr, got, ok, want)
		}
	}
}

// TestRateAnchorBefore1970 checks the arithmetic for negative Unix anchors.
func TestRateAnchorBefore1970(t *testing.T) {
	anchor := time.Date(1960, 1, 1, 0, 0, 30, 0, time.UTC)
	s, err := ParseAt("rate(7 minutes)", anchor)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(1960, 1, 1, 0, 20, 0, 0, time.UTC)
	got, ok := s.Next(from)
	// 00:00 + 7k: 00:21 is the first after 00:20.
	if want := time.Date(1960, 1, 1, 0, 21, 0, 0, time.UTC); !ok || !got.Equal(want) {
		t.Errorf("Next(%v) = %v, %v; want %v", from, got, ok, want)
	}
}

// TestRateLargest: the largest value is accepted and simply never comes due.
func TestRateLargest(t *testing.T) {
	s, err := ParseAt("rate(2147483647 days)", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Next(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Errorf("Next = %v, want none before 2200", got)
	}
}
