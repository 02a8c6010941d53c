package schedule

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// In a synctest bubble the clock starts at 2000-01-01T00:00:00Z and jumps
// straight to the next timer once every goroutine is blocked, so these tests
// run a loop over days of fake time in microseconds.

func TestRunFiresOnScheduleUntilCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := Parse("cron(0/15 * * * ? *)")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		var fired []time.Time
		done := make(chan error)
		go func() {
			done <- Run(ctx, s, func(at time.Time) {
				if now := time.Now(); !now.Equal(at) {
					t.Errorf("fire(%v) called at %v", at, now)
				}
				fired = append(fired, at)
				if len(fired) == 3 {
					cancel()
				}
			})
		}()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
		want := []string{"2000-01-01T00:15", "2000-01-01T00:30", "2000-01-01T00:45"}
		if len(fired) != len(want) {
			t.Fatalf("fired %v, want %v", fired, want)
		}
		for i := range want {
			if !fired[i].Equal(mustTime(t, want[i]+":00Z")) {
				t.Errorf("firing %d = %v, want %s", i, fired[i], want[i])
			}
		}
	})
}

func TestRunCancelWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := Parse("rate(1 day)")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			done <- Run(ctx, s, func(at time.Time) { t.Errorf("fired at %v", at) })
		}()
		time.Sleep(time.Hour) // fake time: Run is parked on its timer
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("Run returned early: %v", err)
		default:
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
		// synctest.Test fails if Run's goroutine were still alive here.
	})
}

func TestRunReturnsWhenScheduleEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Fires once, on the last minute of 2000, and never again.
		s, err := Parse("cron(59 23 31 DEC ? 2000)")
		if err != nil {
			t.Fatal(err)
		}
		var fired []time.Time
		if err := Run(t.Context(), s, func(at time.Time) { fired = append(fired, at) }); err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
		if len(fired) != 1 || !fired[0].Equal(time.Date(2000, 12, 31, 23, 59, 0, 0, time.UTC)) {
			t.Errorf("fired %v", fired)
		}
	})
}

// TestRunSkipsMissedFirings: a fire that outlasts the period does not cause
// a burst of catch-up firings; the loop resumes with the next future firing.
func TestRunSkipsMissedFirings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := ParseAt("rate(1 minute)", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var fired []time.Time
		err = Run(ctx, s, func(at time.Time) {
			fired = append(fired, at)
			if len(fired) == 1 {
				time.Sleep(150 * time.Second) // busy past two firings
			}
			if len(fired) == 2 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		// 00:01 fires and returns at 00:03:30; 00:02 and 00:03 are skipped.
		want := []time.Time{
			time.Date(2000, 1, 1, 0, 1, 0, 0, time.UTC),
			time.Date(2000, 1, 1, 0, 4, 0, 0, time.UTC),
		}
		if len(fired) != 2 || !fired[0].Equal(want[0]) || !fired[1].Equal(want[1]) {
			t.Errorf("fired %v, want %v", fired, want)
		}
	})
}

// TestRunAlreadyCancelled: no firing happens after cancellation, even if one
// is due.
func TestRunAlreadyCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := Parse("cron(* * * * ? *)")
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := Run(ctx, s, func(at time.Time) { t.Errorf("fired at %v", at) })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
	})
}
