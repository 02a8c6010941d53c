// Package testwait waits, in tests, for asynchronous work (deliveries, dead
// letters, records in a queue) by progress instead of by a fixed deadline.
//
// A fixed deadline fails a correct server on a slow or busy machine, and a
// generous one hangs a broken run for long. Here the test keeps waiting as
// long as what it awaits still moves (a count of delivered events grows)
// and fails only when nothing has moved for a long while (Stall), or when
// the whole wait exceeds a bound far above the normal time (Limit), which
// stops a livelock well before go test's own timeout. The failure says
// what is still missing and when progress was last seen.
//
// It imports only the standard library, so any test package can use it.
package testwait

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Defaults of a zero Wait.
const (
	DefaultStall = 90 * time.Second
	DefaultLimit = 10 * time.Minute
	// Log progress of a long wait this often, so that a slow CI run shows
	// in its log where the time goes.
	logEvery = 30 * time.Second
	// Polls start fast (most waits end within milliseconds) and slow down
	// to maxPoll, so that a long wait does not spin on a busy machine.
	minPoll = 5 * time.Millisecond
	maxPoll = 250 * time.Millisecond
)

// Wait sets the bounds of a wait; the zero value uses the defaults.
type Wait struct {
	// Stall: fail after this long without progress.
	Stall time.Duration
	// Limit: fail after this long in all, even while progress moves.
	Limit time.Duration
}

// Status is what one poll found.
type Status struct {
	// Done ends the wait successfully.
	Done bool
	// Progress is a measure that changes while the awaited work advances
	// (events delivered so far, dead letters recorded); any change restarts
	// the stall clock. A wait for a single condition leaves it 0: then the
	// stall interval is its deadline.
	Progress int64
	// Missing says what is still awaited ("12 of 1010 events, e.g. ...");
	// it is printed when the wait fails and in the progress log.
	Missing string
}

// For polls until a poll reports Done, and fails the test (t.Fatalf) when
// progress stalls or the limit passes. what names the wait in messages.
func For(t testing.TB, what string, poll func() Status) {
	t.Helper()
	Wait{}.For(t, what, poll)
}

// Cond waits until cond holds: a wait with no measure of progress, so it
// fails after DefaultStall.
func Cond(t testing.TB, what string, cond func() bool) {
	t.Helper()
	For(t, what, func() Status { return Status{Done: cond()} })
}

// For polls until a poll reports Done, within w's bounds.
func (w Wait) For(t testing.TB, what string, poll func() Status) {
	t.Helper()
	stall, limit := w.Stall, w.Limit
	if stall <= 0 {
		stall = DefaultStall
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	start := time.Now()
	st := poll()
	last, moved, logged := st.Progress, start, start
	interval := minPoll
	for !st.Done {
		now := time.Now()
		if now.Sub(moved) > stall {
			t.Fatalf("waiting for %s: no progress for %v (progress %d, last moved at %s, %v after the wait began); still missing: %s",
				what, now.Sub(moved).Round(time.Second), st.Progress, moved.Format("15:04:05.000"), moved.Sub(start).Round(time.Millisecond), st.Missing)
		}
		if now.Sub(start) > limit {
			t.Fatalf("waiting for %s: still not done after %v, although progress moved (now %d, last moved at %s); still missing: %s",
				what, now.Sub(start).Round(time.Second), st.Progress, moved.Format("15:04:05.000"), st.Missing)
		}
		if now.Sub(logged) >= logEvery {
			t.Logf("still waiting for %s after %v: progress %d, last moved %v ago; missing: %s",
				what, now.Sub(start).Round(time.Second), st.Progress, now.Sub(moved).Round(time.Second), st.Missing)
			logged = now
		}
		time.Sleep(interval)
		interval = min(2*interval, maxPoll)
		st = poll()
		if st.Progress != last {
			last, moved = st.Progress, time.Now()
			interval = minPoll // things are moving: look again soon
		}
	}
}

// ProcessCPU is the CPU time (in clock ticks) that process pid has used so
// far, or 0 where /proc cannot tell. It is the progress of a wait for a
// child process to start: a server that imports, loads or recovers is
// still using CPU, however busy the machine is, while a hung one is not.
func ProcessCPU(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: fields are
	// counted after its closing parenthesis, where field 3 (state) is
	// the first; utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return utime + stime
}
