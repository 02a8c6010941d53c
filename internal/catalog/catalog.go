package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// Scope is the account and region every resource lives in.
type Scope struct {
	Account string
	Region  string
}

// Bus names one of the scope's buses.
func (s Scope) Bus(name string) BusKey {
	return BusKey{Account: s.Account, Region: s.Region, Name: name}
}

// BusKey names one event bus: the one key for "which bus" in the catalog,
// the stored events, routing, delivery and metrics.
type BusKey struct {
	Account, Region, Name string
}

// Scope is the account and region of the bus.
func (k BusKey) Scope() Scope { return Scope{Account: k.Account, Region: k.Region} }

// Store is what the catalog keeps its documents in: a store.Store that
// reports its changes.
type Store interface {
	store.Store
	store.Watcher
}

// Catalog reads and changes resources in a store, and keeps a View of all
// of them current by watching it. Open starts the watch; Close stops it.
type Catalog struct {
	st   Store
	view *View
	rev  gate

	cancel    context.CancelFunc
	done      chan struct{} // closed when the watch has returned
	watchErr  error         // why the watch returned, once done is closed
	closeOnce sync.Once
}

// Open starts watching st and returns once the View holds every document
// written before the call. Close releases what Open started, also when
// Open fails halfway.
func Open(ctx context.Context, st Store, log *slog.Logger) (*Catalog, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Catalog{st: st, view: newView(log), done: make(chan struct{})}
	runCtx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go func() {
		defer close(c.done)
		c.watchErr = st.Watch(runCtx, c.view.apply)
		if runCtx.Err() == nil {
			log.Error("catalog watch stopped: the view no longer follows the store", "err", c.watchErr)
		}
	}()
	if err := c.Sync(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("catalog: initial view: %w", err)
	}
	return c, nil
}

// Close stops the watch and waits for it. It is safe to call more than
// once.
func (c *Catalog) Close() {
	c.closeOnce.Do(func() {
		c.cancel()
		<-c.done
	})
}

// View is the in-memory view of the catalog, kept current by the watch.
func (c *Catalog) View() *View { return c.view }

// Revision is the store's newest revision (see store.Watcher.Revision).
// Concurrent callers share one request to the store (see gate).
func (c *Catalog) Revision(ctx context.Context) (uint64, error) {
	return c.rev.do(ctx, c.st.Revision)
}

// Sync returns once the View includes every write acknowledged before Sync
// was called, on any node: the barrier that makes a List after a write
// show it.
func (c *Catalog) Sync(ctx context.Context) error {
	rev, err := c.Revision(ctx)
	if err != nil {
		return err
	}
	err = c.view.WaitApplied(ctx, rev, c.done)
	if errors.Is(err, errWatchStopped) {
		return fmt.Errorf("%w: %w", err, c.watchErr) // c.done is closed: watchErr is set
	}
	return err
}

// maxCASAttempts bounds the retries of one read-modify-write under contention.
const maxCASAttempts = 50

// Kinds of catalog documents, the third token of their keys.
const (
	KindBus            = "bus"
	KindRule           = "rule"
	KindConnection     = "connection"
	KindAPIDestination = "apidest"
)

// ref names one document: its kind, scope and name (and a rule's bus).
type ref struct {
	kind  string
	scope Scope
	bus   string // KindRule only
	name  string
}

// key is the store key of the document:
// a.<account>.<region>.<kind>[.<bus>].<name>, names escaped.
func (r ref) key() string {
	var b strings.Builder
	b.WriteString(r.scope.prefix(r.kind))
	if r.kind == KindRule {
		b.WriteString(escape(r.bus))
		b.WriteByte('.')
	}
	b.WriteString(escape(r.name))
	return b.String()
}

// fail wraps err as an *Error about the document.
func (r ref) fail(err error) error {
	return &Error{Kind: r.kind, Scope: r.scope, Bus: r.bus, Name: r.name, Err: err}
}

// own is how an error of a caller's function (mutate's fn, remove's check)
// comes back: one of the catalog's bare sentinels ("return
// catalog.ErrNotFound" when the document is not the one the caller meant)
// is made an *Error about the document; anything else is the caller's own
// and returned as it is.
func (r ref) own(err error) error {
	switch err {
	case ErrNotFound, ErrExists, ErrContention, ErrBusHasRules:
		return r.fail(err)
	}
	return err
}

// prefix is the key prefix of every resource of kind in the scope.
func (s Scope) prefix(kind string) string {
	return "a." + s.Account + "." + s.Region + "." + kind + "."
}

