package transform

// A pathSet evaluates many paths in one walk over an event. The paths share
// a trie of steps; the walk descends only into members and elements some
// path names and skips the rest byte-wise, so an InputPathsMap of any size
// costs about one scan of the event.
//
// Two rules shape the walk:
//   - A repeated key resolves to its last occurrence. When a key step
//     matches again, the results of every path below it are cleared before
//     the new occurrence is walked. Path ids are numbered in trie order so
//     that "every path below a node" is the range [lo, hi).
//   - Paths through a wildcard collect every match instead of keeping one;
//     inside a wildcard a repeated key contributes each occurrence.
type pathSet struct {
	nodes   []node
	ids     []int // ids[i] is the trie-ordered id of the i-th added path
	wild    []bool
	hasWild bool
}

type node struct {
	step        step
	first, next int   // first child and next sibling, -1 for none
	terms       []int // ids of the paths ending here
	lo, hi      int
	collect     bool // on or below a wildcard
}

// span is a value's offsets in the event; start < 0 means no value.
type span struct{ start, end int }

type match struct {
	id int
	span
}

type walkState struct {
	ev  []byte
	res []span // per path id, for paths without a wildcard
	// wild collects the matches of wildcard paths. It sits behind a
	// pointer, and is only set when there are wildcard paths, so that the
	// appends to it do not make the whole state escape to the heap.
	wild *matches
}

type matches struct{ list []match }

// add inserts a path and returns its index among added paths.
func (ps *pathSet) add(steps []step) int {
	if len(ps.nodes) == 0 {
		ps.nodes = make([]node, 1, len(steps)+1)
		ps.nodes[0] = node{first: -1, next: -1}
	}
	cur := 0
	wild := false
	for _, s := range steps {
		wild = wild || s.kind == stepWild
		next := -1
		for c := ps.nodes[cur].first; c >= 0; c = ps.nodes[c].next {
			if ps.nodes[c].step == s {
				next = c
				break
			}
		}
		if next < 0 {
			next = len(ps.nodes)
			ps.nodes = append(ps.nodes, node{step: s, first: -1, next: ps.nodes[cur].first, collect: wild})
			ps.nodes[cur].first = next
		}
		cur = next
	}
	k := len(ps.ids)
	ps.nodes[cur].terms = append(ps.nodes[cur].terms, k)
	ps.ids = append(ps.ids, k)
	ps.wild = append(ps.wild, wild)
	ps.hasWild = ps.hasWild || wild
	return k
}

// finish renumbers path ids in trie order and records each node's range.
func (ps *pathSet) finish() {
	if len(ps.nodes) == 0 {
		return
	}
	wild := make([]bool, len(ps.ids))
	ps.number(0, 0, wild)
	ps.wild = wild
}

func (ps *pathSet) number(n, next int, wild []bool) int {
	nd := &ps.nodes[n]
	nd.lo = next
	for j, k := range nd.terms {
		ps.ids[k] = next
		wild[next] = ps.wild[k]
		nd.terms[j] = next
		next++
	}
	for c := nd.first; c >= 0; c = ps.nodes[c].next {
		next = ps.number(c, next, wild)
	}
	ps.nodes[n].hi = next
	return next
}

// run walks the event and fills st. st.res must have one entry per path.
func (ps *pathSet) run(st *walkState) {
	for i := range st.res {
		st.res[i] = span{-1, -1}
	}
	if len(ps.nodes) == 0 {
		return
	}
	i := skipSpace(st.ev, 0)
	if i >= len(st.ev) || ps.walk(st, 0, i) < 0 {
		// Not JSON: report every path as missing rather than half a walk.
		for i := range st.res {
			st.res[i] = span{-1, -1}
		}
		if st.wild != nil {
			st.wild.list = st.wild.list[:0]
		}
	}
}

