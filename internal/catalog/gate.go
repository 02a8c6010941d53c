package catalog

import (
	"context"
	"sync"
	"time"
)

// gate shares one store request among the callers that wait for it at the
// same time. A barrier needs a revision read after its caller arrived, so a
// request already under way cannot serve a newcomer; instead every caller
// that arrives while one runs joins the next one, which starts as soon as
// the running one ends. However many callers there are, at most one request
// runs and one waits to run: 2,000 concurrent List calls cost two Revision
// requests in a row, not 2,000 (JetStream answers each Revision with a
// stream-info request).
type gate struct {
	mu      sync.Mutex
	pending *gateCall     // the next request, not yet started
	slot    chan struct{} // holds the running request; created on first use
}

type gateCall struct {
	started bool
	done    chan struct{}
	rev     uint64
	err     error
}

// gateTimeout bounds the shared request: it must not end with the context
// of the caller that happens to run it.
const gateTimeout = 30 * time.Second

func (g *gate) do(ctx context.Context, fetch func(context.Context) (uint64, error)) (uint64, error) {
	g.mu.Lock()
	if g.slot == nil {
		g.slot = make(chan struct{}, 1)
	}
	c := g.pending
	if c == nil {
		c = &gateCall{done: make(chan struct{})}
		g.pending = c
	}
	g.mu.Unlock()
	for {
		select {
		case <-c.done:
			return c.rev, c.err
		case <-ctx.Done():
			return 0, ctx.Err()
		case g.slot <- struct{}{}:
		}
		// This caller holds the slot: it runs c unless another waiter of c
		// already did.
		g.mu.Lock()
		run := !c.started
		if run {
			c.started = true
			g.pending = nil // callers from now on need a later request
		}
		g.mu.Unlock()
		if !run {
			<-g.slot
			continue // c is running or done: wait for it
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), gateTimeout)
		c.rev, c.err = fetch(fctx)
		cancel()
		close(c.done)
		<-g.slot
		return c.rev, c.err
	}
}
