package natsd

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// verdict is what one check of the store found.
type verdict struct {
	// err is why the store cannot take writes now (a *WriteError); nil when
	// it can.
	err error
	// broken: the server itself must be restarted before it writes again
	// (a write failed and nats-server keeps refusing, or it turned
	// JetStream off).
	broken bool
	// room: there is space enough for a restart to succeed.
	room bool
}

// supervisor keeps the store's state current and restarts a broken embedded
// server. It checks every `every`, and at once when nudged (a write failed);
// a restart that fails is tried again after a backoff, doubling up to
// backoffMax, as long as the store stays broken. Its operations are
// functions so that its timing can be tested in a synctest bubble.
type supervisor struct {
	check      func(context.Context) verdict
	quick      func() error                // nil, or a cheap check made before each write while the store takes writes
	restart    func(context.Context) error // nil: nothing to restart (external server)
	every      time.Duration
	backoff    time.Duration // after the first failed restart
	backoffMax time.Duration
	log        *slog.Logger

	wake chan struct{} // buffered 1: check now

	mu         sync.Mutex
	err        error     // why the store cannot write; nil: it can
	since      time.Time // when err last went from nil to non-nil or back
	lost       context.Context
	lose       context.CancelCauseFunc // ends lost, with err as its cause
	recoveries int
	restarting bool // no check may call the store writable meanwhile
}

func newSupervisor(check func(context.Context) verdict, restart func(context.Context) error, log *slog.Logger) *supervisor {
	s := &supervisor{
		check: check, restart: restart, log: log,
		every: time.Second, backoff: time.Second, backoffMax: time.Minute,
		wake: make(chan struct{}, 1), since: time.Now(),
	}
	s.lost, s.lose = context.WithCancelCause(context.Background())
	return s
}

// nudge asks for a check now.
func (s *supervisor) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// run checks and restarts until ctx ends.
func (s *supervisor) run(ctx context.Context) {
	t := time.NewTimer(s.every)
	defer t.Stop()
	var (
		failures int
		notUntil time.Time // no restart before this
	)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
		v := s.check(ctx)
		if ctx.Err() != nil {
			return
		}
		s.set(v.err)
		if v.broken && v.room && s.restart != nil && !time.Now().Before(notUntil) {
			s.log.Warn("store broken: restarting the embedded NATS server on the same store", "reason", v.err)
			s.mu.Lock()
			s.restarting = true
			s.mu.Unlock()
			err := s.restart(ctx)
			s.mu.Lock()
			s.restarting = false
			if err == nil {
				s.recoveries++
			}
			s.mu.Unlock()
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				failures++
				wait := s.backoff << min(failures-1, 16)
				wait = min(wait, s.backoffMax)
				notUntil = time.Now().Add(wait)
				s.log.Error("restart of the embedded NATS server failed; trying again", "err", err, "in", wait)
			} else {
				failures, notUntil = 0, time.Time{}
				s.log.Info("embedded NATS server restarted after a store failure")
				s.nudge() // see at once whether it writes
			}
		}
		t.Reset(s.every)
	}
}

// set records the store's state; writes in flight are ended when it stops
// taking writes.
func (s *supervisor) set(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && s.restarting {
		return // a check made halfway through a restart
	}
	was := s.err
	s.err = err
	switch {
	case was == nil && err != nil:
		s.since = time.Now()
		s.lose(err)
		s.log.Warn("store cannot write: new events and changes are refused", "reason", err)
	case was != nil && err == nil:
		s.since = time.Now()
		s.lost, s.lose = context.WithCancelCause(context.Background())
		s.log.Info("store takes writes again", "was", was)
	}
}

// state returns the current state: why the store cannot write (nil: it
// can), since when, how many restarts recovered it, and the context that
// ends when it stops taking writes.
func (s *supervisor) state() (err error, since time.Time, recoveries int, lost context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err, s.since, s.recoveries, s.lost
}

// quickCheck is why the store cannot write now, with the cheap check run
// on top of the last full one: the periodic check may be up to `every`
// old, and a disk that filled since is seen here, before a write makes
// nats-server fail.
func (s *supervisor) quickCheck() error {
	err, _, _, _ := s.state()
	if err == nil && s.quick != nil {
		if err = s.quick(); err != nil {
			s.set(err)
			s.nudge()
		}
	}
	return err
}

// writeContext derives the context of one write from ctx: already ended,
// with the reason as its cause, when the store cannot write now; ended the
// moment it stops being able to.
func (s *supervisor) writeContext(ctx context.Context) (context.Context, context.CancelFunc) {
	err := s.quickCheck()
	_, _, _, lost := s.state()
	wctx, cancel := context.WithCancelCause(ctx)
	if err != nil {
		cancel(err)
		return wctx, func() {}
	}
	stop := context.AfterFunc(lost, func() { cancel(context.Cause(lost)) })
	return wctx, func() {
		stop()
		cancel(context.Canceled)
	}
}
