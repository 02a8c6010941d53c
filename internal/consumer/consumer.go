// Package consumer is the one loop by which Switchyard reads a durable
// JetStream consumer: the router's event batches, the retry stream and the
// dead-letter stream all use it.
//
// A Loop fetches messages and hands each to a Handler, in a goroutine of
// its own, as a *Msg. The handler may settle the message at once or later,
// from any goroutine (a batch is settled when its last delivery is): Ack,
// Nak with a delay, or Term, exactly once. Until then the message is in
// hand: the Loop reports it in progress to JetStream at least every
// KeepAlive (one goroutine per Loop does it), so that a slow handler (a
// long match, a delivery waiting for a rate limit) is never mistaken for a
// dead one and the message is not delivered a second time; and it counts
// against Concurrency, which bounds the messages in hand. A fetch that
// fails is retried with backoff.
//
// Close stops fetching and waits, up to a bound, for the messages in hand
// to be settled; those still in hand then are handed back (Nak) so that a
// shutdown ends in bounded time and loses nothing: JetStream delivers them
// again, to this node after a restart or to another one.
//
// A consumer of a work-queue stream (Config.Stream) also reclaims what the
// stream kept of finished work: see Reclaim.
package consumer

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Handler takes one message. It must settle it eventually (Msg.Ack,
// Msg.NakAfter or Msg.Term), now or from another goroutine. ctx ends when
// the Loop is closing: a handler that is still working may hand the message
// back with NakAfter(0).
type Handler func(ctx context.Context, m *Msg)

// Config configures a Loop.
type Config struct {
	Consumer jetstream.Consumer
	Name     string // in log lines
	// Concurrency bounds the messages in hand, settled or not (default 1).
	Concurrency int
	// KeepAlive is how often a message in hand is reported in progress; it
	// must be well within the consumer's AckWait (default 5 s).
	KeepAlive time.Duration
	// Drain bounds how long Close waits for messages in hand to be settled
	// before it hands them back (default 10 s).
	Drain time.Duration
	// Stream, if set, is the work-queue stream Consumer reads: the Loop
	// runs Reclaim on it when it opens and every ReclaimEvery (default
	// 30 s).
	Stream       jetstream.Stream
	ReclaimEvery time.Duration
	Log          *slog.Logger
}

// Loop is a running consumer. Open starts it; Close stops it.
type Loop struct {
	cfg      Config
	h        Handler
	slots    chan struct{} // one per message in hand
	cancel   context.CancelFunc
	fetch    sync.WaitGroup
	handlers sync.WaitGroup

	mu     sync.Mutex
	inHand map[*Msg]struct{}
	idle   chan struct{} // closed when inHand empties while closing

	// The keep-alive outlives Stop: messages stay in hand until Close.
	stopAlive chan struct{}
	alive     sync.WaitGroup
	closeOnce sync.Once
}

// Msg is a message in hand.
type Msg struct {
	jetstream.Msg
	loop  *Loop
	once  sync.Once
	since time.Time // when it was fetched
}

// Open starts fetching from cfg.Consumer and handing messages to h.
func Open(cfg Config, h Handler) *Loop {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = 5 * time.Second
	}
	if cfg.Drain <= 0 {
		cfg.Drain = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.ReclaimEvery <= 0 {
		cfg.ReclaimEvery = 30 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Loop{cfg: cfg, h: h, slots: make(chan struct{}, cfg.Concurrency), cancel: cancel, inHand: map[*Msg]struct{}{},
		stopAlive: make(chan struct{})}
	l.fetch.Go(func() { l.run(ctx) })
	l.alive.Go(l.keepAlive)
	if cfg.Stream != nil {
		l.fetch.Go(func() { l.reclaim(ctx) })
	}
	return l
}

// fetchBackoff bounds the wait after a failed fetch.
var fetchBackoff = struct{ base, max time.Duration }{100 * time.Millisecond, 5 * time.Second}

// run fetches until ctx ends.
func (l *Loop) run(ctx context.Context) {
	wait := fetchBackoff.base
	for ctx.Err() == nil {
		it, err := l.cfg.Consumer.Messages(jetstream.PullMaxMessages(l.cfg.Concurrency))
		if err != nil {
			l.cfg.Log.Warn("consumer: cannot fetch; trying again", "consumer", l.cfg.Name, "err", err, "in", wait)
			if !sleep(ctx, wait) {
				return
			}
			wait = min(2*wait, fetchBackoff.max)
			continue
		}
		stop := context.AfterFunc(ctx, it.Stop)
		wait = l.read(ctx, it, wait)
		stop()
		it.Stop()
	}
}

// read hands messages from it to the handler until it fails or ctx ends;
// it returns the backoff to use next.
func (l *Loop) read(ctx context.Context, it jetstream.MessagesContext, wait time.Duration) time.Duration {
	for {
		select {
		case l.slots <- struct{}{}:
		case <-ctx.Done():
			return wait
		}
		jm, err := it.Next()
		if err != nil {
			<-l.slots
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return wait
			}
			l.cfg.Log.Warn("consumer: fetch failed; trying again", "consumer", l.cfg.Name, "err", err, "in", wait)
			if !sleep(ctx, wait) {
				return wait
			}
			return min(2*wait, fetchBackoff.max)
		}
		wait = fetchBackoff.base
		m := &Msg{Msg: jm, loop: l, since: time.Now()}
		l.mu.Lock()
		l.inHand[m] = struct{}{}
		l.mu.Unlock()
		l.handlers.Go(func() { l.h(ctx, m) })
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

// keepAlive reports in progress, twice a KeepAlive, every message held
// for half a KeepAlive or more, until Close: one goroutine for the loop,
// and nothing for the many messages settled sooner.
func (l *Loop) keepAlive() {
	half := l.cfg.KeepAlive / 2
	t := time.NewTicker(half)
	defer t.Stop()
	var held []*Msg
	for {
		select {
		case <-l.stopAlive:
			return
		case now := <-t.C:
			held = held[:0]
			l.mu.Lock()
			for m := range l.inHand {
				if now.Sub(m.since) >= half {
					held = append(held, m)
				}
			}
			l.mu.Unlock()
			for _, m := range held {
				_ = m.Msg.InProgress()
			}
		}
	}
}

// settle runs the first verdict only: a message is settled once.
func (m *Msg) settle(f func() error) error {
	var err error
	m.once.Do(func() {
		err = f()
		l := m.loop
		l.mu.Lock()
		delete(l.inHand, m)
		if l.idle != nil && len(l.inHand) == 0 {
			close(l.idle)
			l.idle = nil
		}
		l.mu.Unlock()
		<-l.slots
	})
	return err
}

// Ack settles the message as done.
func (m *Msg) Ack() error { return m.settle(m.Msg.Ack) }

// NakAfter hands the message back to be delivered again after d (at once
// for d <= 0).
func (m *Msg) NakAfter(d time.Duration) error {
	if d <= 0 {
		return m.settle(m.Msg.Nak)
	}
	return m.settle(func() error { return m.Msg.NakWithDelay(d) })
}

// Term settles the message as one that can never be handled.
func (m *Msg) Term() error { return m.settle(m.Msg.Term) }

// Delivered is how many times JetStream delivered the message (1 the first
// time), or 1 when its metadata cannot be read.
func (m *Msg) Delivered() int {
	if md, err := m.Msg.Metadata(); err == nil && md.NumDelivered > 0 {
		return int(md.NumDelivered)
	}
	return 1
}

// Stop stops fetching, ends the handlers' ctx and waits for the handlers
// to return, without waiting for the messages in hand to be settled: an
// owner whose messages are settled by another component (the router's
// batches, by the dispatcher) stops the loop, closes that component, then
// Closes the loop, which then finds nothing in hand. After Stop no handler
// runs. Stop is idempotent.
func (l *Loop) Stop() {
	l.cancel()
	l.fetch.Wait()
	l.handlers.Wait()
}

// Close is Stop, then a wait of up to Drain for the messages in hand to be
// settled; those that are not are handed back. Handlers should watch their
// ctx: Stop waits for them to return.
func (l *Loop) Close() {
	l.Stop()
	defer l.closeOnce.Do(func() {
		close(l.stopAlive)
		l.alive.Wait()
	})
	l.mu.Lock()
	var idle chan struct{}
	if len(l.inHand) > 0 {
		idle = make(chan struct{})
		l.idle = idle
	}
	l.mu.Unlock()
	if idle == nil {
		return
	}
	t := time.NewTimer(l.cfg.Drain)
	defer t.Stop()
	select {
	case <-idle:
		return
	case <-t.C:
	}
	l.mu.Lock()
	left := make([]*Msg, 0, len(l.inHand))
	for m := range l.inHand {
		left = append(left, m)
	}
	l.mu.Unlock()
	l.cfg.Log.Warn("consumer: messages still in hand at shutdown handed back", "consumer", l.cfg.Name, "count", len(left))
	for _, m := range left {
		_ = m.NakAfter(0)
	}
}
