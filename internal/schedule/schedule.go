package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalid is the error, possibly wrapped with detail, for every expression
// that AWS would answer with "Parameter ScheduleExpression is not valid.".
var ErrInvalid = errors.New("schedule: invalid expression")

// MaxLength is the longest ScheduleExpression the API model allows.
const MaxLength = 256

// The cron year range; it is also the horizon after which no schedule fires.
const (
	minYear = 1970
	maxYear = 2199
)

// horizon is the first instant at which no schedule fires any more.
var horizon = time.Date(maxYear+1, time.January, 1, 0, 0, 0, 0, time.UTC)

// A Schedule is a parsed ScheduleExpression. Schedules are immutable and safe
// for concurrent use.
type Schedule interface {
	// Next returns the first firing time strictly after t, in UTC with the
	// seconds and below zero, and false if the schedule never fires after t
	// (a cron year list that lies in the past, or anything after 2199).
	Next(t time.Time) (time.Time, bool)

	// String returns the expression exactly as it was given to Parse.
	String() string
}

// Parse parses a ScheduleExpression: "rate(value unit)" or
// "cron(min hour day-of-month month day-of-week year)". Every error wraps
// ErrInvalid.
//
// A rate schedule parsed here is anchored at the Unix epoch, so rate(1 hour)
// fires on the hour and rate(1 day) at midnight UTC. AWS anchors a rate at the
// rule's creation time; use ParseAt to get that.
func Parse(expr string) (Schedule, error) {
	return ParseAt(expr, time.Unix(0, 0))
}

// ParseAt is Parse with the anchor of a rate schedule given: it fires at
// anchor + k*period for k = 1, 2, ..., with the anchor truncated to the minute.
// Pass the rule's creation time, and keep it stable across restarts so the
// firings do not shift. The anchor must lie in years 1 to 9999. A cron
// schedule ignores the anchor.
func ParseAt(expr string, anchor time.Time) (Schedule, error) {
	if len(expr) > MaxLength {
		return nil, invalidf("longer than %d bytes", MaxLength)
	}
	if !strings.HasSuffix(expr, ")") {
		return nil, invalidf("%q does not end with \")\"", expr)
	}
	if body, ok := strings.CutPrefix(expr, "rate("); ok {
		return parseRate(expr, body[:len(body)-1], anchor)
	}
	if body, ok := strings.CutPrefix(expr, "cron("); ok {
		return parseCron(expr, body[:len(body)-1])
	}
	return nil, invalidf("%q is neither rate(...) nor cron(...)", expr)
}

// invalidf returns ErrInvalid wrapped with detail for logs; the API answers
// every such error with the same fixed message, as AWS does.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
