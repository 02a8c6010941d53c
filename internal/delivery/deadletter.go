package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/consumer"
	"github.com/switchyard-dev/switchyard/internal/delivery/sqs"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/metrics"
	"github.com/switchyard-dev/switchyard/internal/store"
)

// An event meant for a target's dead-letter queue is first recorded in this
// stream, with the attributes AWS puts on the SQS message, and kept for 14
// days (SQS's longest retention); GET /_switchyard/dead-letters lists it.
// The forwarder, a durable consumer of the stream, then sends each record
// to its SQS queue and acknowledges it once SQS has it. A record whose queue
// cannot be reached stays unacknowledged and is sent again later, with
// backoff, until it is sent or ages out of the stream: the record is the
// durable copy, so a DLQ outage loses nothing.
const (
	DeadLetterStream  = "switchyard-dead-letters"
	deadLetterSubject = "sy.dead-letter"

	// Header naming the queue the event was meant for.
	HdrDeadLetterArn = "Sy-Dead-Letter-Arn"
)

type deadLetters struct {
	js    jetstream.JetStream
	guard store.Guard
}

func openDeadLetters(ctx context.Context, js jetstream.JetStream, storage jetstream.StorageType, g store.Guard) (*deadLetters, error) {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     DeadLetterStream,
		Subjects: []string{deadLetterSubject},
		Storage:  storage,
		MaxAge:   14 * 24 * time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("delivery: dead-letter stream: %w", err)
	}
	return &deadLetters{js: js, guard: g}, nil
}

// record stores an undeliverable event for the queue dlq, with AWS's DLQ
// message attributes (empty ones are left out) and, for the metrics, the
// bus and rule it came from (no rule: the bus's own dead letter).
func (dl *deadLetters) record(ctx context.Context, dlq string, bus catalog.BusKey, rule string, event []byte, attrs map[string]string) error {
	msg := nats.NewMsg(deadLetterSubject)
	msg.Header.Set(HdrDeadLetterArn, dlq)
	setBus(msg.Header, bus)
	if rule != "" {
		msg.Header.Set(hdrRule, rule)
	}
	for k, v := range attrs {
		if v != "" {
			msg.Header.Set(k, v)
		}
	}
	msg.Data = event
	return guardedPublish(ctx, dl.js, dl.guard, msg)
}

// guardedPublish publishes msg to a stream through g (see store.Guard).
func guardedPublish(ctx context.Context, js jetstream.JetStream, g store.Guard, msg *nats.Msg) error {
	return store.GuardedWrite(ctx, g, func(ctx context.Context) error {
		_, err := js.PublishMsg(ctx, msg)
		return err
	})
}

// DeadLetterBus records an event its bus could not process (why: reason)
// for the bus's dead-letter queue: ERROR_CODE INVALID_EVENT and
// ERROR_MESSAGE, with no rule or target.
func (d *Dispatcher) DeadLetterBus(ctx context.Context, dlqArn string, rec ingest.Record, reason error) error {
	attrs := map[string]string{"ERROR_CODE": target.CodeInvalidEvent, "ERROR_MESSAGE": "The event could not be processed on the bus: " + reason.Error()}
	if err := d.dead.record(ctx, dlqArn, rec.Bus, "", rec.Event, attrs); err != nil {
		return fmt.Errorf("delivery: bus dead-letter record: %w", err)
	}
	d.stats.DeadLettered.Add(1)
	return nil
}

// DLQ message attributes, as the EventBridge user guide lists them; all are
// sent with the String data type.
var dlqAttributes = []string{"RULE_ARN", "TARGET_ARN", "ERROR_CODE", "ERROR_MESSAGE", "EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS"}

const (
	forwarderDurable = "dlq-forwarder"
	// forwardConcurrency bounds the SQS sends in flight, so that one slow
	// queue does not hold up the others.
	forwardConcurrency = 16
	forwardTimeout     = 30 * time.Second
)

