package pattern

// Pattern is a compiled event pattern. It is immutable and safe for
// concurrent use.
type Pattern struct {
	source   string
	branches []normBranch
	m        *machine
}

// Compile parses and validates an EventBridge event pattern. An invalid
// pattern yields a *CompileError whose Reason is AWS's text.
func Compile(patternJSON []byte) (*Pattern, error) {
	bs, err := compileBranches(patternJSON)
	if err != nil {
		return nil, err
	}
	p := &Pattern{source: string(patternJSON), branches: normalize(bs)}
	p.m = buildMachine([]compiledRule{{name: "", branches: p.branches}})
	return p, nil
}

// String returns the pattern's source text.
func (p *Pattern) String() string { return p.source }

// Match reports whether the event matches. The error is ErrNotObject when
// the event is JSON but not an object, and ErrSyntax when it is not valid
// JSON (parts of the event no pattern looks at are only checked for
// balanced brackets and closed strings, and the rest of the event after
// the point where no later key can reach a path the pattern uses is not
// read at all, so errors there go unnoticed).
func (p *Pattern) Match(eventJSON []byte) (bool, error) {
	st := p.m.get()
	defer p.m.put(st)
	if err := st.scan(eventJSON); err != nil {
		return false, err
	}
	var buf [1]string
	return len(st.collect(buf[:0])) > 0, nil
}

func (m *machine) get() *state {
	st := m.pool.Get().(*state)
	st.reset()
	return st
}

func (m *machine) put(st *state) { m.pool.Put(st) }
