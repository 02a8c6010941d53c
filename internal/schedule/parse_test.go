package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// awsValid are the expressions AWS accepted in localstack's aws.validated
// recordings (test_events_schedule.snapshot.json) and in the contract.
var awsValid = []string{
	"rate(1 minute)",
	"cron(0 20 * * ? *)",
	"cron(0/5 8-17 ? * MON-FRI *)",
	"cron(15 10 ? * 6L 2002-2005)",
	"cron(0 2 ? * SAT#3 *)",
	"cron(* * ? * SAT#3 *)",
	"cron(0/5 5 ? JAN 1-5 2022)",
	"cron(5,35 14 * * ? *)",
	"cron(0 10 * * ? *)",
	"cron(15 12 * * ? *)",
	"cron(0 18 ? * MON-FRI *)",
	"cron(0 8 1 * ? *)",
	"cron(0/15 * * * ? *)",
	"cron(0/10 * ? * MON-FRI *)",
	"cron(0/30 20-23 ? * MON-FRI *)",
	"cron(0/30 0-2 ? * MON-FRI *)",
	"cron(0 2 ? * SAT *)",
	"cron(0 12 * * ? *)",
}

// awsInvalid are the expressions AWS rejected with "Parameter
// ScheduleExpression is not valid." in the same recordings and in localstack's
// aws.validated test_put_rule_with_invalid_schedule_rate.
var awsInvalid = []string{
	"cron(INVALID)",
	"cron(0 dummy ? * MON-FRI *)",
	"cron(7 20 * * NOT *)",
	"cron(71 8 1 * ? *)",
	"cron(0 1 * * * *)",
	"rate(10 seconds)",
	"rate(10 years)",
	"rate(1 minutes)",
	"rate(1 hours)",
	"rate(1 days)",
	"rate(10 minute)",
	"rate(10 hour)",
	"rate(10 day)",
	"rate()",
	"rate(10)",
	"rate(10 minutess)",
	"rate(foo minutes)",
	"rate(0 minutes)",
	"rate(-10 minutes)",
	"rate(10 MINUTES)",
	"rate( 10 minutes )",
	" rate(10 minutes)",
	// aws/aws-sdk-js#4212: AWS refused a minute step of 60.
	"cron(*/60 * * * ? *)",
}

func TestParseAWSRecorded(t *testing.T) {
	for _, expr := range awsValid {
		if _, err := Parse(expr); err != nil {
			t.Errorf("Parse(%q) = %v, want ok (AWS accepted it)", expr, err)
		}
	}
	for _, expr := range awsInvalid {
		if s, err := Parse(expr); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) = %v, %v; want ErrInvalid (AWS rejected it)", expr, s, err)
		}
	}
}

func TestParseValid(t *testing.T) {
	valid := []string{
		// rate: every unit, singular for 1 and plural otherwise.
		"rate(1 hour)", "rate(1 day)", "rate(2 minutes)", "rate(5 hours)", "rate(7 days)",
		"rate(2147483647 minutes)",
		// Leading zeros are read as numbers (decision in doc.go).
		"rate(05 minutes)", "rate(01 minute)", "cron(05 07 01 01 ? *)", "cron(0/05 * * * ? *)",
		// Lists, ranges and steps in every field that allows them.
		"cron(0,15,30,45 * * * ? *)",
		"cron(10-40/5 1-5/2 1-31/10 1-12/3 ? 1970-2199/10)",
		"cron(*/10 */2 */7 */2 ? */4)",
		"cron(1/10 5/6 2/3 2/5 ? 2020/2)",
		// Wrap-around ranges in the cyclic fields (Quartz semantics).
		"cron(50-10 22-2 28-3 NOV-FEB ? *)",
		"cron(0 9 ? * FRI-MON *)",
		"cron(50-10/5 * * * ? *)",
		// Names are case-insensitive; numbers and names mix.
		"cron(0 9 ? jan,Feb,MAR mon-fri *)",
		"cron(0 9 ? 1-MAR 2-FRI *)",
		"cron(0 9 ? JAN/2 * *)",
		// Day-of-month specials.
		"cron(0 18 L * ? *)", "cron(0 18 LW * ? *)", "cron(0 18 lw * ? *)",
		"cron(0 18 1W * ? *)", "cron(0 18 31W * ? *)", "cron(0 18 15w * ? *)",
		// Day-of-week specials.
		"cron(0 18 ? * L *)", "cron(0 18 ? * 6L *)", "cron(0 18 ? * FRIL *)", "cron(0 18 ? * satl *)",
		"cron(0 9 ? * 2#1 *)", "cron(0 9 ? * MON#5 *)", "cron(0 9 ? * 7#1 *)",
		// "*" in day-of-week with "?" in day-of-month.
		"cron(0 * ? * * *)",
		// A cron that never fires is still well formed (AWS does not check).
		"cron(0 0 30 2 ? *)", "cron(0 0 1 1 ? 1970)",
		// Single-value ranges, the full year range.
		"cron(5-5 5-5 5-5 5-5 ? 2199-2199)", "cron(0 0 1 1 ? 1970-2199)",
		// Exactly 256 bytes.
		"cron(00 0 1 1 ? " + strings.Repeat("2000,", 47) + "2000)",
	}
	for _, expr := range valid {
		s, err := Parse(expr)
		if err != nil {
			t.Errorf("Parse(%q) = %v, want ok", expr, err)
			continue
		}
		if s.String() != expr {
			t.Errorf("Parse(%q).String() = %q", expr, s.String())
		}
	}
	if n := len(valid[len(valid)-1]); n != MaxLength {
		t.Fatalf("the longest valid case is %d bytes, want %d", n, MaxLength)
	}
}

