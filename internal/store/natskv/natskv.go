package natskv

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/store"
)

var _ store.Store = (*Store)(nil)

// Store is a store.Store on one JetStream KV bucket. It holds no goroutines
// and no connection of its own: the JetStream handle belongs to the caller.
type Store struct {
	kv            jetstream.KeyValue
	js            jetstream.JetStream
	stream        string      // the bucket's stream: "KV_" + bucket
	subjectPrefix string      // the bucket's subjects: "$KV." + bucket + "."
	guard         store.Guard // nil: writes go straight to JetStream
}

// Option configures a Store.
type Option func(*Store)

// WithGuard makes every write ask g first (see Guard).
func WithGuard(g store.Guard) Option { return func(s *Store) { s.guard = g } }

// Open creates the bucket if it does not exist and binds to it. A new bucket
// keeps one revision per key (History 1: the store never reads old
// revisions), one replica, and the given storage. An existing bucket is used
// as it is, whatever its configuration.
//
// Values are limited by the server's max_payload (1 MiB by default).
func Open(ctx context.Context, js jetstream.JetStream, bucket string, storage jetstream.StorageType, opts ...Option) (*Store, error) {
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Switchyard store",
		History:     1,
		Storage:     storage,
		Replicas:    1,
	})
	if errors.Is(err, jetstream.ErrBucketExists) {
		kv, err = js.KeyValue(ctx, bucket)
	}
	if err != nil {
		return nil, fmt.Errorf("natskv: open bucket %q: %w", bucket, err)
	}
	s := &Store{
		kv:            kv,
		js:            js,
		stream:        "KV_" + bucket,
		subjectPrefix: "$KV." + bucket + ".",
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// write runs one write through the store's guard, if it has one.
func (s *Store) write(ctx context.Context, write func(context.Context) error) error {
	return store.GuardedWrite(ctx, s.guard, write)
}

// Bucket returns the bucket's name.
func (s *Store) Bucket() string { return s.kv.Bucket() }

// Get returns the key's current value and revision.
func (s *Store) Get(ctx context.Context, key string) (store.Entry, error) {
	if err := store.ValidateKey(key); err != nil {
		return store.Entry{}, err
	}
	e, err := s.kv.Get(ctx, key)
	if err != nil {
		return store.Entry{}, mapErr("get", key, err)
	}
	return store.Entry{Key: key, Value: e.Value(), Revision: e.Revision()}, nil
}

// Create writes the key if it does not exist (or was deleted).
func (s *Store) Create(ctx context.Context, key string, value []byte) (uint64, error) {
	if err := store.ValidateKey(key); err != nil {
		return 0, err
	}
	var rev uint64
	err := s.write(ctx, func(ctx context.Context) (err error) {
		rev, err = s.kv.Create(ctx, key, value)
		return err
	})
	if err != nil {
		if isWrongLastSeq(err) || errors.Is(err, jetstream.ErrKeyExists) {
			return 0, fmt.Errorf("natskv: create %q: %w", key, store.ErrExists)
		}
		return 0, mapErr("create", key, err)
	}
	return rev, nil
}

// Update writes the key if rev is its current revision.
func (s *Store) Update(ctx context.Context, key string, value []byte, rev uint64) (uint64, error) {
	if err := store.ValidateKey(key); err != nil {
		return 0, err
	}
	if rev == 0 {
		// JetStream reads "expected last sequence 0" as "must not exist":
		// that is Create, not Update. Revision 0 is never current.
		return 0, s.conflictOrMissing(ctx, "update", key)
	}
	var newRev uint64
	err := s.write(ctx, func(ctx context.Context) (err error) {
		newRev, err = s.kv.Update(ctx, key, value, rev)
		return err
	})
	if err != nil {
		if isWrongLastSeq(err) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			return 0, s.conflictOrMissing(ctx, "update", key)
		}
		return 0, mapErr("update", key, err)
	}
	return newRev, nil
}

