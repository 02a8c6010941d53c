package natsd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// A Node watches whether its store can take writes, so that writers fail at
// once with the reason instead of waiting for an answer that will not come,
// and so that the host can report it (Status).
//
// A full disk is the case this is built for. nats-server answers a write it
// could not store with nothing at all (the publisher waits its whole
// timeout), remembers the failure and refuses every later write to that
// stream, including the removal of acknowledged messages, until the server
// restarts; it may also turn JetStream off. So the Node:
//
//   - refuses writes (Node.Write) while the store's filesystem has
//     less than Config.LowSpace free or JetStream holds its max store, before
//     anything reaches nats-server: these clear by themselves once space is
//     freed or delivered messages are removed;
//   - sees a failed write as soon as nats-server logs it or reports it in its
//     health check, ends the writes in flight with the reason, and refuses
//     new ones;
//   - embedded with a DataDir, restarts the server on the same store
//     directory once the filesystem has room again: every connection of the
//     Node reaches the server through one in-process dialer that follows
//     the restart, and nats.go reconnects by itself; durable consumers pick
//     up where they were, and the catalog's watch starts again from its
//     last revision (natskv). The restart is tried again with backoff if it
//     fails. With Memory nothing is restarted: a memory store's contents
//     are gone once JetStream stops, and a new server would start empty.
//
// With an external NATS server nothing can be restarted: the Node refuses
// writes while it is not connected, while JetStream is off or the account's
// storage limit is reached, and for a while after a write went unanswered,
// and lets writes through again when the server answers again (after its
// operator has freed space and restarted it, if its store kept the
// failure).

// WriteError is why the store cannot take writes now. It wraps
// store.ErrFull when the store is out of space, store.ErrUnavailable
// otherwise.
type WriteError struct {
	Full   bool
	Reason string
}

func (e *WriteError) Error() string { return "natsd: the store cannot write: " + e.Reason }

func (e *WriteError) Unwrap() error {
	if e.Full {
		return store.ErrFull
	}
	return store.ErrUnavailable
}

// Status is the store's state for a health check.
type Status struct {
	// Err is why the store cannot take writes now (a *WriteError); nil when
	// it can.
	Err error
	// Since is when the store last started or stopped taking writes.
	Since time.Time
	// Recoveries counts restarts of the embedded server after a failure.
	Recoveries int
}

// Status returns the store's state as last checked (at most a second ago).
func (n *Node) Status() Status {
	err, since, rec, _ := n.sup.state()
	return Status{Err: err, Since: since, Recoveries: rec}
}

// Check returns the store's state for a health check: the supervisor's,
// and, like every write, a fresh look at the free space, so that health
// does not lag behind a disk that just filled. (The full check, which asks
// nats-server, runs every second in the supervisor.)
func (n *Node) Check() Status {
	n.sup.quickCheck()
	return n.Status()
}

var _ store.Guard = (*Node)(nil)

// Write implements store.Guard: write runs with a context derived from ctx
// that is already ended, with a *WriteError as its context.Cause, when the
// store cannot take writes now, and ends with one the moment the store
// stops taking them, so that a write in flight does not wait for an answer
// that nats-server will not send.
func (n *Node) Write(ctx context.Context, write func(context.Context) error) error {
	wctx, done := n.sup.writeContext(ctx)
	defer done()
	if err := wctx.Err(); err != nil {
		return n.writeError(wctx, err)
	}
	return n.writeError(wctx, write(wctx))
}

// writeError turns the error of a write made under Write into the one to
// report: the store's *WriteError when the context was ended for it
// or JetStream refused the write for lack of space, else err as it is. It
// also tells the Node of a write that went unanswered, which it could not
// have seen itself.
func (n *Node) writeError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if c := context.Cause(ctx); errors.Is(c, store.ErrUnavailable) {
		return c
	}
	var api *jetstream.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode {
		case jetstream.ErrorCode(server.JSAccountResourcesExceededErr), jetstream.ErrorCode(server.JSInsufficientResourcesErr),
			jetstream.ErrorCode(server.JSMemoryResourcesExceededErr), jetstream.ErrorCode(server.JSStorageResourcesExceededErr):
			werr := &WriteError{Full: true, Reason: "JetStream refused the write: " + api.Description}
			n.refused(werr)
			return werr
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, jetstream.ErrNoStreamResponse) {
		n.refused(&WriteError{Reason: "the NATS server left a write unanswered (its storage may be full or failed)"})
	}
	return err
}

