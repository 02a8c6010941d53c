package delivery

import (
	"testing"
	"time"

	"github.com/switchyard-dev/switchyard/internal/catalog"
)

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Base: time.Second, Max: 5 * time.Minute}
	for n, full := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 5: 16 * time.Second, 9: 256 * time.Second, 10: 5 * time.Minute, 185: 5 * time.Minute} {
		for range 200 {
			d := b.Delay(n)
			if d < full/2 || d > full {
				t.Fatalf("Delay(%d) = %v, want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
}

func TestNext(t *testing.T) {
	b := Backoff{Base: time.Second, Max: 5 * time.Minute}
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	i32 := func(v int32) *int32 { return &v }
	cases := []struct {
		name       string
		policy     *catalog.RetryPolicy
		retries    int
		now        time.Time
		retryAfter time.Duration
		exhausted  string
		minDue     time.Duration // from now
	}{
		{"default policy, first retry", nil, 0, first, 0, "", 500 * time.Millisecond},
		{"default policy allows 185 retries", nil, 184, first.Add(time.Hour), 0, "", 150 * time.Second},
		{"default policy: 185 retries made", nil, 185, first.Add(time.Hour), 0, ExhaustedAttempts, 0},
		{"no retries", &catalog.RetryPolicy{MaximumRetryAttempts: i32(0)}, 0, first, 0, ExhaustedAttempts, 0},
		{"age limit", &catalog.RetryPolicy{MaximumEventAgeInSeconds: i32(60)}, 3, first.Add(58 * time.Second), 0, ExhaustedAge, 0},
		{"default age limit 24h", nil, 20, first.Add(24*time.Hour - time.Second), 0, ExhaustedAge, 0},
		{"Retry-After longer than backoff", nil, 0, first, 30 * time.Second, "", 30 * time.Second},
		{"negative Retry-After stops", nil, 0, first, -time.Second, ExhaustedAttempts, 0},
		{"Retry-After past the age limit", &catalog.RetryPolicy{MaximumEventAgeInSeconds: i32(60)}, 0, first, 2 * time.Minute, ExhaustedAge, 0},
	}
	for _, c := range cases {
		due, exhausted := next(c.policy, b, c.retries, first, c.now, c.retryAfter)
		if exhausted != c.exhausted {
			t.Errorf("%s: exhausted %q, want %q", c.name, exhausted, c.exhausted)
			continue
		}
		if exhausted == "" && due.Sub(c.now) < c.minDue {
			t.Errorf("%s: due in %v, want at least %v", c.name, due.Sub(c.now), c.minDue)
		}
	}
}
