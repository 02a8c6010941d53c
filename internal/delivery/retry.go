package delivery

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/ingest"
	"github.com/switchyard-dev/switchyard/internal/router"
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
	js   jetstream.JetStream
	cons jetstream.Consumer
}

func openRetries(ctx context.Context, js jetstream.JetStream, storage jetstream.StorageType) (*retries, error) {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
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
		// A message in hand is reported in progress every
		// retryProgressEvery, so the wait only matters after a crash: then
		// the messages the dead node held come back this long after.
		AckWait: 15 * time.Second,
		// Messages waiting for their time count as pending: allow many.
		MaxAckPending: 1 << 20,
		MaxDeliver:    -1,
	})
	if err != nil {
		return nil, fmt.Errorf("delivery: retry consumer: %w", err)
	}
	return &retries{js: js, cons: cons}, nil
}

// schedule stores a job for another attempt at due.
func (r *retries) schedule(j *Job, due time.Time, o outcome) error {
	msg := nats.NewMsg(retrySubject)
	t := j.Target
	msg.Header.Set(hdrDue, strconv.FormatInt(due.UnixMilli(), 10))
	msg.Header.Set(hdrAccount, t.Bus.Account)
	msg.Header.Set(hdrRegion, t.Bus.Region)
	msg.Header.Set(hdrBus, t.Bus.Bus)
	msg.Header.Set(hdrRule, t.RuleName)
	msg.Header.Set(hdrTarget, t.ID)
	msg.Header.Set(hdrRetries, strconv.Itoa(j.Retries+1))
	msg.Header.Set(hdrLastCode, o.code)
	msg.Data = ingest.AppendBatch(nil, []ingest.Record{j.Rec})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := r.js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("delivery: schedule retry: %w", err)
	}
	return nil
}

// consume feeds due retries to the workers until ctx ends. A message whose
// time has not come is handed back to JetStream to be redelivered then.
func (r *retries) consume(ctx context.Context, d *Dispatcher) {
	it, err := r.cons.Messages(jetstream.PullMaxMessages(64))
	if err != nil {
		d.log.Error("retry consumer", "err", err)
		return
	}
	go func() { <-ctx.Done(); it.Stop() }()
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			}
			d.log.Warn("retry consumer", "err", err)
			continue
		}
		r.handle(ctx, d, msg)
	}
}

func (r *retries) handle(ctx context.Context, d *Dispatcher, msg jetstream.Msg) {
	h := msg.Headers()
	dueMs, err := strconv.ParseInt(h.Get(hdrDue), 10, 64)
	if err != nil {
		d.log.Error("retry message without a due time: dropped", "err", err)
		_ = msg.Term()
		return
	}
	if wait := time.Until(time.UnixMilli(dueMs)); wait > 10*time.Millisecond {
		_ = msg.NakWithDelay(wait)
		return
	}
	recs, err := ingest.DecodeBatch(msg.Data())
	retriesMade, err2 := strconv.Atoi(h.Get(hdrRetries))
	if err != nil || err2 != nil || len(recs) != 1 {
		d.log.Error("undecodable retry message: dropped")
		_ = msg.Term()
		return
	}
	bus := router.BusKey{Account: h.Get(hdrAccount), Region: h.Get(hdrRegion), Bus: h.Get(hdrBus)}
	t, ok := d.cfg.Index.Target(bus, h.Get(hdrRule), h.Get(hdrTarget))
	if !ok {
		// The rule was deleted or disabled, or the target removed, since
		// the event failed: there is nothing to retry to.
		d.log.Info("retry for a target that no longer exists: dropped", "bus", bus.Bus, "rule", h.Get(hdrRule), "target", h.Get(hdrTarget))
		d.stats.Abandoned.Add(1)
		_ = msg.Ack()
		return
	}
	// As for the router's batches: keep the message in hand while the
	// attempt waits (for a worker, or for the destination's rate limit), so
	// that it is not redelivered and attempted twice.
	settled := make(chan struct{})
	go func() {
		tick := time.NewTicker(retryProgressEvery)
		defer tick.Stop()
		for {
			select {
			case <-settled:
				return
			case <-tick.C:
				_ = msg.InProgress()
			}
		}
	}()
	j := &Job{Target: t, Rec: recs[0], Retries: retriesMade, done: func(err error) {
		close(settled)
		if err != nil {
			_ = msg.NakWithDelay(time.Second)
			return
		}
		_ = msg.Ack()
	}}
	if err := d.submit(ctx, j); err != nil {
		close(settled)
		_ = msg.Nak()
	}
}

// retryProgressEvery is how often a retry in hand is reported in progress,
// well within the retry consumer's AckWait.
const retryProgressEvery = 5 * time.Second
