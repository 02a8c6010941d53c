package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/switchyard-dev/switchyard/internal/store"
)

// View is a node's in-memory copy of the whole catalog, kept current by
// the Catalog's watch of its store. The API's List operations, the router
// and delivery read it instead of the store: a read costs a map lookup, and
// no request to JetStream.
//
// Documents a View hands out are shared and never change (a change
// replaces the document): callers must not modify them.
//
// Observers (Observe) see every change as it is applied, in revision order,
// before the View's revision advances; so once WaitApplied(rev) returns, the
// View and every observer include every write up to rev.
type View struct {
	log *slog.Logger

	mu        sync.RWMutex
	scopes    map[Scope]*scopeDocs
	applied   uint64        // revision of the newest change applied
	advance   chan struct{} // closed and replaced whenever applied grows
	observers []func(Change)
}

// scopeDocs are the documents of one account and region, by name.
type scopeDocs struct {
	buses map[string]*Bus
	rules map[string]map[string]*Rule // by bus, then rule name
	conns map[string]*Connection
	dests map[string]*ApiDestination
}

// Change is one document written or deleted, as observers see it. Exactly
// one of Bus, Rule, Connection and ApiDestination is set: the new document,
// or for a deletion the last one the View held.
type Change struct {
	Revision       uint64
	Scope          Scope
	Deleted        bool
	Bus            *Bus
	Rule           *Rule
	Connection     *Connection
	ApiDestination *ApiDestination
}

func newView(log *slog.Logger) *View {
	return &View{log: log, scopes: map[Scope]*scopeDocs{}, advance: make(chan struct{})}
}

// Observe calls fn with every document the View holds now (as changes that
// are not deletions), then with every later change, as it is applied. fn
// runs with the View locked, in the watch's goroutine: it must be quick and
// must not call the View.
func (v *View) Observe(fn func(Change)) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for s, d := range v.scopes {
		for _, b := range d.buses {
			fn(Change{Revision: v.applied, Scope: s, Bus: b})
		}
		for _, rs := range d.rules {
			for _, r := range rs {
				fn(Change{Revision: v.applied, Scope: s, Rule: r})
			}
		}
		for _, c := range d.conns {
			fn(Change{Revision: v.applied, Scope: s, Connection: c})
		}
		for _, a := range d.dests {
			fn(Change{Revision: v.applied, Scope: s, ApiDestination: a})
		}
	}
	v.observers = append(v.observers, fn)
}

// apply is the watch's callback: one store change.
func (v *View) apply(sc store.Change) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if r, ok := parseKey(sc.Key); ok {
		if c, ok := v.change(r, sc); ok {
			for _, fn := range v.observers {
				fn(c)
			}
		}
	}
	if sc.Revision > v.applied {
		v.applied = sc.Revision
		close(v.advance)
		v.advance = make(chan struct{})
	}
}

// change applies one document change to the maps and describes it for the
// observers; false when there is nothing to tell (an unknown kind, an
// undecodable document, the deletion of a document the View never held).
func (v *View) change(r ref, sc store.Change) (Change, bool) {
	d := v.scopes[r.scope]
	if d == nil {
		if sc.Deleted {
			return Change{}, false
		}
		d = &scopeDocs{buses: map[string]*Bus{}, rules: map[string]map[string]*Rule{},
			conns: map[string]*Connection{}, dests: map[string]*ApiDestination{}}
		v.scopes[r.scope] = d
	}
	c := Change{Revision: sc.Revision, Scope: r.scope}
	switch r.kind {
	case KindBus:
		c.Bus, c.Deleted = applyDoc(v, d.buses, r, sc)
		return c, c.Bus != nil
	case KindRule:
		rs := d.rules[r.bus]
		if rs == nil {
			rs = map[string]*Rule{}
			d.rules[r.bus] = rs
		}
		c.Rule, c.Deleted = applyDoc(v, rs, r, sc)
		if len(rs) == 0 {
			delete(d.rules, r.bus)
		}
		return c, c.Rule != nil
	case KindConnection:
		c.Connection, c.Deleted = applyDoc(v, d.conns, r, sc)
		return c, c.Connection != nil
	case KindAPIDestination:
		c.ApiDestination, c.Deleted = applyDoc(v, d.dests, r, sc)
		return c, c.ApiDestination != nil
	}
	return Change{}, false
}

