package delivery

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

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/apidest"
	"github.com/switchyard-dev/switchyard/internal/delivery/bus"
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/metrics"
	"github.com/switchyard-dev/switchyard/internal/router"
	"github.com/switchyard-dev/switchyard/internal/store"
)

// Config configures a Dispatcher.
type Config struct {
	JS      jetstream.JetStream
	Storage jetstream.StorageType
	// Index finds a retry's target as it is now (it may have changed or
	// gone since the event was routed).
	Index *router.Index
	// View resolves API destinations and their connections, and the
	// policies of buses that bus targets put events on.
	View    *catalog.View
	Ingest  bus.Writer // where bus targets store events
	APIDest *apidest.Client
	// AWS makes the clients of AWS service targets and of the SQS
	// dead-letter queues; nil: those targets fail and dead letters stay in
	// the dead-letter stream only.
	AWS     *target.Clients
	Metrics *metrics.Registry // nil: a registry of its own
	Workers int               // concurrent attempts (default 64)
	// PerTarget bounds the concurrent attempts to one target (default a
	// quarter of Workers): a hung target cannot take every worker.
	PerTarget int
	Backoff   Backoff // between retries (default DefaultBackoff)
	// Guard, if set, is asked before and during every write to the retry
	// and dead-letter streams, so that one the store cannot take fails at
	// once (the router then routes the batch again later).
	Guard store.Guard
	Log   *slog.Logger
}

// Job is one event on its way to one target.
type Job struct {
	Target  *router.Target
	Rec     ingest.Record
	Retries int         // retries made before this attempt
	done    func(error) // nil: the event is delivered or durably handed on
}

// Stats counts what the dispatcher did since it started.
type Stats struct {
	Invocations  atomic.Int64 // attempts made
	Delivered    atomic.Int64 // attempts that succeeded
	Failed       atomic.Int64 // attempts that failed
	Retried      atomic.Int64 // failures scheduled for another attempt
	DeadLettered atomic.Int64 // events recorded for their dead-letter queue
	// SentToDLQ counts dead letters sent to their SQS queue (EventBridge's
	// InvocationsSentToDlq); FailedToDLQ counts those whose first sending
	// failed (InvocationsFailedToBeSentToDlq): they stay in the dead-letter
	// stream and are sent again later.
	SentToDLQ   atomic.Int64
	FailedToDLQ atomic.Int64
	Dropped     atomic.Int64 // undeliverable events without a dead-letter queue
	Abandoned   atomic.Int64 // retries whose rule or target no longer exists
}

// Dispatcher runs delivery attempts on a bounded pool of workers.
type Dispatcher struct {
	cfg   Config
	log   *slog.Logger
	jobs  chan *Job
	retry *retries
	dead  *deadLetters
	fwd   *forwarder // nil without AWS
	kinds kinds
	stats Stats
	fails failureLog
	share *share

	// invoke is the context of every attempt (each bounded by
	// attemptTimeout) and of paced kinds' waits for their rate limit, which
	// only Close ends (a wait cut short loses its slot, and a backlog longer
	// than attemptTimeout at the destination's rate was then never
	// delivered).
	invoke     context.Context
	stopInvoke context.CancelFunc
	workers    sync.WaitGroup
}

