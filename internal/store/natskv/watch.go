package natskv

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/store"
)

var _ store.Watcher = (*Store)(nil)

// Watch implements store.Watcher with the bucket's own watcher: the newest
// value of every key, then every change as JetStream stores it. (Its early
// end-of-initial-values marker, which List cannot trust, does not matter
// here: Watch reports every change, whenever it arrives.)
func (s *Store) Watch(ctx context.Context, fn func(store.Change)) error {
	w, err := s.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("natskv: watch: %w", err)
	}
	defer func() { _ = w.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
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

// Revision returns the sequence of the newest message in the bucket's
// stream, which is the revision of the newest write.
func (s *Store) Revision(ctx context.Context) (uint64, error) {
	st, err := s.js.Stream(ctx, s.stream)
	if err != nil {
		return 0, fmt.Errorf("natskv: revision: %w", err)
	}
	return st.CachedInfo().State.LastSeq, nil
}