// Delete removes the key, at revision rev if rev > 0.
func (s *Store) Delete(ctx context.Context, key string, rev uint64) error {
	if err := store.ValidateKey(key); err != nil {
		return err
	}
	if rev > 0 {
		err := s.delete(ctx, key, rev)
		if err != nil {
			if isWrongLastSeq(err) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
				return s.conflictOrMissing(ctx, "delete", key)
			}
			return mapErr("delete", key, err)
		}
		return nil
	}
	// Unconditional: delete at the current revision, so that a missing key
	// is reported and no delete marker is written for it. A concurrent write
	// in between makes the conditional delete fail: read again and retry.
	for {
		e, err := s.kv.Get(ctx, key)
		if err != nil {
			return mapErr("delete", key, err)
		}
		err = s.delete(ctx, key, e.Revision())
		if err == nil {
			return nil
		}
		if !isWrongLastSeq(err) && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			return mapErr("delete", key, err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("natskv: delete %q: %w", key, err)
		}
	}
}

// delete writes the key's delete marker at revision rev.
func (s *Store) delete(ctx context.Context, key string, rev uint64) error {
	return s.write(ctx, func(ctx context.Context) error {
		return s.kv.Delete(ctx, key, jetstream.LastRevision(rev))
	})
}

// conflictOrMissing is the error for a refused Update or Delete: ErrNotFound
// if the key does not exist now, else ErrConflict.
func (s *Store) conflictOrMissing(ctx context.Context, op, key string) error {
	_, err := s.kv.Get(ctx, key)
	switch {
	case err == nil:
		return fmt.Errorf("natskv: %s %q: %w", op, key, store.ErrConflict)
	default:
		return mapErr(op, key, err)
	}
}

// List returns the live keys under prefix, sorted.
//
// It reads one ordered consumer over prefix+">" that starts with the last
// message of each matching key, and keeps reading until the consumer has
// nothing pending, keeping the newest message per key and dropping deleted
// keys. Stopping at "nothing pending", rather than after the count of
// initial messages as nats.go's KV watcher does, matters with History 1: a
// key rewritten while List runs loses its initial message (replaced by the
// new one, delivered later), and a count-based stop can end before the
// replacement arrives and miss the key. So the result holds, for every key,
// a revision at least as new as any acknowledged before List was called.
// Writes that keep arriving under the prefix faster than List reads them
// delay its end; the catalog's write rate makes that moot.
func (s *Store) List(ctx context.Context, prefix string) ([]store.Entry, error) {
	if err := store.ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	filter := s.subjectPrefix + prefix + ">"
	cons, err := s.js.OrderedConsumer(ctx, s.stream, jetstream.OrderedConsumerConfig{
		FilterSubjects:    []string{filter},
		DeliverPolicy:     jetstream.DeliverLastPerSubjectPolicy,
		InactiveThreshold: listInactiveThreshold,
	})
	if err != nil {
		return nil, fmt.Errorf("natskv: list %q: %w", prefix, err)
	}
	defer s.deleteConsumer(cons)

	latest := map[string]store.Entry{}
	if info := cons.CachedInfo(); info == nil || info.NumPending > 0 {
		if err := s.readUntilCaughtUp(ctx, cons, latest); err != nil {
			return nil, fmt.Errorf("natskv: list %q: %w", prefix, err)
		}
	}
	entries := make([]store.Entry, 0, len(latest))
	for _, e := range latest {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b store.Entry) int { return strings.Compare(a.Key, b.Key) })
	return entries, nil
}

// listInactiveThreshold: the server deletes a List's consumer this long
// after its last pull if List could not delete it (context ended, connection
// lost).
const listInactiveThreshold = 30 * time.Second

// listBatch bounds the messages a List buffers: with values limited by the
// server's max_payload (1 MiB by default) at most this many MiB.
const listBatch = 64