// Backoff between attempts to send one record to an unreachable DLQ.
var forwardBackoff = Backoff{Base: time.Second, Max: 5 * time.Minute}

// forwarder sends dead-letter records to their SQS queues.
type forwarder struct {
	loop *consumer.Loop
	sqs  *sqs.Client
}

// forwarder starts sending the records to their queues with q.
func (dl *deadLetters) forwarder(ctx context.Context, d *Dispatcher, q *sqs.Client) (*forwarder, error) {
	cons, err := dl.js.CreateOrUpdateConsumer(ctx, DeadLetterStream, jetstream.ConsumerConfig{
		Durable:       forwarderDurable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       2*forwardTimeout + 30*time.Second,
		MaxAckPending: 1 << 20, // records waiting for their DLQ to come back
		MaxDeliver:    -1,
	})
	if err != nil {
		return nil, fmt.Errorf("delivery: dead-letter forwarder: %w", err)
	}
	f := &forwarder{sqs: q}
	f.loop = consumer.Open(consumer.Config{Consumer: cons, Name: forwarderDurable, Concurrency: forwardConcurrency, Log: d.log},
		func(ctx context.Context, m *consumer.Msg) { f.forward(ctx, d, m) })
	return f, nil
}

// forward sends one record to its queue and settles it.
func (f *forwarder) forward(ctx context.Context, d *Dispatcher, msg *consumer.Msg) {
	h := msg.Headers()
	dlq := h.Get(HdrDeadLetterArn)
	q, err := sqs.ParseQueueARN(dlq)
	m := d.cfg.Metrics.Rule(metrics.RuleKey{Bus: busOf(h), Rule: h.Get(hdrRule)})
	if err != nil {
		d.stats.FailedToDLQ.Add(1)
		m.InvocationsFailedToBeSentToDlq.Inc()
		d.log.Error("dead letter names no SQS queue: kept in the dead-letter stream only", "dead_letter_queue", dlq, "err", err)
		_ = msg.Term()
		return
	}
	attrs := make(map[string]string, len(dlqAttributes))
	for _, k := range dlqAttributes {
		attrs[k] = h.Get(k)
	}
	sctx, cancel := context.WithTimeout(ctx, forwardTimeout)
	_, r := f.sqs.Send(sctx, q, sqs.Message{Body: msg.Data(), Attributes: attrs})
	cancel()
	if r.Err == nil {
		if err := msg.Ack(); err != nil {
			d.log.Warn("dead letter sent but not acknowledged: it may be sent again", "dead_letter_queue", dlq, "err", err)
		}
		d.stats.SentToDLQ.Add(1)
		m.InvocationsSentToDlq.Inc()
		return
	}
	if ctx.Err() != nil {
		_ = msg.NakAfter(0) // shutting down: the next start sends it
		return
	}
	n := msg.Delivered()
	log := d.log.Debug
	if n == 1 {
		d.stats.FailedToDLQ.Add(1)
		m.InvocationsFailedToBeSentToDlq.Inc()
		log = d.log.Warn
	}
	if r.Code == target.CodeInvalidParameter {
		// SQS refuses this message as it is (too large, ...): sending it
		// again cannot help.
		d.log.Error("dead letter refused by its queue: kept in the dead-letter stream only", "dead_letter_queue", dlq,
			"rule", h.Get("RULE_ARN"), "target", h.Get("TARGET_ARN"), "error_code", r.Code, "err", r.Err)
		_ = msg.Term()
		return
	}
	wait := forwardBackoff.Delay(n)
	log("dead-letter queue unreachable: event kept in the dead-letter stream, sending again later", "dead_letter_queue", dlq,
		"rule", h.Get("RULE_ARN"), "target", h.Get("TARGET_ARN"), "error_code", r.Code, "err", r.Err, "attempt", n, "next_in", wait)
	_ = msg.NakAfter(wait)
}