func (ps *pathSet) walk(st *walkState, n, i int) int {
	nd := &ps.nodes[n]
	end := -1
	switch {
	case nd.first < 0:
		end = skipValue(st.ev, i)
	case st.ev[i] == '{':
		end = ps.walkObject(st, nd, i)
	case st.ev[i] == '[':
		end = ps.walkArray(st, nd, i)
	default:
		end = skipValue(st.ev, i)
	}
	if end < 0 {
		return -1
	}
	for _, id := range nd.terms {
		if nd.collect {
			st.wild.list = append(st.wild.list, match{id, span{i, end}})
		} else {
			st.res[id] = span{i, end}
		}
	}
	return end
}

func (ps *pathSet) walkObject(st *walkState, nd *node, i int) int {
	ev := st.ev
	i = skipSpace(ev, i+1)
	if i < len(ev) && ev[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(ev) || ev[i] != '"' {
			return -1
		}
		kend := stringEnd(ev, i)
		if kend < 0 {
			return -1
		}
		key := ev[i:kend]
		i = skipSpace(ev, kend)
		if i >= len(ev) || ev[i] != ':' {
			return -1
		}
		i = skipSpace(ev, i+1)
		if i >= len(ev) {
			return -1
		}
		end := -1
		for c := nd.first; c >= 0; c = ps.nodes[c].next {
			cn := &ps.nodes[c]
			switch {
			case cn.step.kind == stepWild:
			case cn.step.kind == stepKey && keyEquals(key, cn.step.key):
				if !cn.collect {
					st.clear(cn.lo, cn.hi)
				}
			default:
				continue
			}
			if end = ps.walk(st, c, i); end < 0 {
				return -1
			}
		}
		if end < 0 {
			if end = skipValue(ev, i); end < 0 {
				return -1
			}
		}
		i = skipSpace(ev, end)
		if i >= len(ev) {
			return -1
		}
		switch ev[i] {
		case ',':
			i = skipSpace(ev, i+1)
		case '}':
			return i + 1
		default:
			return -1
		}
	}
}

func (ps *pathSet) walkArray(st *walkState, nd *node, i int) int {
	ev := st.ev
	i = skipSpace(ev, i+1)
	if i < len(ev) && ev[i] == ']' {
		return i + 1
	}
	for k := 0; ; k++ {
		if i >= len(ev) {
			return -1
		}
		end := -1
		for c := nd.first; c >= 0; c = ps.nodes[c].next {
			cn := &ps.nodes[c]
			if cn.step.kind == stepWild || (cn.step.kind == stepIndex && cn.step.index == k) {
				if end = ps.walk(st, c, i); end < 0 {
					return -1
				}
			}
		}
		if end < 0 {
			if end = skipValue(ev, i); end < 0 {
				return -1
			}
		}
		i = skipSpace(ev, end)
		if i >= len(ev) {
			return -1
		}
		switch ev[i] {
		case ',':
			i = skipSpace(ev, i+1)
		case ']':
			return i + 1
		default:
			return -1
		}
	}
}

// clear forgets the results of paths [lo, hi) before a repeated key is
// walked again.
func (st *walkState) clear(lo, hi int) {
	for id := lo; id < hi; id++ {
		st.res[id] = span{-1, -1}
	}
	if st.wild == nil {
		return
	}
	kept := st.wild.list[:0]
	for _, m := range st.wild.list {
		if m.id < lo || m.id >= hi {
			kept = append(kept, m)
		}
	}
	st.wild.list = kept
}

// value returns the result of the k-th added path. For a wildcard path the
// matches are joined into a JSON array appended to buf.
func (ps *pathSet) value(st *walkState, buf []byte, k int) ([]byte, bool) {
	id := ps.ids[k]
	if !ps.wild[id] {
		s := st.res[id]
		if s.start < 0 {
			return nil, false
		}
		return st.ev[s.start:s.end], true
	}
	start := len(buf)
	buf = append(buf, '[')
	first := true
	for _, m := range st.wild.list {
		if m.id != id {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, st.ev[m.start:m.end]...)
	}
	buf = append(buf, ']')
	return buf[start:], true
}
