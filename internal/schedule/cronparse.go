package schedule

import (
	"strings"
)

// field describes one cron field: its value range, its names (index 0 is the
// value min), the largest step it allows, and whether its ranges may wrap.
type field struct {
	name     string
	min, max int
	names    []string
	maxStep  int
	wraps    bool
}

var (
	minuteField = field{name: "minutes", min: 0, max: 59, maxStep: 59, wraps: true}
	hourField   = field{name: "hours", min: 0, max: 23, maxStep: 23, wraps: true}
	domField    = field{name: "day-of-month", min: 1, max: 31, maxStep: 31, wraps: true}
	monthField  = field{name: "month", min: 1, max: 12, maxStep: 12, wraps: true,
		names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}}
	// Day-of-week has no steps in AWS's table; maxStep 0 turns "/" away.
	dowField = field{name: "day-of-week", min: 1, max: 7, maxStep: 0, wraps: true,
		names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}}
	// Quartz sets no limit on year steps; maxYear just bounds the number.
	yearField = field{name: "year", min: minYear, max: maxYear, maxStep: maxYear, wraps: false}
)

func parseCron(expr, body string) (*cron, error) {
	parts := strings.Split(body, " ")
	if len(parts) != 6 {
		return nil, invalidf("cron needs 6 fields separated by single spaces, got %q", body)
	}
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			// Non-ASCII is rejected before upper-casing, since Unicode case
			// folding maps some letters onto ASCII ones ("ſ" to "S").
			if p[i] >= 0x80 {
				return nil, invalidf("cron field %q is not ASCII", p)
			}
		}
	}
	c := &cron{expr: expr}
	var err error
	if c.minutes, err = parseList(minuteField, parts[0]); err != nil {
		return nil, err
	}
	if c.hours, err = parseList(hourField, parts[1]); err != nil {
		return nil, err
	}
	if c.dom, err = parseDOM(upper(parts[2])); err != nil {
		return nil, err
	}
	if c.months, err = parseList(monthField, upper(parts[3])); err != nil {
		return nil, err
	}
	if c.dow, err = parseDOW(upper(parts[4])); err != nil {
		return nil, err
	}
	if c.years, err = parseList(yearField, parts[5]); err != nil {
		return nil, err
	}
	if (c.dom.kind == dayAny) == (c.dow.kind == dayAny) {
		return nil, invalidf("exactly one of day-of-month %q and day-of-week %q must be \"?\"", parts[2], parts[4])
	}
	return c, nil
}

// parseDOM parses an upper-cased day-of-month field.
func parseDOM(s string) (days, error) {
	switch s {
	case "?":
		return days{kind: dayAny}, nil
	case "L":
		return days{kind: dayLast}, nil
	case "LW":
		return days{kind: dayLastWeekday}, nil
	}
	if n, ok := strings.CutSuffix(s, "W"); ok {
		d, ok := parseNumber(n, domField.max)
		if !ok || d < domField.min {
			return days{}, invalidf("day-of-month %q: W needs a day from 1 to 31", s)
		}
		return days{kind: dayNearestWeekday, day: d}, nil
	}
	set, err := parseList(domField, s)
	return days{kind: daySet, set: set}, err
}

// parseDOW parses an upper-cased day-of-week field.
func parseDOW(s string) (days, error) {
	switch s {
	case "?":
		return days{kind: dayAny}, nil
	case "L":
		// "L" alone is the last day of the week: SAT.
		var set bitset
		set.add(7 - dowField.min)
		return days{kind: daySet, set: set}, nil
	}
	if d, n, ok := strings.Cut(s, "#"); ok {
		wd, ok1 := dowField.value(d)
		nth, ok2 := parseNumber(n, 5)
		if !ok1 || !ok2 || nth < 1 {
			return days{}, invalidf("day-of-week %q: # needs a weekday and an occurrence from 1 to 5", s)
		}
		return days{kind: dayNth, weekday: wd, nth: nth}, nil
	}
	if d, ok := strings.CutSuffix(s, "L"); ok {
		wd, ok := dowField.value(d)
		if !ok {
			return days{}, invalidf("day-of-week %q: L needs a weekday before it", s)
		}
		return days{kind: dayLastOf, weekday: wd}, nil
	}
	set, err := parseList(dowField, s)
	return days{kind: daySet, set: set}, err
}

// parseList parses a comma-separated list of "*", "v", "v-w", "*/n", "v/n" and
// "v-w/n" items into the set of values it names, stored as offsets from f.min.
func parseList(f field, s string) (bitset, error) {
	var set bitset
	for item := range strings.SplitSeq(s, ",") {
		if err := f.addItem(&set, item); err != nil {
			return bitset{}, err
		}
	}
	return set, nil
}

func (f field) addItem(set *bitset, item string) error {
	rng, stepText, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		n, ok := parseNumber(stepText, f.maxStep)
		if !ok || n < 1 {
			if f.maxStep == 0 {
				return invalidf("%s %q: \"/\" is not allowed", f.name, item)
			}
			return invalidf("%s %q: step must be from 1 to %d", f.name, item, f.maxStep)
		}
		step = n
	}
	var lo, hi int
	switch {
	case rng == "*":
		lo, hi = f.min, f.max
	default:
		a, b, isRange := strings.Cut(rng, "-")
		var ok bool
		if lo, ok = f.value(a); !ok {
			return invalidf("%s %q: %q is not a value from %d to %d", f.name, item, a, f.min, f.max)
		}
		switch {
		case isRange:
			if hi, ok = f.value(b); !ok {
				return invalidf("%s %q: %q is not a value from %d to %d", f.name, item, b, f.min, f.max)
			}
		case hasStep:
			// "v/n" starts at v and steps to the end of the field.
			hi = f.max
		default:
			hi = lo
		}
	}
	span := f.max - f.min + 1
	length := hi - lo
	if length < 0 {
		if !f.wraps {
			return invalidf("%s %q: range runs backwards", f.name, item)
		}
		length += span
	}
	for off := 0; off <= length; off += step {
		v := lo + off
		if v > f.max {
			v -= span
		}
		set.add(v - f.min)
	}
	return nil
}

// value parses a number or, where the field has them, a three-letter name.
func (f field) value(s string) (int, bool) {
	for i, n := range f.names {
		if s == n {
			return f.min + i, true
		}
	}
	v, ok := parseNumber(s, f.max)
	return v, ok && v >= f.min
}

// upper makes names, L and W case-insensitive, as Quartz does by upper-casing
// the whole expression. parseCron has already turned non-ASCII away.
func upper(s string) string {
	return strings.ToUpper(s)
}
