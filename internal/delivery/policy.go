package delivery

import (
	"math/rand/v2"
	"time"

	"github.com/switchyard-dev/switchyard/internal/catalog"
)

// AWS's RetryPolicy defaults: 185 attempts over at most 24 hours.
const (
	DefaultMaxRetries = 185
	DefaultMaxAge     = 24 * time.Hour
)

// Backoff is the exponential backoff between attempts: the n-th retry waits
// Base·2^(n-1), capped at Max, with jitter taking it down to half that at
// random so retries of many events spread out.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// DefaultBackoff spreads 185 retries over most of a day: after ten doublings
// from one second every retry waits between 2.5 and 5 minutes.
var DefaultBackoff = Backoff{Base: time.Second, Max: 5 * time.Minute}

// Delay is the wait before retry n (n >= 1).
func (b Backoff) Delay(n int) time.Duration {
	d := b.Base
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// Exhausted conditions, as the DLQ's EXHAUSTED_RETRY_CONDITION says.
const (
	ExhaustedAttempts = "MaximumRetryAttempts"
	ExhaustedAge      = "MaximumEventAgeInSeconds"
)

// next decides what follows a failed attempt: the time of the next one, or
// why there is none. retries is how many retries were made before this
// failure; firstSeen is when the event was accepted; retryAfter is the
// target's own request (0 none, < 0 stop).
func next(p *catalog.RetryPolicy, b Backoff, retries int, firstSeen, now time.Time, retryAfter time.Duration) (time.Time, string) {
	maxRetries, maxAge := DefaultMaxRetries, DefaultMaxAge
	if p != nil && p.MaximumRetryAttempts != nil {
		maxRetries = int(*p.MaximumRetryAttempts)
	}
	if p != nil && p.MaximumEventAgeInSeconds != nil {
		maxAge = time.Duration(*p.MaximumEventAgeInSeconds) * time.Second
	}
	if retries >= maxRetries || retryAfter < 0 {
		return time.Time{}, ExhaustedAttempts
	}
	wait := max(b.Delay(retries+1), retryAfter)
	due := now.Add(wait)
	if due.Sub(firstSeen) > maxAge {
		return time.Time{}, ExhaustedAge
	}
	return due, ""
}
