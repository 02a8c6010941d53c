package natskv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/store"
)

var _ store.Watcher = (*Store)(nil)

// Watch implements store.Watcher with the bucket's own watcher: the newest
// value of every key, then every change as JetStream stores it. (Its early
// end-of-initial-values marker, which List cannot trust, does not matter
// here: Watch reports every change, whenever it arrives.)
//
// The watcher is an ordered consumer that lives on the server. When the
// connection reconnects (the embedded server was restarted after a storage
// failure, an external one restarted) that consumer may be gone, and
// nats.go notices only after two missed heartbeats, some 10 s during which
// no change arrives. So Watch looks at the connection's reconnect count
// every reconnectCheck and, when it moved, starts a new watcher from the
// revision after the last one reported.
func (s *Store) Watch(ctx context.Context, fn func(store.Change)) error {
	nc := s.js.Conn()
	var last uint64 // the newest revision reported
	for first := true; ; first = false {
		var opts []jetstream.WatchOpt
		if last > 0 {
			opts = append(opts, jetstream.ResumeFromRevision(last+1))
		}
		reconnects := nc.Stats().Reconnects
		w, err := s.kv.WatchAll(ctx, opts...)
		if err != nil {
			if first || ctx.Err() != nil {
				return fmt.Errorf("natskv: watch: %w", err)
			}
			// Right after a reconnect JetStream may not answer yet.
			if !sleep(ctx, reconnectCheck) {
				return ctx.Err()
			}
			continue
		}
		err = follow(ctx, w, fn, &last, func() bool { return nc.Stats().Reconnects != reconnects })
		_ = w.Stop()
		if !errors.Is(err, errReconnected) {
			return err
		}
	}
}

// reconnectCheck is how often Watch looks for a reconnect.
const reconnectCheck = time.Second

var errReconnected = errors.New("natskv: reconnected")

// follow reports the watcher's changes until ctx ends, the watcher ends, or
// reconnected says the connection reconnected (errReconnected).
func follow(ctx context.Context, w jetstream.KeyWatcher, fn func(store.Change), last *uint64, reconnected func() bool) error {
	t := time.NewTicker(reconnectCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if reconnected() {
				return errReconnected
			}
		case e, ok := <-w.Updates():
			if !ok {
				if err := ctx.Err(); err != nil {
					return err
				}
				return fmt.Errorf("natskv: watch ended")
			}
			if e == nil {
				continue // end of the initial values
			}
			if e.Revision() <= *last {
				continue // seen before the watcher was restarted
			}
			*last = e.Revision()
			c := store.Change{Key: e.Key(), Revision: e.Revision()}
			if e.Operation() == jetstream.KeyValuePut {
				c.Value = e.Value()
			} else {
				c.Deleted = true
			}
			fn(c)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Revision returns the sequence of the newest message in the bucket's
// stream, which is the revision of the newest write.
func (s *Store) Revision(ctx context.Context) (uint64, error) {
	st, err := s.js.Stream(ctx, s.stream)
	if err != nil {
		return 0, fmt.Errorf("natskv: revision: %w", err)
	}
	return st.CachedInfo().State.LastSeq, nil
}
