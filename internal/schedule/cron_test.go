package schedule

import (
	"testing"
	"time"
)

// never marks the end of a sequence: Next must report false after the
// previous firing.
const never = "never"

// The calendar facts behind these sequences were worked out by counting
// weekdays from a known first of the month (each comment names it) and
// cross-checked with GNU date(1): for example `date -d 2024-03-31 +%a` is Sun.
// Leap years: divisible by 4, except centuries not divisible by 400 (2000 is,
// 2100 is not).
var cronSequences = []struct {
	expr string
	from string
	want []string
}{
	// Every quarter hour across the leap day: 23:45 has passed, so the next is
	// midnight of March 1st (2024 is a leap year, so Feb 29 came first).
	{"cron(0/15 * * * ? *)", "2024-02-29T23:50:30Z", []string{
		"2024-03-01T00:00", "2024-03-01T00:15", "2024-03-01T00:30"}},
	// Strictly after: a firing time itself is not returned again.
	{"cron(0 20 * * ? *)", "2024-02-28T20:00:00Z", []string{
		"2024-02-29T20:00", "2024-03-01T20:00"}},
	// Seconds and below are dropped before stepping one minute on.
	{"cron(* * * * ? *)", "2024-01-01T10:00:59.999Z", []string{
		"2024-01-01T10:01", "2024-01-01T10:02"}},
	// Lists: 14:05 and 14:35 every day.
	{"cron(5,35 14 * * ? *)", "2024-01-01T14:05:00Z", []string{
		"2024-01-01T14:35", "2024-01-02T14:05"}},
	// Range with step: minutes 10, 25, 40.
	{"cron(10-40/15 * * * ? *)", "2024-01-01T00:00:00Z", []string{
		"2024-01-01T00:10", "2024-01-01T00:25", "2024-01-01T00:40", "2024-01-01T01:10"}},
	// Wrapping minutes 50-10/5: 50, 55, 0, 5, 10.
	{"cron(50-10/5 3 * * ? *)", "2024-01-01T03:07:00Z", []string{
		"2024-01-01T03:10", "2024-01-01T03:50", "2024-01-01T03:55", "2024-01-02T03:00"}},
	// Wrapping hours 22-2 run over midnight and over the leap day.
	{"cron(0 22-2 * * ? *)", "2024-02-28T21:00:00Z", []string{
		"2024-02-28T22:00", "2024-02-28T23:00", "2024-02-29T00:00", "2024-02-29T01:00",
		"2024-02-29T02:00", "2024-02-29T22:00"}},
	// Day-of-month step 1/10 is days 1, 11, 21, 31; February has no 31st.
	{"cron(0 0 1/10 * ? *)", "2024-01-31T00:00:00Z", []string{
		"2024-02-01T00:00", "2024-02-11T00:00", "2024-02-21T00:00", "2024-03-01T00:00"}},
	// The 31st skips every 30-day month and February.
	{"cron(0 0 31 * ? *)", "2024-01-31T00:00:00Z", []string{
		"2024-03-31T00:00", "2024-05-31T00:00", "2024-07-31T00:00", "2024-08-31T00:00"}},
	// Feb 29 only in leap years: after 2024 the next is 2028.
	{"cron(0 0 29 2 ? *)", "2024-03-01T00:00:00Z", []string{"2028-02-29T00:00", "2032-02-29T00:00"}},
	// 2100 is not a leap year, so from 2096 the next Feb 29 is 2104.
	{"cron(0 0 29 2 ? *)", "2096-03-01T00:00:00Z", []string{"2104-02-29T00:00"}},
	// L is the last day of the month: 29 in leap February, 30 and 31 after.
	{"cron(0 0 L * ? *)", "2024-01-31T00:00:00Z", []string{
		"2024-02-29T00:00", "2024-03-31T00:00", "2024-04-30T00:00"}},
	{"cron(0 0 L 2 ? *)", "2099-03-01T00:00:00Z", []string{"2100-02-28T00:00", "2101-02-28T00:00"}},
	{"cron(0 0 L 2 ? *)", "1999-03-01T00:00:00Z", []string{"2000-02-29T00:00"}},
	// LW, last weekday. 2024-02-29 is a Thursday (Feb 1 Thu + 28 days).
	// 2024-03-31 is a Sunday (Mar 1 Fri + 30), so Friday the 29th.
	// 2024-04-30 is a Tuesday (Apr 1 Mon + 29). 2024-05-31 is a Friday.
	// 2024-06-30 is a Sunday (Jun 1 Sat + 29): Friday the 28th.
	// 2024-08-31 is a Saturday (Aug 1 Thu + 30): Friday the 30th.
	{"cron(0 12 LW * ? *)", "2024-02-01T00:00:00Z", []string{
		"2024-02-29T12:00", "2024-03-29T12:00", "2024-04-30T12:00", "2024-05-31T12:00",
		"2024-06-28T12:00", "2024-07-31T12:00", "2024-08-30T12:00"}},
	// 1W: 2024-06-01 is a Saturday, and W does not cross back into May, so
	// Monday the 3rd. 2024-07-01 is a Monday, 2024-08-01 a Thursday.
	{"cron(0 9 1W * ? *)", "2024-05-15T00:00:00Z", []string{
		"2024-06-03T09:00", "2024-07-01T09:00", "2024-08-01T09:00"}},
	// 1W when the 1st is a Sunday (2026-02-01): Monday the 2nd.
	{"cron(0 9 1W * ? *)", "2026-01-15T00:00:00Z", []string{"2026-02-02T09:00"}},
	// 15W: 2024-06-15 is a Saturday -> Friday the 14th; 2024-09-15 is a
	// Sunday (Sep 1 Sun + 14) -> Monday the 16th. July 15 and Aug 15 2024
	// are Monday and Thursday.
	{"cron(0 9 15W * ? *)", "2024-06-01T00:00:00Z", []string{
		"2024-06-14T09:00", "2024-07-15T09:00", "2024-08-15T09:00", "2024-09-16T09:00"}},
	// 31W: a Sunday last day (2024-03-31) moves back to Friday the 29th; 30-day
	// months do not fire; 2024-05-31 is a Friday, 2024-07-31 a Wednesday,
	// 2024-08-31 a Saturday -> Friday the 30th.
	{"cron(0 9 31W * ? *)", "2024-03-01T00:00:00Z", []string{
		"2024-03-29T09:00", "2024-05-31T09:00", "2024-07-31T09:00", "2024-08-30T09:00"}},
	// Weekday ranges: 2024-08-01 is a Thursday; FRI-MON wraps over the weekend.
	{"cron(0 12 ? * FRI-MON *)", "2024-08-01T00:00:00Z", []string{
		"2024-08-02T12:00", "2024-08-03T12:00", "2024-08-04T12:00", "2024-08-05T12:00",
		"2024-08-09T12:00"}},
	{"cron(0/30 8-9 ? * MON-FRI *)", "2024-08-02T09:45:00Z", []string{
		"2024-08-05T08:00", "2024-08-05T08:30", "2024-08-05T09:00", "2024-08-05T09:30",
		"2024-08-06T08:00"}},
	// L alone in day-of-week is SAT: Saturdays after Thursday 2024-08-01.
	{"cron(0 0 ? * L *)", "2024-08-01T00:00:00Z", []string{"2024-08-03T00:00", "2024-08-10T00:00"}},
	// 6L, the last Friday: 2024-02-29 is a Thursday so the 23rd; 2024-03-29;
	// 2024-04-30 is a Tuesday so the 26th; 2024-05-31 is a Friday.
	{"cron(0 0 ? * 6L *)", "2024-02-01T00:00:00Z", []string{
		"2024-02-23T00:00", "2024-03-29T00:00", "2024-04-26T00:00", "2024-05-31T00:00"}},
	// AWS's example, limited to 2002-2005: the last Friday of December 2005
	// is the 30th (Dec 1 Thu + 29), and then the year range has ended.
	{"cron(15 10 ? * 6L 2002-2005)", "2005-12-01T00:00:00Z", []string{"2005-12-30T10:15", never}},
	{"cron(15 10 ? * 6L 2002-2005)", "2026-01-01T00:00:00Z", []string{never}},
	// SAT#3, the third Saturday: June 1 2024 is a Saturday -> the 15th; the
	// first Saturday of August 2024 is the 3rd -> the 17th.
	{"cron(0 2 ? * SAT#3 *)", "2024-06-01T00:00:00Z", []string{
		"2024-06-15T02:00", "2024-07-20T02:00", "2024-08-17T02:00"}},
	// MON#5 needs a month with five Mondays: 2024-01-01, 2024-04-01 and
	// 2024-07-01 are Mondays, so the 29th of each; Feb, Mar, May and June 2024
	// have four Mondays.
	{"cron(0 0 ? * MON#5 *)", "2024-01-01T00:00:00Z", []string{
		"2024-01-29T00:00", "2024-04-29T00:00", "2024-07-29T00:00"}},
	// A fifth Sunday in February needs a leap year whose Feb 29 is a Sunday:
	// 2004, 2032, 2060 (the 28-year cycle).
	{"cron(0 0 ? FEB 1#5 *)", "2005-01-01T00:00:00Z", []string{"2032-02-29T00:00", "2060-02-29T00:00"}},
	// AWS's example: every 5 minutes at 05:xx on SUN-THU in January 2022.
	// 2022-01-01 is a Saturday, so Sunday the 2nd is first; 2022-01-31 is a
	// Monday and the last match of the year range.
	{"cron(0/5 5 ? JAN 1-5 2022)", "2021-12-31T00:00:00Z", []string{
		"2022-01-02T05:00", "2022-01-02T05:05"}},
	{"cron(0/5 5 ? JAN 1-5 2022)", "2022-01-31T05:50:00Z", []string{"2022-01-31T05:55", never}},
	// Month wrap NOV-FEB crosses the year.
	{"cron(0 0 1 NOV-FEB ? *)", "2024-02-15T00:00:00Z", []string{
		"2024-11-01T00:00", "2024-12-01T00:00", "2025-01-01T00:00", "2025-02-01T00:00",
		"2025-11-01T00:00"}},
	// Month step */5: January, June, November.
	{"cron(0 0 1 */5 ? *)", "2024-01-01T00:00:00Z", []string{
		"2024-06-01T00:00", "2024-11-01T00:00", "2025-01-01T00:00"}},
	// Year step 2020/3: 2020, 2023, 2026.
	{"cron(0 0 1 1 ? 2020/3)", "2024-06-01T00:00:00Z", []string{"2026-01-01T00:00", "2029-01-01T00:00"}},
	// */50 years: 1970, 2020, 2070, 2120, 2170; 2220 is out of range.
	{"cron(0 0 1 1 ? */50)", "2120-01-01T00:00:00Z", []string{"2170-01-01T00:00", never}},
	// Before 1970 the first firing is in 1970.
	{"cron(0 0 1 1 ? *)", "1900-06-01T00:00:00Z", []string{"1970-01-01T00:00", "1971-01-01T00:00"}},
	// The horizon: the last minute of 2199.
	{"cron(59 23 31 12 ? *)", "2199-12-31T23:58:00Z", []string{"2199-12-31T23:59", never}},
	{"cron(* * * * ? *)", "2200-01-01T00:00:00Z", []string{never}},
	// Never: February has no 30th. Next scans to 2199 and gives up.
	{"cron(0 0 30 2 ? *)", "2024-01-01T00:00:00Z", []string{never}},
	// Day 31 in a month list of 30-day months never fires either.
	{"cron(0 0 31 APR,JUN,SEP,NOV ? *)", "2024-01-01T00:00:00Z", []string{never}},
}

