package pattern

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Matcher matches events against many named patterns at once.
//
// Readers never lock: Match loads the current compiled machine through an
// atomic pointer. Add and Delete only record the change under a mutex and
// mark the machine stale; the next Match rebuilds it once (copy-on-write)
// and publishes it, so a burst of changes costs one rebuild, and an event
// always sees a complete set of patterns, never a half-applied change.
type Matcher struct {
	mu       sync.Mutex // guards patterns and rebuilding
	patterns map[string]*Pattern
	cur      atomic.Pointer[machine]
	stale    atomic.Bool
}

// NewMatcher returns an empty Matcher.
func NewMatcher() *Matcher {
	m := &Matcher{patterns: map[string]*Pattern{}}
	m.cur.Store(buildMachine(nil))
	return m
}

// Add adds the pattern under name, replacing any pattern of that name.
func (m *Matcher) Add(name string, p *Pattern) {
	m.mu.Lock()
	m.patterns[name] = p
	m.stale.Store(true)
	m.mu.Unlock()
}

// Delete removes the pattern of that name, if any.
func (m *Matcher) Delete(name string) {
	m.mu.Lock()
	if _, ok := m.patterns[name]; ok {
		delete(m.patterns, name)
		m.stale.Store(true)
	}
	m.mu.Unlock()
}

// Len returns the number of patterns.
func (m *Matcher) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.patterns)
}

// Match returns the names of all patterns the event matches, each once, in
// no particular order. Errors are those of Pattern.Match.
func (m *Matcher) Match(eventJSON []byte) ([]string, error) {
	return m.MatchAppend(nil, eventJSON)
}

// MatchAppend is Match appending to dst; with a reused dst it allocates
// nothing in the steady state.
func (m *Matcher) MatchAppend(dst []string, eventJSON []byte) ([]string, error) {
	mc := m.machine()
	st := mc.get()
	defer mc.put(st)
	if err := st.scan(eventJSON); err != nil {
		return dst, err
	}
	return st.collect(dst), nil
}

func (m *Matcher) machine() *machine {
	if m.stale.Load() {
		m.mu.Lock()
		if m.stale.Load() {
			names := make([]string, 0, len(m.patterns))
			for n := range m.patterns {
				names = append(names, n)
			}
			sort.Strings(names)
			rules := make([]compiledRule, len(names))
			for i, n := range names {
				rules[i] = compiledRule{name: n, branches: m.patterns[n].branches}
			}
			m.cur.Store(buildMachine(rules))
			m.stale.Store(false)
		}
		m.mu.Unlock()
	}
	return m.cur.Load()
}
