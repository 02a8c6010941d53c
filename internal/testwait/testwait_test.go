package testwait

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// recorder is a testing.TB whose Fatalf records the message and ends the
// goroutine, as the real one does, so that a failing wait can be checked.
type recorder struct {
	testing.TB
	fatal string
	logs  []string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// run waits with w in a goroutine of its own (Fatalf ends it) and returns
// the recorder and how long the wait took in the bubble's fake time.
func run(t *testing.T, w Wait, poll func() Status) (*recorder, time.Duration) {
	return runFunc(t, func(tb testing.TB) { w.For(tb, "the thing", poll) })
}

func runFunc(t *testing.T, wait func(testing.TB)) (*recorder, time.Duration) {
	r := &recorder{TB: t}
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait(r)
	}()
	<-done
	return r, time.Since(start)
}

// A wait that keeps moving outlasts its stall interval many times over.
func TestProgressKeepsWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		count := func() int64 { return int64(time.Since(start) / (60 * time.Second)) } // one more a minute
		r, took := run(t, Wait{Stall: 90 * time.Second, Limit: time.Hour}, func() Status {
			n := count()
			return Status{Done: n >= 10, Progress: n}
		})
		if r.fatal != "" {
			t.Fatalf("failed: %s", r.fatal)
		}
		if took < 10*time.Minute || took > 10*time.Minute+time.Second {
			t.Errorf("took %v, want just over 10m", took)
		}
		if len(r.logs) == 0 || !strings.Contains(r.logs[0], "still waiting for the thing") {
			t.Errorf("no progress log: %q", r.logs)
		}
	})
}

// A wait whose progress stops fails one stall interval after the last
// move, saying what is missing.
func TestStallFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		r, took := run(t, Wait{Stall: 90 * time.Second}, func() Status {
			n := min(int64(time.Since(start)/(10*time.Second)), 3) // 3 after 30 s, then stuck
			return Status{Progress: n, Missing: fmt.Sprintf("%d of 5 events", 5-n)}
		})
		if !strings.Contains(r.fatal, "no progress for 1m30s") || !strings.Contains(r.fatal, "still missing: 2 of 5 events") {
			t.Errorf("message %q", r.fatal)
		}
		if took < 120*time.Second || took > 121*time.Second {
			t.Errorf("failed after %v, want 30s of progress + 90s of stall", took)
		}
	})
}

// A wait that moves forever without finishing (a livelock) fails at the
// limit.
func TestLimitFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := int64(0)
		r, took := run(t, Wait{Stall: time.Minute, Limit: 5 * time.Minute}, func() Status {
			n++
			return Status{Progress: n, Missing: "the end"}
		})
		if !strings.Contains(r.fatal, "still not done after 5m0s") || !strings.Contains(r.fatal, "still missing: the end") {
			t.Errorf("message %q", r.fatal)
		}
		if took < 5*time.Minute || took > 5*time.Minute+time.Second {
			t.Errorf("failed after %v, want the 5m limit", took)
		}
	})
}

// Cond has no measure of progress: the default stall is its deadline, and
// a condition that comes true before it ends the wait at once.
func TestCond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		r, took := runFunc(t, func(tb testing.TB) {
			Cond(tb, "the thing", func() bool { return time.Since(start) >= 80*time.Second })
		})
		if r.fatal != "" || took > 81*time.Second {
			t.Errorf("took %v, failed %q", took, r.fatal)
		}
		r, took = runFunc(t, func(tb testing.TB) { Cond(tb, "the thing", func() bool { return false }) })
		if !strings.Contains(r.fatal, "no progress for") || took < DefaultStall || took > DefaultStall+time.Second {
			t.Errorf("never true: failed after %v with %q", took, r.fatal)
		}
	})
}

// ProcessCPU grows while a process works (here, this one spinning; on a
// busy machine it may take a while to be given a clock tick of CPU).
func TestProcessCPU(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skipf("no /proc here (%v): ProcessCPU reports 0", err)
	}
	pid := os.Getpid()
	before := ProcessCPU(pid)
	for start := time.Now(); ProcessCPU(pid) <= before; {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("CPU ticks still %d after 30 s of spinning", before)
		}
	}
	if n := ProcessCPU(-1); n != 0 {
		t.Errorf("no such process: %d", n)
	}
}
