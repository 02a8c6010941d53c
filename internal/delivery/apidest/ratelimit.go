package apidest

import (
	"context"
	"sync"
	"time"
)

// sweepEvery is how often idle buckets and tokens are looked for.
const sweepEvery = time.Minute

// limiters hold one bucket per destination. A bucket is only the time of its
// next free slot: each caller reserves the slot under the lock and sleeps
// outside it, so a slow destination never blocks others. Burst is 1: slots
// are 1/rate apart, which keeps every one-second window at or under the rate.
type limiters struct {
	mu        sync.Mutex
	m         map[string]*bucket
	lastSweep time.Time
}

type bucket struct{ next time.Time }

func (l *limiters) wait(ctx context.Context, key string, rate int) error {
	if rate <= 0 {
		return ctx.Err()
	}
	interval := time.Second / time.Duration(rate)
	now := time.Now()
	l.mu.Lock()
	l.sweepLocked(now)
	b := l.m[key]
	if b == nil {
		b = &bucket{}
		l.m[key] = b
	}
	slot := b.next
	if slot.Before(now) {
		slot = now
	}
	b.next = slot.Add(interval)
	l.mu.Unlock()

	d := slot.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		// Give the slot back when nobody queued behind it.
		l.mu.Lock()
		if l.m[key] == b && b.next.Equal(slot.Add(interval)) {
			b.next = slot
		}
		l.mu.Unlock()
		return ctx.Err()
	}
}

// sweepLocked drops buckets whose next slot has passed: with burst 1 such a
// bucket behaves exactly like a new one, so dropping it changes nothing and
// keeps memory to the destinations with callers waiting or just served.
func (l *limiters) sweepLocked(now time.Time) {
	if now.Sub(l.lastSweep) < sweepEvery {
		return
	}
	l.lastSweep = now
	for k, b := range l.m {
		if b.next.Before(now) {
			delete(l.m, k)
		}
	}
}