// Open creates the retry and dead-letter streams and starts the workers,
// the retry consumer and the dead-letter forwarder. Whatever it started is
// stopped again when a later step fails.
func Open(ctx context.Context, cfg Config) (_ *Dispatcher, err error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 64
	}
	if cfg.Backoff.Base <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.PerTarget <= 0 {
		cfg.PerTarget = max(1, cfg.Workers/4)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	d := &Dispatcher{cfg: cfg, log: cfg.Log, jobs: make(chan *Job, cfg.Workers*4)}
	d.fails.log = cfg.Log
	d.share = newShare(cfg.PerTarget)
	d.invoke, d.stopInvoke = context.WithCancel(context.Background())
	d.kinds = kinds{bus: bus.New(cfg.Ingest, cfg.View), apidest: apidest.NewKind(cfg.APIDest, cfg.View)}
	var q *sqs.Client
	if cfg.AWS != nil {
		q = sqs.New(cfg.AWS)
		d.kinds.aws = bindAWS(cfg.AWS, q)
	}
	for range cfg.Workers {
		d.workers.Go(d.work)
	}
	defer func() {
		if err != nil {
			_ = d.Close(ctx)
		}
	}()
	if d.dead, err = openDeadLetters(ctx, cfg.JS, cfg.Storage, cfg.Guard); err != nil {
		return nil, err
	}
	if q != nil {
		if d.fwd, err = d.dead.forwarder(ctx, d, q); err != nil {
			return nil, err
		}
	}
	if d.retry, err = openRetries(ctx, cfg.JS, cfg.Storage, cfg.Guard, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Stats returns the dispatcher's counters.
func (d *Dispatcher) Stats() *Stats { return &d.stats }

var _ router.Deliverer = (*Dispatcher)(nil)

// Deliver queues one attempt; done is called with nil once the event is
// delivered or durably handed to the retry or dead-letter path, or with the
// error that kept it from being either. It blocks while every worker is busy
// and the queue is full: that is the backpressure on the router.
func (d *Dispatcher) Deliver(ctx context.Context, t *router.Target, rec ingest.Record, done func(error)) error {
	return d.submit(ctx, &Job{Target: t, Rec: rec, done: done})
}

func (d *Dispatcher) submit(ctx context.Context, j *Job) error {
	select {
	case d.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *Dispatcher) work() {
	var buf []byte
	for j := range d.jobs {
		if !d.share.admit(j) {
			continue // its target is at its share: a worker of it runs j later
		}
		for ; j != nil; j = d.share.next(j) {
			buf = d.run(j, buf)
		}
	}
}

// run makes one attempt and settles it. buf is scratch space.
func (d *Dispatcher) run(j *Job, buf []byte) []byte {
	m := d.cfg.Metrics.Rule(ruleKey(j.Target))
	if j.Retries == 0 {
		m.IngestionToInvocationStartLatency.Observe(time.Since(j.Rec.Ingested).Seconds())
	}
	var o outcome
	o, buf = d.attempt(j, buf[:0])
	j.done(d.settle(j, o, m))
	return buf
}

// settle records an attempt's outcome and decides what follows a failure.
func (d *Dispatcher) settle(j *Job, o outcome, m *metrics.Rule) error {
	d.stats.Invocations.Add(1)
	if !o.notInvoked {
		m.InvocationAttempts.Inc()
		if j.Retries > 0 {
			m.RetryInvocationAttempts.Inc()
		}
	}
	if o.code == target.CodeThrottling {
		m.ThrottledRules.Inc()
	}
	if o.ok {
		d.stats.Delivered.Add(1)
		m.Invocations.Inc()
		d.fails.recovered(j.Target)
		return nil
	}
	d.stats.Failed.Add(1)
	exhausted := ""
	if o.retryable {
		var due time.Time
		due, exhausted = next(j.Target.RetryPolicy, d.cfg.Backoff, j.Retries, j.Rec.Ingested, time.Now(), o.retryAfter)
		if exhausted == "" {
			if err := d.retry.schedule(j, due, o); err != nil {
				return &unscheduled{due: due, err: err}
			}
			d.stats.Retried.Add(1)
			d.fails.failed(j.Target, o, j.Retries, due)
			return nil
		}
	}
	t := j.Target
	d.fails.gaveUp(t)
	if o.notInvoked {
		m.DeadLetterInvocations.Inc()
	}
	dlq := t.DeadLetterARN()
	if dlq == "" {
		if !o.notInvoked {
			m.Invocations.Inc()
			m.FailedInvocations.Inc()
		}
		d.stats.Dropped.Add(1)
		d.log.Warn("event not delivered and no dead-letter queue: dropped", "rule", t.RuleArn, "target", t.ARN,
			"error_code", o.code, "error", o.msg, "retries", j.Retries, "exhausted", exhausted)
		return nil
	}
	attrs := map[string]string{"RULE_ARN": t.RuleArn, "TARGET_ARN": t.ARN, "ERROR_CODE": o.code, "ERROR_MESSAGE": o.msg,
		"EXHAUSTED_RETRY_CONDITION": exhausted, "RETRY_ATTEMPTS": strconv.Itoa(j.Retries)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.dead.record(ctx, dlq, t.Bus, t.RuleName, j.Rec.Event, attrs); err != nil {
		return fmt.Errorf("delivery: dead-letter record: %w", err)
	}
	d.stats.DeadLettered.Add(1)
	d.log.Warn("event not delivered: recorded for its dead-letter queue", "rule", t.RuleArn, "target", t.ARN,
		"dead_letter_queue", dlq, "error_code", o.code, "error", o.msg, "retries", j.Retries, "exhausted", exhausted)
	return nil
}

func ruleKey(t *router.Target) metrics.RuleKey {
	return metrics.RuleKey{Bus: t.Bus, Rule: t.RuleName}
}

// Close stops the retry consumer and the dead-letter forwarder, lets the
// workers finish what is queued, and waits for them; attempts still under
// way (or waiting for a rate limit) a few seconds later are ended, and
// their events go to the retry stream. The router must have stopped calling
// Deliver. Close is safe to call on a Dispatcher Open gave up on halfway.
func (d *Dispatcher) Close(ctx context.Context) error {
	// Stop taking retries and dead letters first; those in hand are
	// settled by the workers (or the forwarder) as they finish, so the
	// loops are closed only after them.
	if d.retry != nil {
		d.retry.loop.Stop()
	}
	if d.fwd != nil {
		d.fwd.loop.Stop()
	}
	defer func() {
		if d.retry != nil {
			d.retry.loop.Close()
		}
		if d.fwd != nil {
			d.fwd.loop.Close()
		}
	}()
	close(d.jobs)
	done := make(chan struct{})
	go func() { d.workers.Wait(); close(done) }()
	// Requests in flight finish within their time limits; a wait for a rate
	// limit may last much longer: past that time it is ended, and its event
	// goes to the retry stream.
	grace := time.NewTimer(apidest.DefaultTimeout + time.Second)
	defer grace.Stop()
	select {
	case <-done:
		d.stopInvoke()
		return nil
	case <-grace.C:
	case <-ctx.Done():
	}
	d.stopInvoke()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return errors.Join(ctx.Err(), errors.New("delivery: workers still busy"))
	}
}