func TestCronNext(t *testing.T) {
	for _, tc := range cronSequences {
		s, err := Parse(tc.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.expr, err)
			continue
		}
		at := mustTime(t, tc.from)
		for i, want := range tc.want {
			got, ok := s.Next(at)
			if want == never {
				if ok {
					t.Errorf("%s: Next(%v) = %v, want none", tc.expr, at, got)
				}
				break
			}
			if !ok || !got.Equal(mustTime(t, want+":00Z")) || got.Location() != time.UTC {
				t.Errorf("%s: firing %d after %s: Next(%v) = %v, %v; want %s UTC",
					tc.expr, i, tc.from, at, got, ok, want)
				break
			}
			at = got
		}
	}
}

// TestCronNextConvertsToUTC checks that t's zone does not matter: cron is UTC.
func TestCronNextConvertsToUTC(t *testing.T) {
	s, err := Parse("cron(0 20 * * ? *)")
	if err != nil {
		t.Fatal(err)
	}
	tokyo := time.FixedZone("JST", 9*3600)
	// 2024-03-01 04:30 in Tokyo is 2024-02-29 19:30 UTC.
	got, ok := s.Next(time.Date(2024, 3, 1, 4, 30, 0, 0, tokyo))
	want := time.Date(2024, 2, 29, 20, 0, 0, 0, time.UTC)
	if !ok || !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Next = %v, %v; want %v", got, ok, want)
	}
}

// TestCronNextNeverIsBounded: an expression that never fires is answered by
// a month-by-month scan to 2199, which must stay cheap.
func TestCronNextNeverIsBounded(t *testing.T) {
	s, err := Parse("cron(* * 31 FEB ? *)")
	if err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(10, func() {
		if _, ok := s.Next(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
			t.Fatal("Feb 31 fired")
		}
	})
	if n != 0 {
		t.Errorf("Next allocates %v times per call, want 0", n)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func BenchmarkCronNext(b *testing.B) {
	for _, expr := range []string{
		"cron(0/5 8-17 ? * MON-FRI *)",
		"cron(0 2 ? * SAT#3 *)",
		"cron(0 0 29 2 ? *)",
		"cron(0 0 30 2 ? *)",
	} {
		b.Run(expr, func(b *testing.B) {
			s, err := Parse(expr)
			if err != nil {
				b.Fatal(err)
			}
			at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			b.ReportAllocs()
			for b.Loop() {
				s.Next(at)
			}
		})
	}
}
