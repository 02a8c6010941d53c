package schedule

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// refCron is a deliberately naive second implementation of cron matching,
// written from AWS's field table rather than from the package code: it
// decides one minute at a time whether the expression fires, with every
// calendar question (last day, weekday, nth occurrence) answered by the time
// package, and it has its own parser. Comparing a minute-by-minute scan with
// Next over a window checks the search, the parser and the day rules at once.
type refCron struct {
	minute, hour, month, year func(int) bool
	day                       func(time.Time) bool
}

var refMonths = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
	"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var refDays = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

func refParse(expr string) (*refCron, error) {
	inner, ok := strings.CutPrefix(expr, "cron(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return nil, fmt.Errorf("not cron")
	}
	f := strings.Split(strings.ToUpper(strings.TrimSuffix(inner, ")")), " ")
	if len(f) != 6 {
		return nil, fmt.Errorf("fields")
	}
	r := &refCron{}
	var err error
	if r.minute, err = refList(f[0], 0, 59, nil, true); err != nil {
		return nil, err
	}
	if r.hour, err = refList(f[1], 0, 23, nil, true); err != nil {
		return nil, err
	}
	if r.month, err = refList(f[3], 1, 12, refMonths, true); err != nil {
		return nil, err
	}
	if r.year, err = refList(f[5], 1970, 2199, nil, false); err != nil {
		return nil, err
	}
	dom, dow := f[2], f[4]
	switch {
	case dom == "?" && dow != "?":
		r.day, err = refDOW(dow)
	case dow == "?" && dom != "?":
		r.day, err = refDOM(dom)
	default:
		err = fmt.Errorf("day fields")
	}
	return r, err
}

// refList returns a predicate for a list field. Membership in a (possibly
// wrapping) stepped range is decided arithmetically: v is in lo-hi/step iff
// its distance from lo, counted around the field, is within the range and a
// multiple of the step.
func refList(s string, lo, hi int, names map[string]int, wraps bool) (func(int) bool, error) {
	num := func(t string) (int, error) {
		if v, ok := names[t]; ok {
			return v, nil
		}
		v, err := strconv.Atoi(t)
		if err != nil || v < lo || v > hi || strings.ContainsAny(t, "+-") {
			return 0, fmt.Errorf("value %q", t)
		}
		return v, nil
	}
	var preds []func(int) bool
	for _, item := range strings.Split(s, ",") {
		step := 1
		if i := strings.Index(item, "/"); i >= 0 {
			n, err := strconv.Atoi(item[i+1:])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("step %q", item)
			}
			step, item = n, item[:i]+"-"+"END"
			if strings.Count(item, "-") == 2 { // "a-b/n"
				item = strings.TrimSuffix(item, "-END")
			}
		}
		var a, b int
		var err error
		switch {
		case item == "*" || item == "*-END":
			a, b = lo, hi
		case strings.Contains(item, "-"):
			x, y, _ := strings.Cut(item, "-")
			if a, err = num(x); err != nil {
				return nil, err
			}
			if y == "END" {
				b = hi
			} else if b, err = num(y); err != nil {
				return nil, err
			}
		default:
			if a, err = num(item); err != nil {
				return nil, err
			}
			b = a
		}
		span := hi - lo + 1
		length := b - a
		if length < 0 {
			if !wraps {
				return nil, fmt.Errorf("backwards")
			}
			length += span
		}
		preds = append(preds, func(v int) bool {
			dist := ((v-a)%span + span) % span
			return dist <= length && dist%step == 0
		})
	}
	return func(v int) bool {
		for _, p := range preds {
			if p(v) {
				return true
			}
		}
		return false
	}, nil
}

