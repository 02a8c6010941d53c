package router

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/consumer"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/metrics"
)

// Deliverer takes one delivery; done is called once it is delivered or
// durably handed on (nil), or could not be (the error). Deliver may block:
// that is backpressure. The router defines what it needs and knows no
// target kind: package delivery implements it.
type Deliverer interface {
	Deliver(ctx context.Context, t *Target, rec ingest.Record, done func(error)) error
	// DeadLetterBus durably records an event the bus itself could not
	// process (why: reason) for the bus's dead-letter queue.
	DeadLetterBus(ctx context.Context, dlqArn string, rec ingest.Record, reason error) error
}

// consumerName is the durable consumer every node shares: JetStream hands
// each batch to one of them.
const consumerName = "router"

// Config configures a Router.
type Config struct {
	JS        jetstream.JetStream
	View      *catalog.View // the revision barrier and the buses' dead-letter queues
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
	cfg     Config
	log     *slog.Logger
	loop    *consumer.Loop
	stats   Stats
	scratch sync.Pool // of *routeScratch
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
		// A batch in hand is reported in progress every few seconds (the
		// consumer loop's keep-alive) while it is matched and its first
		// attempts are made; after a crash, the batches the dead node held
		// are routed again this long after they were last reported.
		AckWait:       15 * time.Second,
		MaxAckPending: cfg.Batches * 4,
		MaxDeliver:    -1,
	})
	if err != nil {
		return nil, fmt.Errorf("router: consumer: %w", err)
	}
	stream, err := cfg.JS.Stream(ctx, ingest.StreamName)
	if err != nil {
		return nil, fmt.Errorf("router: events stream: %w", err)
	}
	r := &Router{cfg: cfg, log: cfg.Log}
	// Stream: reclaim the batches routed and acknowledged while the store
	// could not remove them.
	r.loop = consumer.Open(consumer.Config{Consumer: cons, Stream: stream, Name: consumerName, Concurrency: cfg.Batches, Log: cfg.Log}, r.route)
	return r, nil
}

// Stats returns the router's counters.
func (r *Router) Stats() *Stats { return &r.stats }

// routeScratch is what matching one batch reuses between events; it is
// pooled, since every batch is routed in a goroutine of its own (the
// consumer loop's) and would otherwise grow new slices each time.
type routeScratch struct {
	targets []*Target
	names   []string
}

// route matches every event of one batch and settles the batch once all
// its deliveries are.
func (r *Router) route(ctx context.Context, m *consumer.Msg) {
	recs, err := ingest.DecodeBatch(m.Data())
	if err != nil {
		r.log.Error("router: undecodable batch dropped", "err", err)
		_ = m.Term()
		return
	}
	if rev, err := strconv.ParseUint(m.Headers().Get(ingest.RevisionHeader), 10, 64); err == nil {
		// Every rule change acknowledged before these events were accepted
		// applies to them.
		if err := r.cfg.View.WaitApplied(ctx, rev, nil); err != nil {
			_ = m.NakAfter(0)
			return
		}
	}
	s, _ := r.scratch.Get().(*routeScratch)
	if s == nil {
		s = new(routeScratch)
	}
	defer r.scratch.Put(s)
	b := &batch{msg: m}
	b.pending.Store(1) // held until every delivery is queued
	for i := range recs {
		if ctx.Err() != nil {
			// Shutting down: hand the batch back (the deliveries already
			// queued are made, and made again when it is routed again).
			b.done(ctx.Err())
			return
		}
		rec := recs[i]
		s.targets, s.names, err = r.cfg.Index.Match(s.targets[:0], rec.Bus, rec.Event, s.names)
		if err != nil {
			r.deadLetterBus(ctx, b, rec, err)
			continue
		}
		r.stats.Events.Add(1)
		if len(s.targets) == 0 {
			continue
		}
		r.stats.MatchedEvents.Add(1)
		r.stats.Deliveries.Add(int64(len(s.targets)))
		r.cfg.Metrics.MatchedEvents(rec.Bus).Inc()
		for _, name := range s.names {
			r.cfg.Metrics.Rule(metrics.RuleKey{Bus: rec.Bus, Rule: name}).TriggeredRules.Inc()
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

// deadLetterBus handles an event its bus cannot process (it does not
// parse): AWS sends such events (there, KMS failures) to the bus's
// dead-letter queue when it has one.
func (r *Router) deadLetterBus(ctx context.Context, b *batch, rec ingest.Record, err error) {
	doc, ok := r.cfg.View.Bus(rec.Bus)
	if !ok || doc.DeadLetterArn == nil {
		r.log.Warn("router: event does not parse: dropped (the bus has no dead-letter queue)", "bus", rec.Bus.Name, "err", err)
		return
	}
	b.pending.Add(1)
	b.done(r.cfg.Deliverer.DeadLetterBus(ctx, *doc.DeadLetterArn, rec, err))
	r.log.Warn("router: event does not parse: recorded for the bus's dead-letter queue", "bus", rec.Bus.Name, "dead_letter_queue", *doc.DeadLetterArn, "err", err)
}

// batch tracks the deliveries of one stored batch.
type batch struct {
	msg     *consumer.Msg
	pending atomic.Int64
	failed  atomic.Bool
}

func (b *batch) done(err error) {
	if err != nil {
		b.failed.Store(true)
	}
	if b.pending.Add(-1) != 0 {
		return
	}
	if b.failed.Load() {
		// Some delivery was neither made nor handed on: route the whole
		// batch again later (deliveries already made repeat: at least once).
		_ = b.msg.NakAfter(5 * time.Second)
		return
	}
	_ = b.msg.Ack()
}

// Stop stops fetching batches; the batches in hand settle as their
// deliveries do. Close the Deliverer next (it settles every delivery it
// holds), then Close the Router.
func (r *Router) Stop() { r.loop.Stop() }

// Close stops fetching, lets the batches in hand settle (for a bounded
// time: those still in hand then are routed again later), and waits.
func (r *Router) Close() { r.loop.Close() }
