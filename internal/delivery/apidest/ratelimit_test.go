package apidest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestRateLimitSpacesInvocations(t *testing.T) {
	dst := newRecorder(t)
	synctest.Test(t, func(t *testing.T) {
		c := New(Options{})
		r := post(dst.URL, Auth{Type: AuthBasic})
		r.Dest.RateLimitPerSecond = 5
		start := time.Now()
		for range 10 {
			if res := c.Invoke(context.Background(), r); res.Err != nil {
				t.Fatal(res.Err)
			}
		}
		// Burst 1: the first goes at once, then one every 200 ms.
		if d := time.Since(start); d != 1800*time.Millisecond {
			t.Errorf("10 invocations at 5/s took %v, want 1.8s", d)
		}
	})
	if dst.count() != 10 {
		t.Errorf("%d of 10 delivered", dst.count())
	}
}

func TestRateLimitConcurrentCallersWaitNotDrop(t *testing.T) {
	dst := newRecorder(t)
	synctest.Test(t, func(t *testing.T) {
		c := New(Options{})
		start := time.Now()
		var mu sync.Mutex
		var done []time.Duration
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				r := post(dst.URL, Auth{Type: AuthBasic})
				r.Dest.RateLimitPerSecond = 10
				if i%2 == 1 { // another destination has its own bucket
					r.Dest.Key = "other"
				}
				if res := c.Invoke(context.Background(), r); res.Err != nil {
					t.Error(res.Err)
				}
				mu.Lock()
				done = append(done, time.Since(start))
				mu.Unlock()
			})
		}
		wg.Wait()
		if d := time.Since(start); d != 900*time.Millisecond {
			t.Errorf("2 x 10 invocations at 10/s took %v, want 900ms", d)
		}
		// No one-second window holds more than rate per destination.
		perWindow := map[time.Duration]int{}
		for _, d := range done {
			perWindow[d/time.Second]++
		}
		for w, n := range perWindow {
			if n > 20 {
				t.Errorf("window %d: %d invocations", w, n)
			}
		}
	})
	if dst.count() != 20 {
		t.Errorf("%d of 20 delivered", dst.count())
	}
}

func TestRateLimitWaitCancelled(t *testing.T) {
	dst := newRecorder(t)
	synctest.Test(t, func(t *testing.T) {
		c := New(Options{})
		r := post(dst.URL, Auth{Type: AuthBasic})
		r.Dest.RateLimitPerSecond = 1
		c.Invoke(context.Background(), r) // takes the slot at t=0
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		res := c.Invoke(ctx, r)
		if !errors.Is(res.Err, context.DeadlineExceeded) || !res.Retryable || res.Code != "" || res.Status != 0 {
			t.Errorf("cancelled wait: %+v", res)
		}
		// The abandoned slot was given back: the next caller gets t=1s.
		start := time.Now()
		c.Invoke(context.Background(), r)
		if d := time.Since(start); d != 700*time.Millisecond {
			t.Errorf("next invocation waited %v, want 700ms", d)
		}
	})
	if dst.count() != 2 {
		t.Errorf("%d requests sent", dst.count())
	}
}

func TestRateLimitUnlimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l limiters
		l.m = map[string]*bucket{}
		start := time.Now()
		for range 1000 {
			if err := l.wait(context.Background(), "d", 0); err != nil {
				t.Fatal(err)
			}
		}
		if time.Since(start) != 0 || len(l.m) != 0 {
			t.Error("rate 0 waited or kept state")
		}
	})
}

func TestRateLimitSweep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l limiters
		l.m = map[string]*bucket{}
		for i := range 1000 {
			l.wait(context.Background(), fmt.Sprint("dest-", i), 100)
		}
		if len(l.m) != 1000 {
			t.Fatalf("%d buckets", len(l.m))
		}
		time.Sleep(2 * time.Minute)
		l.wait(context.Background(), "busy", 1)
		if len(l.m) != 1 {
			t.Errorf("%d buckets after idle sweep, want 1", len(l.m))
		}
	})
}
