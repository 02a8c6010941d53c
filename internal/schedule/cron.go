package schedule

import (
	"math/bits"
	"time"
)

// cron is a parsed cron(...) expression. Each list field is a bitset of
// offsets from the field's minimum (minute m is bit m, month m is bit m-1,
// year y is bit y-1970). The two day fields are one of several kinds, and
// exactly one of them is dayAny.
type cron struct {
	expr    string
	minutes bitset
	hours   bitset
	months  bitset
	years   bitset
	dom     days
	dow     days
}

var _ Schedule = (*cron)(nil)

// bitset holds up to 256 small integers: enough for the 230 cron years.
type bitset [4]uint64

func (s *bitset) add(i int)      { s[i>>6] |= 1 << (i & 63) }
func (s *bitset) has(i int) bool { return i >= 0 && i < 256 && s[i>>6]&(1<<(i&63)) != 0 }

// next returns the smallest member >= from.
func (s *bitset) next(from int) (int, bool) {
	if from < 0 {
		from = 0
	}
	for w := from >> 6; w < len(s); w++ {
		x := s[w]
		if w == from>>6 {
			x &= ^uint64(0) << (from & 63)
		}
		if x != 0 {
			return w<<6 + bits.TrailingZeros64(x), true
		}
	}
	return 0, false
}

// dayKind says how a day field selects days.
type dayKind uint8

const (
	dayAny            dayKind = iota // "?": the other day field decides
	daySet                           // a list: set holds day-of-month or weekday offsets
	dayLast                          // day-of-month "L"
	dayLastWeekday                   // day-of-month "LW"
	dayNearestWeekday                // day-of-month "nW": day is n
	dayLastOf                        // day-of-week "dL": weekday is d
	dayNth                           // day-of-week "d#n": weekday is d, nth is n
)

type days struct {
	kind    dayKind
	set     bitset
	day     int // dayNearestWeekday
	weekday int // dayLastOf, dayNth: 1 = SUN ... 7 = SAT
	nth     int // dayNth
}

// month is what day matching needs to know about one calendar month.
type month struct {
	last  int          // number of days
	first time.Weekday // weekday of the 1st
}

func monthOf(y int, m time.Month) month {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return month{
		last:  first.AddDate(0, 1, -1).Day(),
		first: first.Weekday(),
	}
}

// weekday returns the AWS weekday number of day d: 1 = SUN ... 7 = SAT.
func (mo month) weekday(d int) int {
	return (int(mo.first)+d-1)%7 + 1
}

// isWorkday reports whether day d falls Monday to Friday.
func (mo month) isWorkday(d int) bool {
	wd := mo.weekday(d)
	return wd != 1 && wd != 7
}

// nearestWorkday is the day "nW" selects: n itself on a workday, else the
// nearer of the Friday before and the Monday after, staying inside the month
// (Quartz's rule: 1W on a Saturday is Monday the 3rd, and a Sunday last day
// moves back to Friday).
func (mo month) nearestWorkday(n int) int {
	switch mo.weekday(n) {
	case 7: // SAT
		if n == 1 {
			return 3
		}
		return n - 1
	case 1: // SUN
		if n == mo.last {
			return n - 2
		}
		return n + 1
	}
	return n
}

// matches reports whether day d of month mo is selected by c's day fields.
func (c *cron) matches(mo month, d int) bool {
	if c.dom.kind != dayAny {
		switch c.dom.kind {
		case daySet:
			return c.dom.set.has(d - 1)
		case dayLast:
			return d == mo.last
		case dayLastWeekday:
			return d == mo.nearestWorkday(mo.last)
		case dayNearestWeekday:
			return c.dom.day <= mo.last && d == mo.nearestWorkday(c.dom.day)
		}
		return false
	}
	wd := mo.weekday(d)
	switch c.dow.kind {
	case daySet:
		return c.dow.set.has(wd - 1)
	case dayLastOf:
		return wd == c.dow.weekday && d+7 > mo.last
	case dayNth:
		return wd == c.dow.weekday && (d-1)/7+1 == c.dow.nth
	}
	return false
}

func (c *cron) String() string { return c.expr }

// Next walks from the minute after t and, at each level from year down to
// minute, jumps to the next allowed value, resetting the levels below. Only
// days are tried one by one, at most 31 per month, so even an expression
// that never fires (31 FEB) costs a bounded scan of months up to 2199.
func (c *cron) Next(t time.Time) (time.Time, bool) {
	t = t.UTC()
	if !t.Before(horizon) {
		return time.Time{}, false
	}
	var y, d, h, mi int
	var m time.Month
	if t.Year() < minYear {
		y, m, d = minYear, time.January, 1
	} else {
		t = t.Truncate(time.Minute).Add(time.Minute)
		y, m, d = t.Date()
		h, mi = t.Hour(), t.Minute()
	}
	for y <= maxYear {
		if !c.years.has(y - minYear) {
			next, ok := c.years.next(y - minYear)
			if !ok {
				return time.Time{}, false
			}
			y, m, d, h, mi = next+minYear, time.January, 1, 0, 0
			continue
		}
		if !c.months.has(int(m) - 1) {
			next, ok := c.months.next(int(m) - 1)
			if !ok {
				y, m, d, h, mi = y+1, time.January, 1, 0, 0
				continue
			}
			m, d, h, mi = time.Month(next+1), 1, 0, 0
			continue
		}
		mo := monthOf(y, m)
		day := d
		for day <= mo.last && !c.matches(mo, day) {
			day++
		}
		if day > mo.last {
			y, m, d, h, mi = nextMonth(y, m)
			continue
		}
		if day != d {
			d, h, mi = day, 0, 0
		}
		hour, ok := c.hours.next(h)
		if !ok || hour > 23 {
			d, h, mi = d+1, 0, 0
			continue
		}
		if hour != h {
			h, mi = hour, 0
		}
		minute, ok := c.minutes.next(mi)
		if !ok || minute > 59 {
			h, mi = h+1, 0
			if h > 23 {
				d, h = d+1, 0
			}
			continue
		}
		return time.Date(y, m, d, h, minute, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// nextMonth returns midnight on the first of the month after y-m.
func nextMonth(y int, m time.Month) (int, time.Month, int, int, int) {
	if m == time.December {
		return y + 1, time.January, 1, 0, 0
	}
	return y, m + 1, 1, 0, 0
}