func TestParseInvalid(t *testing.T) {
	invalid := []string{
		"", "rate", "cron", "rate(", "cron(", "()", "cron()", "rate)", "cron)",
		// Case and whitespace around the keyword (decisions in doc.go).
		"RATE(5 minutes)", "Rate(5 minutes)", "CRON(0 0 * * ? *)",
		"rate(5 minutes) ", "rate (5 minutes)", "rate(5  minutes)", "rate(5\tminutes)",
		"rate( 5 minutes)", "rate(5 minutes )", "rate(5 Minutes)",
		"cron( 0 0 * * ? *)", "cron(0 0 * * ? * )", "cron(0  0 * * ? *)", "cron(0\t0 * * ? *)",
		"cron(0 0 * * ? *) ", " cron(0 0 * * ? *)", "cron(0 0 * * ? *))", "cron((0 0 * * ? *)",
		// rate values.
		"rate(+5 minutes)", "rate(5.0 minutes)", "rate(1.5 hours)", "rate(00 minutes)",
		"rate(2147483648 minutes)", "rate(99999999999999999999 minutes)", "rate(5 weeks)",
		"rate(5 minutes 5)", "rate(5minutes)", "rate(minutes)", "rate(01 minutes)", "rate(1e3 minutes)",
		"rate(５ minutes)",
		// Field count: sub-minute (7 fields) and classic 5-field cron.
		"cron(0 0 0 * * ? *)", "cron(0 0 * * ?)", "cron(0 0 * * ? * *)", "cron(* * * * *)",
		// Out of range values.
		"cron(60 0 * * ? *)", "cron(0 24 * * ? *)", "cron(0 0 0 * ? *)", "cron(0 0 32 * ? *)",
		"cron(0 0 * 0 ? *)", "cron(0 0 * 13 ? *)", "cron(0 0 ? * 0 *)", "cron(0 0 ? * 8 *)",
		"cron(0 0 * * ? 1969)", "cron(0 0 * * ? 2200)", "cron(0 0 * * ? 99999)", "cron(-1 0 * * ? *)",
		// Day fields: exactly one "?".
		"cron(0 0 ? * ? *)", "cron(0 0 1 * MON *)", "cron(0 0 * * MON *)", "cron(0 0 L * 6L *)",
		// "?" only alone and only in the day fields.
		"cron(? 0 * * ? *)", "cron(0 ? * * ? *)", "cron(0 0 * ? ? *)", "cron(0 0 * * ? ?)",
		"cron(0 0 ?,1 * ? *)", "cron(0 0 ? * ?,MON *)",
		// Steps: 1 to the field's max, never in day-of-week.
		"cron(0/0 * * * ? *)", "cron(0/60 * * * ? *)", "cron(0 0/24 * * ? *)", "cron(0 0 1/32 * ? *)",
		"cron(0 0 * 1/13 ? *)", "cron(0 0 ? * 1/2 *)", "cron(0 0 ? * */2 *)", "cron(0 0 * * ? 2000/0)",
		"cron(/5 * * * ? *)", "cron(5/ * * * ? *)", "cron(*/ * * * ? *)", "cron(0/5/5 * * * ? *)",
		"cron(0/MON * * * ? *)", "cron(0 0 ? 2/FEB * *)",
		// Malformed lists and ranges.
		"cron(1,,2 * * * ? *)", "cron(1, * * * ? *)", "cron(,1 * * * ? *)", "cron(1- * * * ? *)",
		"cron(-1 * * * ? *)", "cron(1-2-3 * * * ? *)", "cron(*-5 * * * ? *)", "cron(5-* * * * ? *)",
		"cron(** * * * ? *)", "cron(*,5 0 * * ? *x)",
		// Year ranges do not wrap.
		"cron(0 0 * * ? 2005-2002)",
		// Names only where the field has them, and only three letters.
		"cron(0 0 * JANUARY ? *)", "cron(0 0 ? * MONDAY *)", "cron(MON 0 * * ? *)",
		"cron(0 0 MON * ? *)", "cron(0 0 * SUN ? *)", "cron(0 0 ? * JAN *)",
		// Day-of-month specials.
		"cron(0 0 W * ? *)", "cron(0 0 0W * ? *)", "cron(0 0 32W * ? *)", "cron(0 0 L-3 * ? *)",
		"cron(0 0 3L * ? *)", "cron(0 0 WL * ? *)", "cron(0 0 1W,15 * ? *)", "cron(0 0 L,15 * ? *)",
		"cron(0 0 1-5W * ? *)", "cron(0 0 LWW * ? *)", "cron(0 0 L/2 * ? *)", "cron(0 0 1,15,L * ? *)",
		// Day-of-week specials: single expressions only.
		"cron(0 0 ? * 3#1,6#3 *)", "cron(0 0 ? * 3#0 *)", "cron(0 0 ? * 3#6 *)", "cron(0 0 ? * #2 *)",
		"cron(0 0 ? * 3# *)", "cron(0 0 ? * 8#1 *)", "cron(0 0 ? * MON-FRI#2 *)", "cron(0 0 ? * 3#1#1 *)",
		"cron(0 0 ? * L-2 *)", "cron(0 0 ? * 5L,1 *)", "cron(0 0 ? * 1-5L *)", "cron(0 0 ? * LL *)",
		"cron(0 0 ? * 0L *)", "cron(0 0 ? * 6W *)", "cron(0 0 L# * ? *)",
		// L, W and # outside the day fields.
		"cron(L 0 * * ? *)", "cron(0 L * * ? *)", "cron(0 0 * L ? *)", "cron(0 0 * * ? L)", "cron(0 0 * * ? 2000#1)",
		// Non-ASCII: "ſ" upper-cases to "S" under Unicode rules.
		"cron(0 0 ? * ſat *)", "cron(0 0 ? * SAT\u00a0*)",
		// Longer than 256 bytes.
		"cron(0 0 1 1 ? " + strings.Repeat("2000,", 48) + "2000)",
		"rate(" + strings.Repeat("0", 245) + "5 minutes)",
	}
	for _, expr := range invalid {
		s, err := Parse(expr)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) = %v, %v; want ErrInvalid", expr, s, err)
		}
	}
}

func TestParseAtAnchorRange(t *testing.T) {
	for _, anchor := range []time.Time{
		time.Date(0, time.December, 31, 23, 59, 0, 0, time.UTC),
		time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC),
	} {
		if _, err := ParseAt("rate(5 minutes)", anchor); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseAt(rate, %v) = %v, want ErrInvalid", anchor, err)
		}
	}
	// A cron schedule has no anchor to check.
	if _, err := ParseAt("cron(0 0 * * ? *)", time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("ParseAt(cron, year -5) = %v", err)
	}
}

func TestErrorDetail(t *testing.T) {
	_, err := Parse("cron(71 8 1 * ? *)")
	if err == nil || !strings.HasPrefix(err.Error(), "schedule: invalid expression: ") ||
		!strings.Contains(err.Error(), "minutes") {
		t.Errorf("error %q should name the sentinel and the field", err)
	}
}