// refused records a write the server refused or left unanswered and asks
// for a check. Embedded, the check sees the cause itself; an external
// server's refusal is all there is to see, so it counts for a while
// (refusalHoldOff): writes are refused at once meanwhile, then let through
// again to find out whether the server takes them.
func (n *Node) refused(err *WriteError) {
	if !n.embedded {
		n.mu.Lock()
		n.refusal, n.refusedAt = err, time.Now()
		n.mu.Unlock()
	}
	n.nudge()
}

// lastRefusal is the external server's refusal of the last refusalHoldOff,
// or nil.
func (n *Node) lastRefusal() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.refusal == nil || time.Since(n.refusedAt) >= refusalHoldOff {
		return nil
	}
	return n.refusal
}

// nudge asks the supervisor to check the store now.
func (n *Node) nudge() { n.sup.nudge() }

// How long writes are refused after an external server refused one for
// lack of space or left one unanswered; after that they are let through
// again, and one refused again refuses them again.
const refusalHoldOff = 10 * time.Second

// newSupervisor makes the node's supervisor, which starts nothing: it
// exists before the embedded server does, whose log nudges it.
func (n *Node) newSupervisor() *supervisor {
	var restart func(context.Context) error
	if n.embedded && !n.cfg.Memory {
		// A memory store lost what it held when JetStream stopped: a new
		// server would start empty, without the streams Switchyard made.
		restart = n.restart
	}
	log := n.cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := newSupervisor(n.check, restart, log.With("component", "store"))
	s.quick = n.checkSpace
	return s
}

// startSupervisor starts the supervisor's checks.
func (n *Node) startSupervisor(ctx context.Context) {
	n.sup.set(n.check(ctx).err) // the state is known before Open returns
	sctx, cancel := context.WithCancel(context.Background())
	n.stopSup, n.supDone = cancel, make(chan struct{})
	go func() {
		defer close(n.supDone)
		n.sup.run(sctx)
	}()
}

func (n *Node) stopSupervisor() {
	if n.stopSup != nil {
		n.stopSup()
		<-n.supDone
	}
}

// check looks at the store as it is now.
func (n *Node) check(ctx context.Context) verdict {
	if !n.embedded {
		return n.checkExternal(ctx)
	}
	spaceErr := n.checkSpace()
	v := verdict{room: spaceErr == nil}
	srv, logger := n.server()
	broken := func(reason string) verdict {
		v.broken = true
		if n.cfg.Memory {
			reason += " (in memory: what it held is gone; restart the process)"
		}
		// Out of space while there is none; once there is, it is a store
		// about to be restarted.
		full := !v.room && (strings.Contains(reason, "no space left") || strings.Contains(reason, "disk quota"))
		v.err = &WriteError{Full: full, Reason: reason}
		return v
	}
	switch {
	case srv == nil:
		return broken("the embedded NATS server is restarting")
	case !srv.JetStreamEnabled():
		return broken("nats-server turned JetStream off")
	case srv.GlobalAccount() != nil && !srv.GlobalAccount().JetStreamEnabled():
		return broken("nats-server turned JetStream off for the account")
	}
	if msg := logger.writeFailure(); msg != "" {
		return broken("a write failed and nats-server refuses further writes until it restarts: " + msg)
	}
	for _, e := range srv.Healthz(&server.HealthzOptions{Details: true}).Errors {
		if strings.Contains(e.Error, "write error") {
			return broken("a write failed and nats-server refuses further writes until it restarts: " + e.Error)
		}
	}
	if spaceErr != nil {
		v.err = spaceErr
		return v
	}
	if jsz, err := srv.Jsz(nil); err == nil {
		used, what := int64(jsz.Store), "on disk"
		if n.storage == jetstream.MemoryStorage {
			used, what = int64(jsz.Memory), "in memory"
		}
		if n.maxStore > 0 && used >= n.maxStore {
			v.err = &WriteError{Full: true, Reason: fmt.Sprintf("JetStream holds %s %s, its max store (--max-store) is %s",
				formatBytes(used), what, formatBytes(n.maxStore))}
			return v
		}
	}
	if n.nc != nil && !n.nc.IsConnected() {
		v.err = &WriteError{Reason: "reconnecting to the embedded NATS server"}
	}
	return v
}

