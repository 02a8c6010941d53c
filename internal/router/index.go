package router

import (
	"log/slog"
	"sync"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/transform"
	"github.com/switchyard-dev/switchyard/pattern"
)

// Target is a rule's target, compiled for delivery. It is immutable: a
// change to the rule replaces it.
type Target struct {
	catalog.Target
	Bus       catalog.BusKey
	RuleName  string
	RuleArn   string
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

// Index is the routing view of the catalog: per bus, one pattern.Matcher
// with every enabled rule that has an event pattern, and the compiled
// targets of each rule. It follows a catalog.View as an observer, so once
// the View has applied a revision, so has the Index. Its methods are safe
// for concurrent use; lookups never wait for the catalog.
type Index struct {
	log *slog.Logger

	mu    sync.RWMutex
	buses map[catalog.BusKey]*busState
}

// NewIndex returns an Index that follows v from now on.
func NewIndex(v *catalog.View, log *slog.Logger) *Index {
	x := newIndex(log)
	v.Observe(x.apply)
	return x
}

func newIndex(log *slog.Logger) *Index {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Index{log: log, buses: map[catalog.BusKey]*busState{}}
}

// apply is the View's observer: only rules concern the Index.
func (x *Index) apply(c catalog.Change) {
	r := c.Rule
	if r == nil {
		return
	}
	k := c.Scope.Bus(r.Bus)
	x.mu.Lock()
	defer x.mu.Unlock()
	bs := x.buses[k]
	if c.Deleted || r.EventPattern == nil || !r.Enabled() {
		if bs != nil {
			x.removeRule(k, bs, r.Name)
		}
		return
	}
	p, err := pattern.Compile([]byte(*r.EventPattern))
	if err != nil {
		// The API validates patterns; one that no longer compiles (an older
		// engine accepted it) matches nothing rather than stopping routing.
		x.log.Error("stored rule pattern does not compile", "rule", r.Name, "bus", r.Bus, "err", err)
		if bs != nil {
			x.removeRule(k, bs, r.Name)
		}
		return
	}
	if bs == nil {
		bs = &busState{matcher: pattern.NewMatcher(), rules: map[string]*rule{}}
		x.buses[k] = bs
	}
	ru := &rule{arn: arn.Rule(k.Region, k.Account, k.Name, r.Name)}
	for _, t := range r.Targets {
		ru.targets = append(ru.targets, compileTarget(k, r.Name, ru.arn, t, x.log))
	}
	bs.rules[r.Name] = ru
	bs.matcher.Add(r.Name, p)
}

func (x *Index) removeRule(k catalog.BusKey, bs *busState, name string) {
	delete(bs.rules, name)
	bs.matcher.Delete(name)
	if len(bs.rules) == 0 {
		delete(x.buses, k)
	}
}

func compileTarget(k catalog.BusKey, ruleName, ruleArn string, t catalog.Target, log *slog.Logger) *Target {
	ct := &Target{Target: t, Bus: k, RuleName: ruleName, RuleArn: ruleArn}
	spec := transform.Spec{Input: t.Input, InputPath: t.InputPath}
	if it := t.InputTransformer; it != nil {
		spec.PathsMap, spec.Template = it.PathsMap, it.Template
	}
	tr, err := transform.Compile(spec)
	if err != nil {
		log.Error("target input does not compile", "rule", ruleName, "target", t.ID, "err", err)
	}
	ct.Transform = tr
	return ct
}

// Match appends to dst the targets of every rule on bus whose pattern
// matches event, and the names of those rules to names.
func (x *Index) Match(dst []*Target, bus catalog.BusKey, event []byte, names []string) ([]*Target, []string, error) {
	x.mu.RLock()
	bs := x.buses[bus]
	x.mu.RUnlock()
	if bs == nil {
		return dst, names, nil
	}
	// The matcher is safe to use unlocked (it is copy-on-write inside), and
	// a long match must not hold up the catalog's watch: the rules map is
	// read under the lock again below.
	names, err := bs.matcher.MatchAppend(names[:0], event)
	if err != nil {
		return dst, names, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, n := range names {
		if r := bs.rules[n]; r != nil {
			dst = append(dst, r.targets...)
		}
	}
	return dst, names, nil
}

// Target finds a rule's target by id: retries re-read their target, which
// may have changed or gone since the event was routed.
func (x *Index) Target(bus catalog.BusKey, ruleName, id string) (*Target, bool) {
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
