package pattern

// wildScratch is the per-value state of a wildIndex walk, part of the
// pooled per-event state. Arrays are sized for the largest index of the
// machine and reused by every field; stamps compare against val, which
// advances once per value, so nothing is cleared between values.
type wildScratch struct {
	val uint32

	nodeStamp []uint32 // node reached in this value
	nodeAt    []int    // ... at this position (the end of its last piece)
	nodeLeft  []int32  // ... with this many edges not yet fired
	opStamp   []uint32 // operand matched (read by anything-but)
	tailStamp []uint32 // tail is a suffix of the value

	// FIFO per heavy piece of the edges waiting for it, linked through
	// waiters; valid when queueStamp is val.
	queueStamp           []uint32
	queueHead, queueTail []int32
	waiters              []wildWaiter

	lightTails []int32 // light tails that are suffixes of the value

	// the walk in progress
	w    *wildIndex
	st   *state
	n    int  // length of the value
	open int  // reached nodes with edges not yet fired
	deep bool // a tail of an operand with middle pieces is a suffix
}

type wildWaiter struct {
	child int32
	next  int32
	elig  int // the piece can end here at the earliest
}

// wildSizes are the largest counts over a machine's wildIndexes.
type wildSizes struct{ nodes, ops, tails, heavy int }

func (z *wildSizes) include(w *wildIndex) {
	z.nodes = max(z.nodes, len(w.nodes))
	z.ops = max(z.ops, len(w.opGroup))
	z.tails = max(z.tails, len(w.tailLen))
	z.heavy = max(z.heavy, w.nHeavy)
}

func newWildScratch(z wildSizes) wildScratch {
	return wildScratch{
		nodeStamp:  make([]uint32, z.nodes),
		nodeAt:     make([]int, z.nodes),
		nodeLeft:   make([]int32, z.nodes),
		opStamp:    make([]uint32, z.ops),
		tailStamp:  make([]uint32, z.tails),
		queueStamp: make([]uint32, z.heavy),
		queueHead:  make([]int32, z.heavy),
		queueTail:  make([]int32, z.heavy),
	}
}

// anyHit reports whether one of the operands matched the value walked
// last.
func (sc *wildScratch) anyHit(ops []int32) bool {
	for _, op := range ops {
		if sc.opStamp[op] == sc.val {
			return true
		}
	}
	return false
}

// match walks a string value: it emits the group of every positive
// operand that matches and stamps every matching operand.
func (w *wildIndex) match(v []byte, st *state) {
	sc := &st.wild
	sc.val++
	if sc.val == 0 { // wrapped: old stamps could collide, clear them
		clear(sc.nodeStamp)
		clear(sc.opStamp)
		clear(sc.tailStamp)
		clear(sc.queueStamp)
		sc.val = 1
	}
	sc.w, sc.st, sc.n, sc.open, sc.deep = w, st, len(v), 0, false
	sc.waiters = sc.waiters[:0]
	sc.lightTails = sc.lightTails[:0]

	// Tails first: a node checks its heavy terminals when it is reached.
	if len(w.tails.nodes) > 0 {
		t := &w.tails
		if id := t.nodes[0].out; id >= 0 {
			sc.tailMatched(id)
		}
		for i, tn := len(v)-1, int32(0); i >= 0; i-- {
			if tn = t.step(tn, v[i]); tn < 0 {
				break
			}
			if id := t.nodes[tn].out; id >= 0 {
				sc.tailMatched(id)
			}
		}
	}

	// Heads and pieces in one pass. hn is the heads walk (-1 once no
	// longer head can match), s the piece automaton's state.
	hn := int32(0)
	if x := w.heads.nodes[0].out; x >= 0 {
		sc.reach(x, 0)
	}
	ac := &w.pieces
	s := int32(0)
	for j := 0; j < len(v); {
		if sc.open == 0 {
			// Nothing waits for a piece, so no occurrence that started
			// before here can matter: restart the automaton, and stop
			// unless a longer head can still be reached.
			if hn < 0 {
				break
			}
			s = 0
		} else if s == 0 && hn < 0 {
			for j < len(v) && ac.root[v[j]] == 0 {
				j++ // no piece starts with this byte
			}
			if j == len(v) {
				break
			}
		}
		c := v[j]
		j++
		if hn >= 0 {
			if hn = w.heads.step(hn, c); hn >= 0 {
				if x := w.heads.nodes[hn].out; x >= 0 {
					sc.reach(x, j)
				}
			}
		}
		if sc.open == 0 {
			continue
		}
		s = ac.step(s, c)
		for r := ac.report[s]; r >= 0; r = ac.report[ac.fail[r]] {
			sc.fire(ac.piece[r], j)
		}
	}

	// Light terminals: their tail is a suffix; was their node reached
	// early enough?
	for _, t := range sc.lightTails {
		for _, tm := range w.lightTerms[w.termAt[t]:w.termAt[t+1]] {
			if sc.nodeStamp[tm.node] == sc.val && sc.nodeAt[tm.node] <= sc.n-int(w.tailLen[t]) {
				sc.matched(tm.op)
			}
		}
	}
	sc.w, sc.st = nil, nil
}

