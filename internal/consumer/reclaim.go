package consumer

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Reclaim removes from a work-queue stream the messages its consumer has
// acknowledged but the stream still holds, and returns how many it removed.
//
// On a work-queue stream JetStream removes a message when it is
// acknowledged. When that removal fails (the store had a write error: a
// full disk), nats-server keeps the message while the consumer's
// acknowledgement stands, and it never looks again: it reconciles
// acknowledgements with stored messages at start-up for interest streams
// only, not for work queues. Such a message is never delivered again and
// takes space for good; a disk that filled once stays full of finished
// work, across restarts. Every message at or below the consumer's
// acknowledgement floor was acknowledged (the stream's one consumer covers
// every subject), so purging up to the floor removes exactly those, in
// whole blocks. A message acknowledged above the floor while a removal
// failed is reclaimed once the floor passes it.
func Reclaim(ctx context.Context, s jetstream.Stream, c jetstream.Consumer) (uint64, error) {
	ci, err := c.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("consumer: reclaim: %w", err)
	}
	si, err := s.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("consumer: reclaim: %w", err)
	}
	floor, st := ci.AckFloor.Stream, si.State
	// The floor speaks for the whole stream only when this is its one
	// consumer.
	if si.Config.Retention != jetstream.WorkQueuePolicy || st.Consumers != 1 || st.Msgs == 0 || st.FirstSeq > floor {
		return 0, nil
	}
	if err := s.Purge(ctx, jetstream.WithPurgeSequence(floor+1)); err != nil {
		return 0, fmt.Errorf("consumer: reclaim: purge below %d: %w", floor+1, err)
	}
	// How many went, for the log: a count taken while the stream keeps
	// moving, at least one (FirstSeq was at or below the floor).
	n := uint64(1)
	if after, err := s.Info(ctx); err == nil && after.State.Msgs < st.Msgs {
		n = st.Msgs - after.State.Msgs
	}
	return n, nil
}

// reclaim runs Reclaim on the Loop's stream now and every ReclaimEvery
// until ctx ends.
func (l *Loop) reclaim(ctx context.Context) {
	for {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		n, err := Reclaim(rctx, l.cfg.Stream, l.cfg.Consumer)
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			l.cfg.Log.Debug("consumer: reclaim failed; trying again later", "consumer", l.cfg.Name, "err", err)
		case n > 0:
			l.cfg.Log.Warn("consumer: removed acknowledged messages the stream had kept (a removal failed earlier)",
				"consumer", l.cfg.Name, "messages", n)
		}
		if !sleep(ctx, l.cfg.ReclaimEvery) {
			return
		}
	}
}
