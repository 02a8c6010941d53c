package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/metrics"
)

// Deliverer takes one delivery; done is called once it is delivered or
// durably handed on (nil), or could not be (the error). Deliver may block:
// that is backpressure.
type Deliverer interface {
	Deliver(ctx context.Context, t *Target, rec ingest.Record, done func(error)) error
	// DeadLetterBus durably records an event the bus itself could not
	// process for the bus's dead-letter queue.
	DeadLetterBus(ctx context.Context, dlqArn string, rec ingest.Record, code, msg string) error
}

// consumerName is the durable consumer every node shares: JetStream hands
// each batch to one of them.
const consumerName = "router"

// Config configures a Router.
type Config struct {
	JS        jetstream.JetStream
	Index     *Index
	Deliverer Deliverer
	// Batches is how many batches one node routes at once (default 64).
	Batches int
	Metrics *metrics.Registry // nil: a registry of its own
	Log     *slog.Logger
}

// Stats counts what the router did since it started.
type Stats struct {
	Events        atomic.Int64 // events routed
	MatchedEvents atomic.Int64 // events that matched at least one rule
	Deliveries    atomic.Int64 // (rule, target) deliveries created
}

// Router consumes the events stream. Open starts it; Close stops it.
type Router struct {
	cfg    Config
	log    *slog.Logger
	cons   jetstream.Consumer
	stats  Stats
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Open creates (or binds to) the shared consumer and starts routing.
func Open(ctx context.Context, cfg Config) (*Router, error) {
	if cfg.Batches <= 0 {
		cfg.Batches = 64
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	cons, err := cfg.JS.CreateOrUpdateConsumer(ctx, ingest.StreamName, jetstream.ConsumerConfig{
		Durable:   consumerName,
		AckPolicy: jetstream.AckExplicitPolicy,
		// A batch is acknowledged when its slowest first attempt is settled,
		// usually seconds at most (longer behind a rate-limited API
		// destination: the batch is then reported in progress every
		// progressEvery); after a crash, unacknowledged batches are routed
		// again this long after they were last reported.
		AckWait:       15 * time.Second,
		MaxAckPending: cfg.Batches * 4,
		MaxDeliver:    -1,
	})
	if err != nil {
		return nil, fmt.Errorf("router: consumer: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	r := &Router{cfg: cfg, log: cfg.Log, cons: cons, cancel: cancel}
	msgs := make(chan jetstream.Msg)
	r.wg.Go(func() { r.fetch(runCtx, msgs) })
	for range cfg.Batches {
		r.wg.Go(func() {
			var scratch routeScratch
			for m := range msgs {
				r.route(runCtx, m, &scratch)
			}
		})
	}
	return r, nil
}

// Stats returns the router's counters.
func (r *Router) Stats() *Stats { return &r.stats }

// fetch pulls batches and hands them to the routing goroutines.
func (r *Router) fetch(ctx context.Context, out chan<- jetstream.Msg) {
	defer close(out)
	it, err := r.cons.Messages(jetstream.PullMaxMessages(r.cfg.Batches))
	if err != nil {
		r.log.Error("router: cannot consume events", "err", err)
		return
	}
	go func() { <-ctx.Done(); it.Stop() }()
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			}
			r.log.Warn("router: consume", "err", err)
			continue
		}
		select {
		case out <- m:
		case <-ctx.Done():
			_ = m.Nak()
			return
		}
	}
}

type routeScratch struct {
	targets []*Target
	names   []string
}

// route matches every event of one batch and acknowledges the batch once
// all its deliveries are settled.
func (r *Router) route(ctx context.Context, m jetstream.Msg, s *routeScratch) {
	recs, err := ingest.DecodeBatch(m.Data())
	if err != nil {
		r.log.Error("router: undecodable batch dropped", "err", err)
		_ = m.Term()
		return
	}
	if rev, err := strconv.ParseUint(m.Headers().Get(ingest.RevisionHeader), 10, 64); err == nil {
		// Every rule change acknowledged before these events were accepted
		// applies to them.
		if err := r.cfg.Index.WaitApplied(ctx, rev); err != nil {
			_ = m.Nak()
			return
		}
	}
	b := &batch{msg: m, settled: make(chan struct{})}
	b.pending.Store(1) // held until every delivery is queued
	for i := range recs {
		rec := recs[i]
		s.targets, s.names, err = r.cfg.Index.Match(s.targets[:0], BusKey{rec.Account, rec.Region, rec.Bus}, rec.Event, s.names)
		if err != nil {
			// A non-retriable error processing the event on the bus: AWS
			// sends such events (there, KMS failures) to the bus's
			// dead-letter queue when it has one.
			key := BusKey{rec.Account, rec.Region, rec.Bus}
			if doc, ok := r.cfg.Index.Bus(key); ok && doc.DeadLetterArn != nil {
				b.pending.Add(1)
				b.done(r.cfg.Deliverer.DeadLetterBus(ctx, *doc.DeadLetterArn, rec, "INVALID_EVENT", "The event could not be processed on the bus: "+err.Error()))
				r.log.Warn("router: event does not parse: recorded for the bus's dead-letter queue", "bus", rec.Bus, "dead_letter_queue", *doc.DeadLetterArn, "err", err)
				continue
			}
			r.log.Warn("router: event does not parse: dropped (the bus has no dead-letter queue)", "bus", rec.Bus, "err", err)
			continue
		}
		r.stats.Events.Add(1)
		if len(s.targets) == 0 {
			continue
		}
		r.stats.MatchedEvents.Add(1)
		r.stats.Deliveries.Add(int64(len(s.targets)))
		bus := metrics.BusKey{Account: rec.Account, Region: rec.Region, Bus: rec.Bus}
		r.cfg.Metrics.MatchedEvents(bus).Inc()
		for _, name := range s.names {
			r.cfg.Metrics.Rule(metrics.RuleKey{BusKey: bus, Rule: name}).TriggeredRules.Inc()
		}
		if !b.alive {
			// Deliver may block (backpressure) and deliveries may take long:
			// keep the batch in hand until they settle.
			b.alive = true
			go b.keepAlive()
		}
		for _, t := range s.targets {
			b.pending.Add(1)
			if err := r.cfg.Deliverer.Deliver(ctx, t, rec, b.done); err != nil {
				b.done(err)
			}
		}
	}
	b.done(nil)
}

// batch tracks the deliveries of one stored batch.
type batch struct {
	msg     jetstream.Msg
	pending atomic.Int64
	failed  atomic.Bool
	settled chan struct{} // closed when pending reaches 0
	alive   bool          // keepAlive started (by route)
}

// progressEvery is how often a batch whose deliveries are not all settled
// tells JetStream it is still in hand, well within the consumer's AckWait:
// a first attempt may wait long for a rate-limited API destination, and a
// batch redelivered meanwhile would be routed, and delivered, twice.
const progressEvery = 5 * time.Second

func (b *batch) keepAlive() {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-b.settled:
			return
		case <-t.C:
			_ = b.msg.InProgress()
		}
	}
}

func (b *batch) done(err error) {
	if err != nil {
		b.failed.Store(true)
	}
	if b.pending.Add(-1) != 0 {
		return
	}
	close(b.settled)
	if b.failed.Load() {
		// Some delivery was neither made nor handed on: route the whole
		// batch again later (deliveries already made repeat: at least once).
		_ = b.msg.NakWithDelay(5 * time.Second)
		return
	}
	_ = b.msg.Ack()
}

// Close stops fetching, lets the batches in hand finish routing, and waits.
func (r *Router) Close() {
	r.cancel()
	r.wg.Wait()
}