func refLastDay(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func refIsWorkday(y int, m time.Month, d int) bool {
	wd := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func refDOM(s string) (func(time.Time) bool, error) {
	switch {
	case s == "L":
		return func(t time.Time) bool { return t.Day() == refLastDay(t) }, nil
	case s == "LW":
		// The largest workday of the month, found by walking back from the end.
		return func(t time.Time) bool {
			d := refLastDay(t)
			for !refIsWorkday(t.Year(), t.Month(), d) {
				d--
			}
			return t.Day() == d
		}, nil
	case strings.HasSuffix(s, "W"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "W"))
		if err != nil || n < 1 || n > 31 {
			return nil, fmt.Errorf("W")
		}
		// The workday of the month closest to day n.
		return func(t time.Time) bool {
			last := refLastDay(t)
			if n > last {
				return false
			}
			best := 0
			for d := 1; d <= last; d++ {
				if refIsWorkday(t.Year(), t.Month(), d) && (best == 0 || abs(d-n) < abs(best-n)) {
					best = d
				}
			}
			return t.Day() == best
		}, nil
	}
	p, err := refList(s, 1, 31, nil, true)
	return func(t time.Time) bool { return p(t.Day()) }, err
}

func refDOW(s string) (func(time.Time) bool, error) {
	wd := func(t time.Time) int { return int(t.Weekday()) + 1 }
	day := func(x string) (int, error) {
		if v, ok := refDays[x]; ok {
			return v, nil
		}
		v, err := strconv.Atoi(x)
		if err != nil || v < 1 || v > 7 {
			return 0, fmt.Errorf("weekday %q", x)
		}
		return v, nil
	}
	switch {
	case s == "L":
		return func(t time.Time) bool { return t.Weekday() == time.Saturday }, nil
	case strings.Contains(s, "#"):
		x, y, _ := strings.Cut(s, "#")
		d, err := day(x)
		n, err2 := strconv.Atoi(y)
		if err != nil || err2 != nil || n < 1 || n > 5 {
			return nil, fmt.Errorf("#")
		}
		// Count this weekday's occurrences from the 1st up to today.
		return func(t time.Time) bool {
			if wd(t) != d {
				return false
			}
			count := 0
			for i := 1; i <= t.Day(); i++ {
				if int(time.Date(t.Year(), t.Month(), i, 0, 0, 0, 0, time.UTC).Weekday())+1 == d {
					count++
				}
			}
			return count == n
		}, nil
	case strings.HasSuffix(s, "L"):
		d, err := day(strings.TrimSuffix(s, "L"))
		// Last of its weekday: a week later is another month.
		return func(t time.Time) bool { return wd(t) == d && t.AddDate(0, 0, 7).Month() != t.Month() }, err
	}
	p, err := refList(s, 1, 7, refDays, true)
	return func(t time.Time) bool { return p(wd(t)) }, err
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (r *refCron) matches(t time.Time) bool {
	return r.minute(t.Minute()) && r.hour(t.Hour()) && r.month(int(t.Month())) &&
		r.year(t.Year()) && r.day(t)
}

// randomCron builds a random valid expression from the operators of each
// field, with a year field that mostly covers year y.
func randomCron(rng *rand.Rand, y int) string {
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	num := func(lo, hi int) string { return strconv.Itoa(lo + rng.IntN(hi-lo+1)) }
	list := func(lo, hi int, names []string, steps bool) string {
		val := func() string {
			if names != nil && rng.IntN(3) == 0 {
				return names[rng.IntN(len(names))]
			}
			return num(lo, hi)
		}
		var items []string
		for range 1 + rng.IntN(3) {
			var it string
			switch rng.IntN(5) {
			case 0:
				it = "*"
			case 1, 2:
				it = val()
			default:
				it = val() + "-" + val()
			}
			if steps && rng.IntN(3) == 0 {
				if it == "*" || strings.Contains(it, "-") || rng.IntN(2) == 0 {
					it += "/" + num(1, hi)
				}
			}
			items = append(items, it)
		}
		if rng.IntN(4) == 0 {
			return "*"
		}
		return strings.Join(items, ",")
	}
	months := []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	wdays := []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
	minute := list(0, 59, nil, true)
	hour := list(0, 23, nil, true)
	month := list(1, 12, months, true)
	if rng.IntN(2) == 0 {
		month = "*"
	}
	year := pick("*", "*", "*", fmt.Sprintf("%d-%d", y-1, y+1), fmt.Sprintf("%d,%d", y, y+1),
		fmt.Sprintf("%d/2", y), fmt.Sprint(y), fmt.Sprintf("1970-%d", y+1))
	dom, dow := "?", "?"
	if rng.IntN(2) == 0 {
		dom = pick("L", "LW", num(1, 31)+"W", num(28, 31)+"W", list(1, 31, nil, true), "*")
	} else {
		wd := num(1, 7)
		if rng.IntN(2) == 0 {
			wd = wdays[rng.IntN(7)]
		}
		dow = pick("L", wd+"L", wd+"#"+num(1, 5), wd+"#5", list(1, 7, wdays, false), "*")
	}
	return fmt.Sprintf("cron(%s %s %s %s %s %s)", minute, hour, dom, month, dow, year)
}

// TestCronMatchesReference compares Next with a minute-by-minute scan of the
// reference over a 45-day window, for random expressions and windows.
func TestCronMatchesReference(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 30
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range n {
		start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).
			Add(time.Duration(rng.IntN(8*365*24*60)) * time.Minute).Add(time.Duration(rng.IntN(60)) * time.Second)
		expr := randomCron(rng, start.Year())
		compareWithReference(t, expr, start, 45*24*time.Hour)
	}
}

// TestCronMatchesReferenceMonthEnds runs fixed day-rule expressions over
// windows that straddle leap Februaries and 30/31-day month ends.
func TestCronMatchesReferenceMonthEnds(t *testing.T) {
	exprs := []string{
		"cron(0 12 L * ? *)", "cron(0 12 LW * ? *)", "cron(0 12 1W * ? *)", "cron(0 12 31W * ? *)",
		"cron(0 12 30W * ? *)", "cron(0 12 29 * ? *)", "cron(0 12 28-3 * ? *)",
		"cron(0 12 ? * 2L *)", "cron(0 12 ? * 1#5 *)", "cron(0 12 ? * 7#5 *)", "cron(0 12 ? * L *)",
	}
	starts := []time.Time{
		time.Date(2024, 1, 20, 0, 0, 0, 0, time.UTC), // leap February
		time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC), // common February
		time.Date(2100, 1, 20, 0, 0, 0, 0, time.UTC), // century, not leap
		time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC), // 30/31-day ends
	}
	for _, expr := range exprs {
		for _, start := range starts {
			compareWithReference(t, expr, start, 70*24*time.Hour)
		}
	}
}

func compareWithReference(t *testing.T, expr string, start time.Time, window time.Duration) {
	t.Helper()
	s, err := Parse(expr)
	if err != nil {
		t.Errorf("Parse(%q): %v", expr, err)
		return
	}
	ref, err := refParse(expr)
	if err != nil {
		t.Fatalf("refParse(%q): %v", expr, err)
	}
	end := start.Add(window)
	at := start
	for m := start.Truncate(time.Minute).Add(time.Minute); !m.After(end); m = m.Add(time.Minute) {
		if !ref.matches(m) {
			continue
		}
		got, ok := s.Next(at)
		if !ok || !got.Equal(m) {
			t.Errorf("%s: Next(%v) = %v, %v; reference says %v", expr, at, got, ok, m)
			return
		}
		at = got
	}
	if got, ok := s.Next(at); ok && !got.After(end) {
		t.Errorf("%s: Next(%v) = %v, but the reference finds nothing up to %v", expr, at, got, end)
	}
}
