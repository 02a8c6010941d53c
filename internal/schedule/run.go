package schedule

import (
	"context"
	"time"
)

// Run calls fire with each firing time of s after the moment Run is called,
// in order, until ctx is done (it returns ctx.Err()) or s never fires again
// (it returns nil).
//
// Run blocks and starts no goroutines: the caller runs it in a goroutine it
// owns and stops it by cancelling ctx. fire runs on that goroutine, so a slow
// fire delays the next firing rather than overlapping it; firings that fall
// due while fire is still running are skipped, not replayed, because a
// schedule announces the present, not a backlog.
//
// Waits use the process clock (time.Now and timers), so tests can drive Run
// with a fake clock inside a testing/synctest bubble. A wall-clock step while
// Run waits is noticed only at the next firing.
func Run(ctx context.Context, s Schedule, fire func(time.Time)) error {
	after := time.Now()
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		next, ok := s.Next(after)
		if !ok {
			return nil
		}
		if timer == nil {
			timer = time.NewTimer(time.Until(next))
		} else {
			timer.Reset(time.Until(next))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		fire(next)
		// The next firing comes after both this one and the end of fire.
		after = next
		if now := time.Now(); now.After(after) {
			after = now
		}
	}
}