// escape makes a resource name usable as one key token: store keys use '.' as
// the token separator, and names of buses and rules may contain dots.
func escape(name string) string {
	if !strings.ContainsAny(name, ".=") {
		return name
	}
	return strings.NewReplacer("=", "=3D", ".", "=2E").Replace(name)
}

func unescape(tok string) string {
	if !strings.Contains(tok, "=") {
		return tok
	}
	return strings.NewReplacer("=2E", ".", "=3D", "=").Replace(tok)
}

// parseKey splits a store key into the document it names.
func parseKey(key string) (ref, bool) {
	toks := strings.Split(key, ".")
	if len(toks) < 5 || toks[0] != "a" {
		return ref{}, false
	}
	r := ref{kind: toks[3], scope: Scope{Account: toks[1], Region: toks[2]}}
	switch {
	case r.kind == KindRule && len(toks) == 6:
		r.bus, r.name = unescape(toks[4]), unescape(toks[5])
	case r.kind != KindRule && len(toks) == 5:
		r.name = unescape(toks[4])
	default:
		return ref{}, false
	}
	return r, true
}

// get reads and decodes one document.
func get[T any](ctx context.Context, st store.Store, r ref) (*T, uint64, error) {
	e, err := st.Get(ctx, r.key())
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidKey) {
		// A key no resource can have names one that does not exist.
		return nil, 0, r.fail(ErrNotFound)
	}
	if err != nil {
		return nil, 0, r.fail(err)
	}
	v := new(T)
	if err := json.Unmarshal(e.Value, v); err != nil {
		return nil, 0, r.fail(fmt.Errorf("decode: %w", err))
	}
	return v, e.Revision, nil
}

// create writes a new document; ErrExists if the key is taken.
func create[T any](ctx context.Context, st store.Store, r ref, v *T) error {
	b, err := json.Marshal(v)
	if err != nil {
		return r.fail(err)
	}
	if _, err = st.Create(ctx, r.key(), b); err != nil {
		if errors.Is(err, store.ErrExists) {
			return r.fail(ErrExists)
		}
		return r.fail(err)
	}
	return nil
}

// mutate runs a read-modify-write on one document until it lands without a
// conflicting write in between. fn receives the current value (nil when the
// document does not exist) and returns the value to store; an error from fn
// aborts without writing (see own). If fn returns nil, nothing is written.
func mutate[T any](ctx context.Context, st store.Store, r ref, fn func(cur *T) (*T, error)) (*T, error) {
	for range maxCASAttempts {
		cur, rev, err := get[T](ctx, st, r)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		next, err := fn(cur)
		if err != nil {
			return nil, r.own(err)
		}
		if next == nil {
			return cur, nil
		}
		b, err := json.Marshal(next)
		if err != nil {
			return nil, r.fail(err)
		}
		if cur == nil {
			_, err = st.Create(ctx, r.key(), b)
		} else {
			_, err = st.Update(ctx, r.key(), b, rev)
		}
		switch {
		case err == nil:
			return next, nil
		case errors.Is(err, store.ErrExists), errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrNotFound):
			continue // somebody else wrote first: read again
		default:
			return nil, r.fail(err)
		}
	}
	return nil, r.fail(ErrContention)
}

// update is mutate on a document that must exist: ErrNotFound otherwise.
// fn changes a copy (made by clone) of the current value.
func update[T any](ctx context.Context, st store.Store, r ref, clone func(*T) *T, fn func(*T) error) (*T, error) {
	return mutate(ctx, st, r, func(cur *T) (*T, error) {
		if cur == nil {
			return nil, r.fail(ErrNotFound)
		}
		next := clone(cur)
		if err := fn(next); err != nil {
			return nil, err
		}
		return next, nil
	})
}

// remove deletes one document after check approves its current value; an
// error from check aborts (see own).
func remove[T any](ctx context.Context, st store.Store, r ref, check func(cur *T) error) (*T, error) {
	for range maxCASAttempts {
		cur, rev, err := get[T](ctx, st, r)
		if err != nil {
			return nil, err
		}
		if check != nil {
			if err := check(cur); err != nil {
				return nil, r.own(err)
			}
		}
		err = st.Delete(ctx, r.key(), rev)
		switch {
		case err == nil:
			return cur, nil
		case errors.Is(err, store.ErrNotFound):
			return nil, r.fail(ErrNotFound)
		case errors.Is(err, store.ErrConflict):
			continue
		default:
			return nil, r.fail(err)
		}
	}
	return nil, r.fail(ErrContention)
}
