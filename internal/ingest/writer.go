package ingest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/switchyard-dev/switchyard/internal/store"
)

// Stream and subject of accepted events.
const (
	StreamName = "switchyard-events"
	Subject    = "sy.events"
	// RevisionHeader carries the catalog revision a batch was written at.
	RevisionHeader = "Sy-Catalog-Rev"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("ingest: writer closed")

// Config configures a Writer.
type Config struct {
	Storage jetstream.StorageType
	// Writers is how many batches may be on their way to JetStream at once
	// (default 2): one filling while the other is stored.
	Writers int
	// MaxBatchBytes bounds one batch message (default 4 MiB); the server's
	// max_payload must allow it. A single Write larger than this still goes
	// out whole, as its own batch.
	MaxBatchBytes int
	// Revision returns the catalog's current revision, stamped on each
	// batch. Nil stamps nothing.
	Revision func(ctx context.Context) (uint64, error)
	// Guard, if set, is asked before and during every batch write, so that
	// a write the store cannot take fails at once (with an error wrapping
	// store.ErrUnavailable, or store.ErrFull) instead of after
	// publishTimeout.
	Guard store.Guard
}

type request struct {
	recs []Record
	size int
	done chan error // buffered 1
}

// Writer stores records with group commit. Open starts its goroutines;
// Close stops them after the queued writes are done.
type Writer struct {
	js    jetstream.JetStream
	cfg   Config
	queue chan *request

	mu     sync.RWMutex // guards closed against sends on queue
	closed bool
	wg     sync.WaitGroup
}

// Open creates (or updates) the events stream and starts the writers.
func Open(ctx context.Context, js jetstream.JetStream, cfg Config) (*Writer, error) {
	if cfg.Writers <= 0 {
		cfg.Writers = 2
	}
	if cfg.MaxBatchBytes <= 0 {
		cfg.MaxBatchBytes = 4 << 20
	}
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      StreamName,
		Subjects:  []string{Subject},
		Storage:   cfg.Storage,
		Retention: jetstream.WorkQueuePolicy, // a batch is gone once the router acknowledges it
		Discard:   jetstream.DiscardNew,      // a full stream refuses writes rather than dropping accepted events
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: events stream: %w", err)
	}
	w := &Writer{js: js, cfg: cfg, queue: make(chan *request, 4096)}
	for range cfg.Writers {
		w.wg.Go(w.run)
	}
	return w, nil
}

// Write stores recs and returns once JetStream has acknowledged them (or
// the context ends: the records may then still be stored).
func (w *Writer) Write(ctx context.Context, recs []Record) error {
	if len(recs) == 0 {
		return nil
	}
	req := &request{recs: recs, done: make(chan error, 1)}
	for i := range recs {
		req.size += len(recs[i].Event) + len(recs[i].Bus.Account) + len(recs[i].Bus.Region) + len(recs[i].Bus.Name) + len(recs[i].TraceHeader) + 32
	}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	select {
	case w.queue <- req:
		w.mu.RUnlock()
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run is one writer: take what is queued, store it as one batch, answer.
func (w *Writer) run() {
	var (
		reqs []*request
		recs []Record
		buf  []byte
	)
	for first := range w.queue {
		reqs, recs = append(reqs[:0], first), append(recs[:0], first.recs...)
		size := first.size
	fill:
		for size < w.cfg.MaxBatchBytes {
			select {
			case r, ok := <-w.queue:
				if !ok {
					break fill
				}
				if size+r.size > w.cfg.MaxBatchBytes {
					// Too big for this batch: store it right after, alone or
					// with what follows it.
					w.store(reqs, recs, &buf)
					reqs, recs, size = append(reqs[:0], r), append(recs[:0], r.recs...), 0
				} else {
					reqs, recs = append(reqs, r), append(recs, r.recs...)
				}
				size += r.size
			default:
				break fill
			}
		}
		w.store(reqs, recs, &buf)
		clear(reqs)
		clear(recs)
	}
}

func (w *Writer) store(reqs []*request, recs []Record, buf *[]byte) {
	err := w.publish(recs, buf)
	for _, r := range reqs {
		r.done <- err
	}
}

// publishTimeout bounds one batch write; JetStream answers in well under a
// millisecond on a healthy node. A store that cannot write is seen by the
// Guard long before.
const publishTimeout = 30 * time.Second

func (w *Writer) publish(recs []Record, buf *[]byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	err := store.GuardedWrite(ctx, w.cfg.Guard, func(ctx context.Context) error {
		msg := nats.NewMsg(Subject)
		if w.cfg.Revision != nil {
			rev, err := w.cfg.Revision(ctx)
			if err != nil {
				return fmt.Errorf("catalog revision: %w", err)
			}
			msg.Header.Set(RevisionHeader, strconv.FormatUint(rev, 10))
		}
		*buf = AppendBatch((*buf)[:0], recs)
		msg.Data = *buf
		_, err := w.js.PublishMsg(ctx, msg)
		return err
	})
	if err != nil {
		return fmt.Errorf("ingest: store batch: %w", err)
	}
	return nil
}

// Close stops accepting writes, stores what is queued, and waits for the
// writers to finish.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