// readUntilCaughtUp reads messages into latest until one arrives with
// nothing pending after it.
func (s *Store) readUntilCaughtUp(ctx context.Context, cons jetstream.Consumer, latest map[string]store.Entry) error {
	it, err := cons.Messages(jetstream.PullMaxMessages(listBatch))
	if err != nil {
		return err
	}
	defer it.Stop()
	var received uint64 // consumer sequence of the last message received
	for {
		msg, err := s.next(ctx, it, cons, received)
		if err != nil {
			return err
		}
		if msg == nil {
			return nil // nothing pending after all
		}
		md, err := msg.Metadata()
		if err != nil {
			return err
		}
		received = md.Sequence.Consumer // in order; an ordered consumer that restarts begins again at 1
		key := strings.TrimPrefix(msg.Subject(), s.subjectPrefix)
		if isDeleteMarker(msg.Headers()) {
			delete(latest, key)
		} else if old, ok := latest[key]; !ok || old.Revision < md.Sequence.Stream {
			latest[key] = store.Entry{Key: key, Value: msg.Data(), Revision: md.Sequence.Stream}
		}
		if md.NumPending == 0 {
			return nil
		}
	}
}

// listQuietCheck: when a List's consumer delivers nothing for this long,
// List asks the server whether anything is still pending. Messages counted
// at the consumer's creation can vanish before delivery (an operator purged
// the bucket), and without this check List would wait for them until its
// context ended. It is short because asking costs one round trip, while a
// full second per List showed up as multi-second control-plane calls on a
// loaded machine (whether the count at creation or the load caused the
// wait was not established).
const listQuietCheck = 20 * time.Millisecond

// next returns the consumer's next message, or nil once the server reports
// nothing pending and every message it delivered has been received
// (received is the consumer sequence of the last one). "Nothing pending"
// alone only means the server sent everything: on a loaded machine the
// last messages may still be on their way, and a List that stopped then
// returned too few keys.
func (s *Store) next(ctx context.Context, it jetstream.MessagesContext, cons jetstream.Consumer, received uint64) (jetstream.Msg, error) {
	for {
		nctx, cancel := context.WithTimeout(ctx, listQuietCheck)
		msg, err := it.Next(jetstream.NextContext(nctx))
		cancel()
		if err == nil {
			return msg, nil
		}
		if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil, err
		}
		info, err := cons.Info(ctx)
		if err != nil {
			return nil, err
		}
		if info.NumPending == 0 && received >= info.Delivered.Consumer {
			return nil, nil
		}
	}
}

// isDeleteMarker reports whether a KV message marks its key deleted: a
// Delete or Purge, or a server marker for a removed or expired key (the
// same headers nats.go's KV reads).
func isDeleteMarker(h nats.Header) bool {
	if len(h) == 0 {
		return false
	}
	switch h.Get(kvOperationHeader) {
	case "DEL", "PURGE":
		return true
	}
	switch h.Get(jetstream.MarkerReasonHeader) {
	case "MaxAge", "Purge", "Remove":
		return true
	}
	return false
}

// kvOperationHeader is the header nats.go's KV sets on delete markers.
const kvOperationHeader = "KV-Operation"

// deleteConsumer removes a List's consumer now rather than after
// listInactiveThreshold; failure only leaves it to the server's cleanup.
func (s *Store) deleteConsumer(cons jetstream.Consumer) {
	info := cons.CachedInfo()
	if info == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.js.DeleteConsumer(ctx, s.stream, info.Name)
}

// isWrongLastSeq reports whether err is JetStream's refusal of an expected
// last sequence: code 10071, or 10164 on replicated streams.
func isWrongLastSeq(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant
}

// mapErr translates the nats.go errors that have a store meaning.
func mapErr(op, key string, err error) error {
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound), errors.Is(err, jetstream.ErrKeyDeleted):
		return fmt.Errorf("natskv: %s %q: %w", op, key, store.ErrNotFound)
	case errors.Is(err, jetstream.ErrInvalidKey):
		return fmt.Errorf("natskv: %s %q: %w", op, key, store.ErrInvalidKey)
	}
	return fmt.Errorf("natskv: %s %q: %w", op, key, err)
}