func (sc *wildScratch) tailMatched(t int32) {
	w := sc.w
	sc.tailStamp[t] = sc.val
	if w.termAt[t+1] > w.termAt[t] { // a light tail
		sc.lightTails = append(sc.lightTails, t)
	}
	if w.tailDeep[t] {
		sc.deep = true
	}
}

func (sc *wildScratch) matched(op int32) {
	sc.opStamp[op] = sc.val
	if g := sc.w.opGroup[op]; g >= 0 {
		sc.st.emit(g)
	}
}

// reach records that node x's head and pieces end at position e, checks
// its exact operands and heavy terminals, and queues its heavy edges.
func (sc *wildScratch) reach(x int32, e int) {
	w := sc.w
	sc.nodeStamp[x] = sc.val
	sc.nodeAt[x] = e
	nd := &w.nodes[x]
	if nd.parent >= 0 {
		if sc.nodeLeft[nd.parent]--; sc.nodeLeft[nd.parent] == 0 {
			sc.open--
		}
	}
	if e == sc.n {
		for _, ex := range w.exact[w.exactAt[x]:w.exactAt[x+1]] {
			sc.matched(ex.op)
		}
	}
	for _, tm := range w.heavyTerms[w.heavyTermAt[x]:w.heavyTermAt[x+1]] {
		if sc.tailStamp[tm.tail] == sc.val && e <= sc.n-int(w.tailLen[tm.tail]) {
			sc.matched(tm.op)
		}
	}
	if nd.edges == 0 || !sc.deep {
		return // no operand below this node can match
	}
	left := nd.edges
	for _, he := range w.heavyEdges[w.heavyAt[x]:w.heavyAt[x+1]] {
		elig := e + int(w.pieceLen[he.piece])
		if elig > sc.n {
			left-- // the piece does not fit in the rest of the value
			continue
		}
		h := w.heavyOf[he.piece]
		k := int32(len(sc.waiters))
		sc.waiters = append(sc.waiters, wildWaiter{child: he.child, next: -1, elig: elig})
		if sc.queueStamp[h] != sc.val || sc.queueHead[h] < 0 {
			sc.queueStamp[h] = sc.val
			sc.queueHead[h] = k
		} else {
			sc.waiters[sc.queueTail[h]].next = k
		}
		sc.queueTail[h] = k
	}
	// A light edge whose piece cannot fit still counts: it only keeps the
	// scan going to the end.
	sc.nodeLeft[x] = left
	if left > 0 {
		sc.open++
	}
}

// fire handles an occurrence of piece p ending at position j: every edge
// waiting for p whose node was reached at or before j-len(p) fires.
func (sc *wildScratch) fire(p int32, j int) {
	w := sc.w
	if h := w.heavyOf[p]; h >= 0 {
		if sc.queueStamp[h] != sc.val {
			return
		}
		for k := sc.queueHead[h]; k >= 0; k = sc.waiters[k].next {
			wt := &sc.waiters[k]
			if wt.elig > j {
				sc.queueHead[h] = k
				return
			}
			if sc.nodeStamp[wt.child] != sc.val {
				sc.reach(wt.child, j)
			}
		}
		sc.queueHead[h] = -1
		return
	}
	start := j - int(w.pieceLen[p])
	for _, e := range w.lightEdges[w.lightAt[p]:w.lightAt[p+1]] {
		if sc.nodeStamp[e.parent] == sc.val && sc.nodeAt[e.parent] <= start && sc.nodeStamp[e.child] != sc.val {
			sc.reach(e.child, j)
		}
	}
}