// checkSpace reports a file store whose filesystem has less than lowSpace
// free (nil for a memory store, or when the space is unknown). Every write
// asks (through Write): one statfs per stored batch, under a microsecond,
// buys refusing the write before nats-server meets a full disk, after which
// it refuses the stream until it restarts. A cached reading would let
// through the writes of a disk filled since it was taken.
func (n *Node) checkSpace() error {
	if n.fileDir == "" {
		return nil
	}
	if sp, err := diskSpace(n.fileDir); err == nil && sp.total > 0 && sp.free < lowSpace {
		return &WriteError{Full: true, Reason: fmt.Sprintf("the filesystem of %s is full: %s free, %s needed",
			n.fileDir, formatBytes(sp.free), formatBytes(lowSpace))}
	}
	return nil
}

// checkExternal looks at an external server: connected, JetStream on, the
// account within its limits, writes answered. An account info request that
// fails for another reason (a slow server) changes nothing.
func (n *Node) checkExternal(ctx context.Context) verdict {
	err, _, _, _ := n.sup.state()
	keep := verdict{err: err}
	if !n.nc.IsConnected() {
		return verdict{err: &WriteError{Reason: "not connected to the NATS server"}}
	}
	actx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ai, err := n.js.AccountInfo(actx)
	switch {
	case errors.Is(err, jetstream.ErrJetStreamNotEnabled), errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount):
		return verdict{err: &WriteError{Reason: "JetStream is not enabled on the NATS server"}}
	case err != nil:
		return keep
	}
	used, limit := int64(ai.Store), ai.Limits.MaxStore
	if n.storage == jetstream.MemoryStorage {
		used, limit = int64(ai.Memory), ai.Limits.MaxMemory
	}
	if limit > 0 && used >= limit {
		return verdict{err: &WriteError{Full: true, Reason: fmt.Sprintf("the account holds %s in JetStream, its limit is %s",
			formatBytes(used), formatBytes(limit))}}
	}
	if err := n.lastRefusal(); err != nil {
		return verdict{err: err}
	}
	return verdict{}
}

// restart replaces a broken embedded server with a new one on the same
// store directory (and max store), and returns once the Node's connection
// is back and JetStream answers. nats-server recovers every stream and
// consumer from the directory, as after any stop.
func (n *Node) restart(ctx context.Context) error {
	n.mu.Lock()
	old := n.srv
	n.srv = nil // the in-process dialer refuses until the new one runs
	n.mu.Unlock()
	// A request sent before nats.go noticed the old server go would wait
	// for an answer that never comes: count reconnects instead of trusting
	// IsConnected.
	reconnects := n.nc.Stats().Reconnects
	if old != nil {
		shutdown(old)
	}
	rctx, cancel := context.WithTimeout(ctx, defaultReadyTimeout)
	defer cancel()
	srv, logger, err := n.newServer(rctx)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.srv, n.log = srv, logger
	n.mu.Unlock()
	for n.nc.Stats().Reconnects == reconnects || !n.nc.IsConnected() {
		select {
		case <-rctx.Done():
			return fmt.Errorf("natsd: the connection did not come back after the restart: %w", rctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, err := n.js.AccountInfo(rctx); err != nil {
		return fmt.Errorf("natsd: JetStream after the restart: %w", err)
	}
	return nil
}
