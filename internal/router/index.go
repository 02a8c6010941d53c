package router

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/store"
	"github.com/switchyard-dev/switchyard/internal/transform"
	"github.com/switchyard-dev/switchyard/pattern"
)

// BusKey names a bus.
type BusKey struct {
	Account, Region, Bus string
}

// Target is a rule's target, compiled for delivery. It is immutable: a
// change to the rule replaces it.
type Target struct {
	Bus       BusKey
	RuleName  string
	RuleArn   string
	ID        string
	Arn       string
	Spec      wire.Target
	Transform *transform.Transformer // nil when the input config could not be compiled
}

type rule struct {
	arn     string
	targets []*Target
}

type busState struct {
	matcher *pattern.Matcher
	rules   map[string]*rule // enabled rules with an event pattern
}

// Index is the routing view of the catalog. Its methods are safe for
// concurrent use; Lookups never wait for the watcher.
type Index struct {
	log *slog.Logger

	mu      sync.RWMutex
	buses   map[BusKey]*busState
	docs    map[BusKey]*catalog.Bus // bus documents (policy, dead-letter config)
	conns   map[string]scopedConn   // connections by ARN
	dests   map[string]scopedDest   // API destinations by ARN
	applied uint64                  // revision of the newest change applied
	advance chan struct{}           // closed and replaced whenever applied grows
}

// NewIndex returns an empty index; Run fills it.
func NewIndex(log *slog.Logger) *Index {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Index{log: log, buses: map[BusKey]*busState{}, docs: map[BusKey]*catalog.Bus{},
		conns: map[string]scopedConn{}, dests: map[string]scopedDest{}, advance: make(chan struct{})}
}

// Run keeps the index current until ctx ends.
func (x *Index) Run(ctx context.Context, w store.Watcher) error {
	return w.Watch(ctx, x.apply)
}

// apply is the watcher's callback: one catalog change.
func (x *Index) apply(c store.Change) {
	s, kind, names, ok := catalog.ParseKey(c.Key)
	x.mu.Lock()
	defer x.mu.Unlock()
	if ok {
		switch {
		case kind == catalog.KindRule && len(names) == 2:
			x.applyRule(BusKey{s.Account, s.Region, names[0]}, names[1], c)
		case kind == catalog.KindBus && len(names) == 1:
			x.applyBus(BusKey{s.Account, s.Region, names[0]}, c)
		case kind == catalog.KindConnection && len(names) == 1:
			x.applyConnection(s, names[0], c)
		case kind == catalog.KindAPIDestination && len(names) == 1:
			x.applyAPIDestination(s, names[0], c)
		}
	}
	if c.Revision > x.applied {
		x.applied = c.Revision
		close(x.advance)
		x.advance = make(chan struct{})
	}
}

func (x *Index) applyBus(k BusKey, c store.Change) {
	if c.Deleted {
		delete(x.docs, k)
		return
	}
	var b catalog.Bus
	if err := json.Unmarshal(c.Value, &b); err != nil {
		x.log.Error("undecodable bus document", "key", c.Key, "err", err)
		return
	}
	x.docs[k] = &b
}

func (x *Index) applyRule(k BusKey, name string, c store.Change) {
	bs := x.buses[k]
	if c.Deleted {
		if bs != nil {
			x.removeRule(k, bs, name)
		}
		return
	}
	var r catalog.Rule
	if err := json.Unmarshal(c.Value, &r); err != nil {
		x.log.Error("undecodable rule document", "key", c.Key, "err", err)
		return
	}
	if r.EventPattern == nil || r.State == wire.RuleStateDisabled {
		if bs != nil {
			x.removeRule(k, bs, name)
		}
		return
	}
	p, err := pattern.Compile([]byte(*r.EventPattern))
	if err != nil {
		// The API validates patterns; one that no longer compiles (an older
		// engine accepted it) matches nothing rather than stopping routing.
		x.log.Error("stored rule pattern does not compile", "rule", name, "bus", k.Bus, "err", err)
		if bs != nil {
			x.removeRule(k, bs, name)
		}
		return
	}
	if bs == nil {
		bs = &busState{matcher: pattern.NewMatcher(), rules: map[string]*rule{}}
		x.buses[k] = bs
	}
	ru := &rule{arn: arn.Rule(k.Region, k.Account, k.Bus, name)}
	for _, t := range r.Targets {
		ru.targets = append(ru.targets, compileTarget(k, name, ru.arn, t, x.log))
	}
	bs.rules[name] = ru
	bs.matcher.Add(name, p)
}

func (x *Index) removeRule(k BusKey, bs *busState, name string) {
	delete(bs.rules, name)
	bs.matcher.Delete(name)
	if len(bs.rules) == 0 {
		delete(x.buses, k)
	}
}

func compileTarget(k BusKey, ruleName, ruleArn string, t wire.Target, log *slog.Logger) *Target {
	ct := &Target{Bus: k, RuleName: ruleName, RuleArn: ruleArn, Spec: t}
	if t.Id != nil {
		ct.ID = *t.Id
	}
	if t.Arn != nil {
		ct.Arn = *t.Arn
	}
	spec := transform.Spec{Input: t.Input, InputPath: t.InputPath}
	if it := t.InputTransformer; it != nil {
		spec.PathsMap, spec.Template = it.InputPathsMap, it.InputTemplate
	}
	tr, err := transform.Compile(spec)
	if err != nil {
		log.Error("target input does not compile", "rule", ruleName, "target", ct.ID, "err", err)
	}
	ct.Transform = tr
	return ct
}

// Applied is the revision of the newest catalog change in the index.
func (x *Index) Applied() uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.applied
}

// WaitApplied returns once the index includes every catalog change up to
// rev, or when ctx ends.
func (x *Index) WaitApplied(ctx context.Context, rev uint64) error {
	for {
		x.mu.RLock()
		applied, advance := x.applied, x.advance
		x.mu.RUnlock()
		if applied >= rev {
			return nil
		}
		select {
		case <-advance:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Match appends to dst the targets of every rule on bus whose pattern
// matches event.
func (x *Index) Match(dst []*Target, bus BusKey, event []byte, names []string) ([]*Target, []string, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	bs := x.buses[bus]
	if bs == nil {
		return dst, names, nil
	}
	names, err := bs.matcher.MatchAppend(names[:0], event)
	if err != nil {
		return dst, names, err
	}
	for _, n := range names {
		if r := bs.rules[n]; r != nil {
			dst = append(dst, r.targets...)
		}
	}
	return dst, names, nil
}

// Target finds a rule's target by id: retries re-read their target, which
// may have changed or gone since the event was routed.
func (x *Index) Target(bus BusKey, ruleName, id string) (*Target, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	bs := x.buses[bus]
	if bs == nil {
		return nil, false
	}
	r := bs.rules[ruleName]
	if r == nil {
		return nil, false
	}
	for _, t := range r.targets {
		if t.ID == id {
			return t, true
		}
	}
	return nil, false
}

// Bus returns a bus document, if the bus exists.
func (x *Index) Bus(k BusKey) (*catalog.Bus, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	b, ok := x.docs[k]
	return b, ok
}