// applyDoc stores or deletes one document of m. It returns the new
// document, or for a deletion the one the View held (nil if none) with
// deleted set. A document that does not decode counts as a deletion of
// the one it replaces: the rest of the catalog still serves.
func applyDoc[T any](v *View, m map[string]*T, r ref, sc store.Change) (doc *T, deleted bool) {
	if !sc.Deleted {
		doc = new(T)
		err := json.Unmarshal(sc.Value, doc)
		if err == nil {
			m[r.name] = doc
			return doc, false
		}
		// Another version's document, or damage.
		v.log.Error("undecodable catalog document ignored", "key", sc.Key, "err", err)
	}
	old := m[r.name]
	delete(m, r.name)
	return old, true
}

// Applied is the revision of the newest change in the View.
func (v *View) Applied() uint64 {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.applied
}

// WaitApplied returns once the View includes every change up to rev, or
// with ctx's error, or when stop is closed (the watch ended) before.
func (v *View) WaitApplied(ctx context.Context, rev uint64, stop <-chan struct{}) error {
	for {
		v.mu.RLock()
		applied, advance := v.applied, v.advance
		v.mu.RUnlock()
		if applied >= rev {
			return nil
		}
		select {
		case <-advance:
		case <-ctx.Done():
			return ctx.Err()
		case <-stop:
			return errWatchStopped
		}
	}
}

var errWatchStopped = errors.New("catalog: the watch of the store stopped")

// Bus returns a bus document, if the View holds it. The default bus exists
// in every scope but has a document only once it was first read through
// the Catalog.
func (v *View) Bus(k BusKey) (*Bus, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if d := v.scopes[k.Scope()]; d != nil {
		b, ok := d.buses[k.Name]
		return b, ok
	}
	return nil, false
}

// Rule returns a rule document, if the View holds it.
func (v *View) Rule(k BusKey, name string) (*Rule, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if d := v.scopes[k.Scope()]; d != nil {
		r, ok := d.rules[k.Name][name]
		return r, ok
	}
	return nil, false
}

// Connection returns a connection document, if the View holds it.
func (v *View) Connection(s Scope, name string) (*Connection, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if d := v.scopes[s]; d != nil {
		c, ok := d.conns[name]
		return c, ok
	}
	return nil, false
}

// ApiDestination returns an API destination document, if the View holds it.
func (v *View) ApiDestination(s Scope, name string) (*ApiDestination, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if d := v.scopes[s]; d != nil {
		a, ok := d.dests[name]
		return a, ok
	}
	return nil, false
}

// Buses lists the bus documents of a scope by name.
func (v *View) Buses(s Scope) []*Bus {
	v.mu.RLock()
	defer v.mu.RUnlock()
	d := v.scopes[s]
	if d == nil {
		return nil
	}
	return sorted(d.buses, func(b *Bus) string { return b.Name })
}

// Rules lists the rules of a bus by name.
func (v *View) Rules(k BusKey) []*Rule {
	v.mu.RLock()
	defer v.mu.RUnlock()
	d := v.scopes[k.Scope()]
	if d == nil {
		return nil
	}
	return sorted(d.rules[k.Name], func(r *Rule) string { return r.Name })
}

// Connections lists the connections of a scope by name.
func (v *View) Connections(s Scope) []*Connection {
	v.mu.RLock()
	defer v.mu.RUnlock()
	d := v.scopes[s]
	if d == nil {
		return nil
	}
	return sorted(d.conns, func(c *Connection) string { return c.Name })
}

// ApiDestinations lists the API destinations of a scope by name.
func (v *View) ApiDestinations(s Scope) []*ApiDestination {
	v.mu.RLock()
	defer v.mu.RUnlock()
	d := v.scopes[s]
	if d == nil {
		return nil
	}
	return sorted(d.dests, func(a *ApiDestination) string { return a.Name })
}

func sorted[T any](m map[string]*T, name func(*T) string) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *T) int { return strings.Compare(name(a), name(b)) })
	return out
}
