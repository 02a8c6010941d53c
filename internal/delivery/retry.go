package delivery

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/consumer"
	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/store"
)

// The retry stream holds failed deliveries until their next attempt. Each
// message is one event (an ingest batch of one record) for one target, with
// the target's identity, the retries made and the time of the next attempt
// in headers. A message is acknowledged only once its next attempt has been
// settled, so a restart loses none.
const (
	retryStream  = "switchyard-retries"
	retrySubject = "sy.retry"
	retryDurable = "retrier"

	hdrDue      = "Sy-Due" // Unix milliseconds of the next attempt
	hdrAccount  = "Sy-Account"
	hdrRegion   = "Sy-Region"
	hdrBus      = "Sy-Bus"
	hdrRule     = "Sy-Rule"
	hdrTarget   = "Sy-Target"
	hdrRetries  = "Sy-Retries"
	hdrLastCode = "Sy-Last-Error-Code"
)

type retries struct {
	js    jetstream.JetStream
	guard store.Guard
	loop  *consumer.Loop
}

// openRetries creates the retry stream and starts consuming it for d.
func openRetries(ctx context.Context, js jetstream.JetStream, storage jetstream.StorageType, g store.Guard, d *Dispatcher) (*retries, error) {
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      retryStream,
		Subjects:  []string{retrySubject},
		Storage:   storage,
		Retention: jetstream.WorkQueuePolicy,
		Discard:   jetstream.DiscardNew,
	})
	if err != nil {
		return nil, fmt.Errorf("delivery: retry stream: %w", err)
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, retryStream, jetstream.ConsumerConfig{
		Durable:   retryDurable,
		AckPolicy: jetstream.AckExplicitPolicy,
		// A message in hand is reported in progress by the consumer loop,
		// so the wait only matters after a crash: then the messages the
		// dead node held come back this long after.
		AckWait: 15 * time.Second,
		// Messages waiting for their time count as pending: allow many.
		MaxAckPending: 1 << 20,
		MaxDeliver:    -1,
	})
	if err != nil {
		return nil, fmt.Errorf("delivery: retry consumer: %w", err)
	}
	r := &retries{js: js, guard: g}
	// Stream: reclaim the records of retries that were made and
	// acknowledged while the store could not remove them.
	r.loop = consumer.Open(consumer.Config{Consumer: cons, Stream: stream, Name: retryDurable, Concurrency: 64, Log: d.log},
		func(ctx context.Context, m *consumer.Msg) { r.handle(ctx, d, m) })
	return r, nil
}

// schedule stores a job for another attempt at due.
func (r *retries) schedule(j *Job, due time.Time, o outcome) error {
	msg := nats.NewMsg(retrySubject)
	t := j.Target
	msg.Header.Set(hdrDue, strconv.FormatInt(due.UnixMilli(), 10))
	setBus(msg.Header, t.Bus)
	msg.Header.Set(hdrRule, t.RuleName)
	msg.Header.Set(hdrTarget, t.ID)
	msg.Header.Set(hdrRetries, strconv.Itoa(j.Retries+1))
	msg.Header.Set(hdrLastCode, o.code)
	msg.Data = ingest.AppendBatch(nil, []ingest.Record{j.Rec})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := guardedPublish(ctx, r.js, r.guard, msg); err != nil {
		return fmt.Errorf("delivery: schedule retry: %w", err)
	}
	return nil
}

// setBus and busOf carry a bus in message headers.
func setBus(h nats.Header, k catalog.BusKey) {
	h.Set(hdrAccount, k.Account)
	h.Set(hdrRegion, k.Region)
	h.Set(hdrBus, k.Name)
}

func busOf(h nats.Header) catalog.BusKey {
	return catalog.BusKey{Account: h.Get(hdrAccount), Region: h.Get(hdrRegion), Name: h.Get(hdrBus)}
}

// handle makes a due retry's attempt; a message whose time has not come is
// handed back to JetStream to be delivered again then.
func (r *retries) handle(ctx context.Context, d *Dispatcher, msg *consumer.Msg) {
	h := msg.Headers()
	dueMs, err := strconv.ParseInt(h.Get(hdrDue), 10, 64)
	if err != nil {
		d.log.Error("retry message without a due time: dropped", "err", err)
		_ = msg.Term()
		return
	}
	if wait := time.Until(time.UnixMilli(dueMs)); wait > 10*time.Millisecond {
		_ = msg.NakAfter(wait)
		return
	}
	recs, err := ingest.DecodeBatch(msg.Data())
	retriesMade, err2 := strconv.Atoi(h.Get(hdrRetries))
	if err != nil || err2 != nil || len(recs) != 1 {
		d.log.Error("undecodable retry message: dropped")
		_ = msg.Term()
		return
	}
	bus := busOf(h)
	t, ok := d.cfg.Index.Target(bus, h.Get(hdrRule), h.Get(hdrTarget))
	if !ok {
		// The rule was deleted or disabled, or the target removed, since
		// the event failed: there is nothing to retry to.
		d.log.Info("retry for a target that no longer exists: dropped", "bus", bus.Name, "rule", h.Get(hdrRule), "target", h.Get(hdrTarget))
		d.stats.Abandoned.Add(1)
		_ = msg.Ack()
		return
	}
	j := &Job{Target: t, Rec: recs[0], Retries: retriesMade, done: func(err error) {
		var u *unscheduled
		switch {
		case errors.As(err, &u):
			// The attempt failed and its next retry could not be stored (the
			// store refuses writes): this message stands in for it, at the
			// time the RetryPolicy chose, rather than hitting the target
			// again every second while the store is down.
			_ = msg.NakAfter(max(time.Until(u.due), time.Second))
		case err != nil:
			_ = msg.NakAfter(time.Second)
		default:
			_ = msg.Ack()
		}
	}}
	if err := d.submit(ctx, j); err != nil {
		_ = msg.NakAfter(0)
	}
}

// unscheduled is the failure of an attempt whose next retry, due at due,
// could not be stored.
type unscheduled struct {
	due time.Time
	err error
}

func (u *unscheduled) Error() string { return "delivery: retry not stored: " + u.err.Error() }
func (u *unscheduled) Unwrap() error { return u.err }
