package pattern

import (
	"cmp"
	"slices"
)

// state is the per-event scratch of one match, pooled per machine so the
// steady state allocates nothing. Stamps compare against epoch instead of
// being cleared: bumping epoch forgets the previous event in O(1).
type state struct {
	m     *machine
	epoch uint32

	groupSeen  []uint32 // group satisfied by some value
	groupFree  []uint32 // group satisfied by a value outside any array
	matched    []int32  // groups satisfied, in order of first match
	branchSeen []uint32
	fieldSeen  []uint32
	ruleSeen   []uint32

	// Values inside arrays that satisfied a group, with the array elements
	// enclosing them, for the array-consistency check.
	hits   []hit
	mems   [][2]int32 // per value: range in memBuf
	memBuf []arrElem
	arr    []arrElem // enclosing arrays of the value being scanned
	nextID int32
	curVal int32 // index in mems of the current value, -1 before its first hit

	// Early stop (see canStop): the object nodes being scanned, root
	// first; per node, the object (numbered by objSeq) that last had it
	// as a key; the position of a quote known to block stopping; whether
	// the scan stopped early.
	chain   []int32
	nodeObj []uint32
	objSeq  uint32
	blockAt int
	stopped bool

	wild wildScratch // see wildIndex.match

	key  []byte
	str  []byte
	fold []byte
	leaf leaf
	cand []cand
	pick []int32
}

type arrElem struct{ id, idx int32 }

type hit struct{ group, val int32 }

type cand struct{ slot, val int32 }

func newState(m *machine) any {
	return &state{
		m:          m,
		groupSeen:  make([]uint32, len(m.groups)),
		groupFree:  make([]uint32, len(m.groups)),
		branchSeen: make([]uint32, len(m.branches)),
		fieldSeen:  make([]uint32, len(m.fields)),
		ruleSeen:   make([]uint32, len(m.rules)),
		nodeObj:    make([]uint32, len(m.nodes)),
		wild:       newWildScratch(m.wildSizes),
	}
}

func (st *state) reset() {
	st.epoch++
	if st.epoch == 0 { // wrapped: old stamps could collide, clear them
		clear(st.groupSeen)
		clear(st.groupFree)
		clear(st.branchSeen)
		clear(st.fieldSeen)
		clear(st.ruleSeen)
		st.epoch = 1
	}
	st.matched = st.matched[:0]
	st.hits = st.hits[:0]
	st.mems = st.mems[:0]
	st.memBuf = st.memBuf[:0]
	st.arr = st.arr[:0]
	st.nextID = 0
	st.chain = st.chain[:0]
	st.blockAt = -1
	st.stopped = false
}

// emit records that the value being scanned satisfies group g.
func (st *state) emit(g int32) {
	e := st.epoch
	if st.groupSeen[g] != e {
		st.groupSeen[g] = e
		st.matched = append(st.matched, g)
	}
	if len(st.arr) == 0 {
		st.groupFree[g] = e
		return
	}
	if !st.m.multi[g] {
		return // a lone slot is satisfied by any value: positions do not matter
	}
	if st.curVal < 0 {
		st.curVal = int32(len(st.mems))
		start := int32(len(st.memBuf))
		st.memBuf = append(st.memBuf, st.arr...)
		st.mems = append(st.mems, [2]int32{start, int32(len(st.memBuf))})
	}
	st.hits = append(st.hits, hit{g, st.curVal})
}

// collect appends the names of matched rules to dst.
func (st *state) collect(dst []string) []string {
	m := st.m
	for _, g := range st.matched {
		for _, b := range m.groups[g].keyOf {
			if st.branchSeen[b] == st.epoch {
				continue
			}
			st.branchSeen[b] = st.epoch
			dst = st.tryBranch(b, dst)
		}
	}
	for _, b := range m.always {
		dst = st.tryBranch(b, dst)
	}
	return dst
}

func (st *state) tryBranch(b int32, dst []string) []string {
	m := st.m
	bi := &m.branches[b]
	if st.ruleSeen[bi.rule] == st.epoch {
		return dst
	}
	for i, s := range bi.slots {
		if int32(i) != bi.key && !st.slotSeen(s) {
			return dst
		}
	}
	for _, f := range bi.absent {
		if st.fieldSeen[f] == st.epoch {
			return dst
		}
	}
	if !st.consistent(bi) {
		return dst
	}
	st.ruleSeen[bi.rule] = st.epoch
	return append(dst, m.rules[bi.rule])
}

func (st *state) slotSeen(s int32) bool {
	for _, g := range st.m.slots[s].groups {
		if st.groupSeen[g] == st.epoch {
			return true
		}
	}
	return false
}

func (st *state) slotFree(s int32) bool {
	for _, g := range st.m.slots[s].groups {
		if st.groupFree[g] == st.epoch {
			return true
		}
	}
	return false
}

// consistent reports whether the branch's slots can be satisfied by values
// that agree on every array they share: two values inside the same array
// must come from the same element of it (Event Ruler's array membership).
// Slots satisfied by a value outside all arrays constrain nothing, and one
// constrained slot alone is always satisfiable.
func (st *state) consistent(bi *branchInfo) bool {
	need := 0
	for _, s := range bi.slots {
		if !st.slotFree(s) {
			need++
		}
	}
	if need < 2 {
		return true
	}
	st.cand = st.cand[:0]
	for _, s := range bi.slots {
		if st.slotFree(s) {
			continue
		}
		groups := st.m.slots[s].groups
		for _, h := range st.hits {
			if containsInt32(groups, h.group) {
				st.cand = append(st.cand, cand{s, h.val})
			}
		}
	}
	slices.SortFunc(st.cand, func(a, b cand) int { return cmp.Compare(a.slot, b.slot) })
	st.pick = st.pick[:0]
	return st.search(0)
}

// search picks one candidate per slot, from st.cand[i:], backtracking.
func (st *state) search(i int) bool {
	if i == len(st.cand) {
		return true
	}
	slot := st.cand[i].slot
	end := i
	for end < len(st.cand) && st.cand[end].slot == slot {
		end++
	}
	for j := i; j < end; j++ {
		v := st.cand[j].val
		ok := true
		for _, p := range st.pick {
			if !st.compatible(p, v) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		st.pick = append(st.pick, v)
		if st.search(end) {
			return true
		}
		st.pick = st.pick[:len(st.pick)-1]
	}
	return false
}

// compatible compares the enclosing-array paths of two values: arrays are
// numbered in scan order and nest, so the paths agree on a common prefix of
// arrays and never share one after they diverge.
func (st *state) compatible(a, b int32) bool {
	x := st.memBuf[st.mems[a][0]:st.mems[a][1]]
	y := st.memBuf[st.mems[b][0]:st.mems[b][1]]
	for k := 0; k < len(x) && k < len(y); k++ {
		if x[k].id != y[k].id {
			return true
		}
		if x[k].idx != y[k].idx {
			return false
		}
	}
	return true
}
