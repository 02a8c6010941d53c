package bench

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestPacerSchedule runs senders against the pacer on synctest's fake clock:
// batches go out exactly on the global schedule whatever the number of
// senders, so the offered rate is the configured one.
func TestPacerSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const rate, batch, senders = 1000.0, 10, 3
		start := time.Now()
		p := newPacer(rate, start)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		var (
			mu    sync.Mutex
			times []time.Duration
		)
		var wg sync.WaitGroup
		for range senders {
			wg.Go(func() {
				for p.Wait(ctx, batch) == nil {
					mu.Lock()
					times = append(times, time.Since(start))
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		slices.Sort(times)
		// Batch k is due at k*10ms; the one due at exactly 1s races the
		// timeout, so expect 100 batches, maybe 101.
		if len(times) < 100 || len(times) > 101 {
			t.Fatalf("%d batches in 1s at %v ev/s in batches of %d, want 100", len(times), rate, batch)
		}
		for k, got := range times[:100] {
			if want := time.Duration(k) * 10 * time.Millisecond; got != want {
				t.Fatalf("batch %d sent at %v, want %v", k, got, want)
			}
		}
	})
}

// TestPacerCatchUp: a sender that was held up sends its overdue batches at
// once, then falls back on the schedule.
func TestPacerCatchUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		p := newPacer(100, start) // one event per 10ms
		time.Sleep(50 * time.Millisecond)
		for i := range 5 {
			if err := p.Wait(t.Context(), 1); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d != 50*time.Millisecond {
				t.Fatalf("overdue event %d waited until %v, want no wait", i, d)
			}
		}
		if err := p.Wait(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Fatalf("event 5 due at 50ms sent at %v", d)
		}
		if err := p.Wait(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 60*time.Millisecond {
			t.Fatalf("event 6 sent at %v, want 60ms", d)
		}
	})
}

func TestPacerCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(1, time.Now()) // one event per second
		ctx, cancel := context.WithCancel(t.Context())
		if err := p.Wait(ctx, 1); err != nil {
			t.Fatal(err) // the first slot is now
		}
		go func() {
			time.Sleep(100 * time.Millisecond)
			cancel()
		}()
		start := time.Now()
		if err := p.Wait(ctx, 1); err == nil {
			t.Fatal("Wait returned nil after cancel")
		}
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Errorf("cancelled Wait returned after %v, want 100ms", d)
		}
	})
}

func TestPacerUnlimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(0, time.Now())
		if p != nil {
			t.Fatal("rate 0 should mean no pacer")
		}
		start := time.Now()
		for range 1000 {
			if err := p.Wait(t.Context(), 10); err != nil {
				t.Fatal(err)
			}
		}
		if time.Since(start) != 0 {
			t.Error("an unlimited pacer waited")
		}
	})
}
