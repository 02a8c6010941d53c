package natsd

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// fakeServer stands in for the embedded server in the supervisor's timing
// tests: the real restart is exercised by TestFullDiskRecovery.
type fakeServer struct {
	mu        sync.Mutex
	broken    bool
	room      bool
	failFirst int // restarts that fail before one succeeds
	attempts  []time.Duration
	start     time.Time
}

func (f *fakeServer) check(context.Context) verdict {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.broken {
		return verdict{err: &WriteError{Reason: "a write failed"}, broken: true, room: f.room}
	}
	return verdict{}
}

func (f *fakeServer) restart(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts = append(f.attempts, time.Since(f.start))
	if len(f.attempts) <= f.failFirst {
		return errors.New("the new server did not start")
	}
	f.broken = false
	return nil
}

func (f *fakeServer) set(broken, room bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.broken, f.room = broken, room
}

func (f *fakeServer) tries() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.attempts...)
}

// runSupervisor starts a supervisor on f inside the bubble; it stops when
// the test's bubble ends.
func runSupervisor(t *testing.T, f *fakeServer) *supervisor {
	f.start = time.Now()
	s := newSupervisor(f.check, f.restart, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return s
}

// TestSupervisorBackoff: a broken store is restarted at the next check; a
// restart that fails is tried again after 1 s, 2 s, 4 s, ... (here three
// fail, the fourth succeeds), and the store takes writes again at once.
func TestSupervisorBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{broken: true, room: true, failFirst: 3}
		s := runSupervisor(t, f)
		time.Sleep(30 * time.Second)
		synctest.Wait()
		want := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
		got := f.tries()
		if len(got) != len(want) {
			t.Fatalf("restarts at %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("restart %d at %v, want %v", i+1, got[i], want[i])
			}
		}
		err, since, recoveries, _ := s.state()
		if err != nil || recoveries != 1 {
			t.Errorf("after the restart: err %v, recoveries %d", err, recoveries)
		}
		if d := since.Sub(f.start); d != 8*time.Second {
			t.Errorf("writable again at %v, want 8s", d)
		}
	})
}

// TestSupervisorWaitsForRoom: no restart is tried while the filesystem has
// no room (it would fail, or fill the disk again); the first check after
// room appears restarts, and writes are refused until then.
func TestSupervisorWaitsForRoom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{broken: true, room: false}
		s := runSupervisor(t, f)
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := f.tries(); len(got) != 0 {
			t.Fatalf("restarts tried without room: %v", got)
		}
		ctx, cancel := s.writeContext(context.Background())
		defer cancel()
		if !errors.Is(context.Cause(ctx), store.ErrUnavailable) {
			t.Fatalf("write allowed while broken: cause %v", context.Cause(ctx))
		}
		f.set(true, true)
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if got := f.tries(); len(got) != 1 || got[0] != 61*time.Second {
			t.Fatalf("restarts at %v, want one at 1m1s", got)
		}
		if err, _, _, _ := s.state(); err != nil {
			t.Fatalf("still refusing after the restart: %v", err)
		}
	})
}

// TestWriteContextEndsWhenStoreFails: a write in flight when the store
// turns unwritable is ended at once, with the reason as its cause; one that
// ended normally is not affected later.
func TestWriteContextEndsWhenStoreFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{}
		s := runSupervisor(t, f)
		finished, done := s.writeContext(context.Background())
		done()
		inFlight, cancel := s.writeContext(context.Background())
		defer cancel()
		f.set(true, false)
		s.nudge()
		synctest.Wait()
		if !errors.Is(context.Cause(inFlight), store.ErrUnavailable) {
			t.Errorf("write in flight: cause %v", context.Cause(inFlight))
		}
		if errors.Is(context.Cause(finished), store.ErrUnavailable) {
			t.Errorf("a finished write was given the store's failure")
		}
		// Writable again: new writes go through and are not ended.
		f.set(false, true)
		s.nudge()
		synctest.Wait()
		next, cancel2 := s.writeContext(context.Background())
		defer cancel2()
		if next.Err() != nil {
			t.Errorf("write refused after recovery: %v", context.Cause(next))
		}
	})
}
