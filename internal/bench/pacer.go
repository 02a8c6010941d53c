package bench

import (
	"context"
	"sync/atomic"
	"time"
)

// pacer spreads events evenly over time at a target rate, shared by all
// senders: each Wait claims the next n slots of one global schedule
// (start + k/rate) and sleeps until the first of them. No goroutine or ticker
// runs per event or per sender, and a sender that fell behind (a slow request)
// sends its next batch at once, so the schedule, not the senders' luck, sets
// the offered load.
type pacer struct {
	start    time.Time
	interval float64 // nanoseconds between two events
	next     atomic.Int64
}

// newPacer returns a pacer for rate events per second, or nil (no pacing) for
// a rate <= 0. A nil *pacer's Wait returns at once.
func newPacer(rate float64, start time.Time) *pacer {
	if rate <= 0 {
		return nil
	}
	return &pacer{start: start, interval: float64(time.Second) / rate}
}

// Wait blocks until the schedule allows n more events, or ctx is done.
func (p *pacer) Wait(ctx context.Context, n int) error {
	if p == nil {
		return ctx.Err()
	}
	k := p.next.Add(int64(n)) - int64(n)
	due := p.start.Add(time.Duration(float64(k) * p.interval))
	d := time.Until(due)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
