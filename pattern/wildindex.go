package pattern

import "strconv"

// wildIndex matches all the wildcard operands of one field, of every rule,
// in one pass over a string value, as Event Ruler's ByteMachine and
// quamina's NFA do, but with a cost per value that does not grow with the
// number of operands. It serves positive "wildcard" conditions and the
// wildcard exclusions of "anything-but". A field with at most
// wildFewOperands operands has none: they are checked one by one.
//
// An operand is p0*p1*...*pk: a literal head p0, middle pieces p1..pk-1
// (never empty: "**" is rejected) and a literal tail pk; without a '*'
// it is the string p0. It matches v when v starts with p0, ends with pk,
// and the middle pieces occur in v in order, without overlapping each
// other, p0 or pk. Because every gap is a '*', taking each middle piece at
// its leftmost possible occurrence is optimal (what wildcard.match does).
//
// Operands become paths in a tree of star nodes: a level-0 node per
// distinct head p0, and below a node one child per distinct next middle
// piece, so operands that begin alike share their nodes. A node stands for
// "the head and the pieces so far were found, ending at position e"
// (e is the node's reach position; leftmost placement makes it unique). The
// operand ends at a node as a terminal: its tail must be a suffix of v
// starting at or after e. A node's children are its edges; a level-0
// node also lists the operands without '*' equal to its head.
//
// Matching a value (wildIndex.match, wildmatch.go) walks three structures
// once:
//
//   - the heads: a byte trie of the p0s, walked from v's first byte; a
//     level-0 node is reached when v starts with its head;
//   - the tails: a byte trie of the reversed pks, walked from v's last
//     byte, marks which tails are suffixes of v;
//   - the pieces: one Aho-Corasick automaton (pieceAC) over all distinct
//     middle pieces reports, after each byte, the pieces ending there. An
//     edge (node, piece, child) fires at the first report of its piece
//     that starts at or after the node's reach position: the child is
//     reached there, and the node waits no more for that piece.
//
// A plain NFA simulation (a byte trie of the operands with star states
// looping on themselves) would keep every star state whose text was seen
// active until the end, and pay for each of them on every byte: with many
// rules whose operands share a first piece, or a value containing many of
// them, that is rules x operands x length again. Here a waiting node costs
// nothing per byte; it is found from the piece that completes it, in one
// of two ways, chosen per piece (and likewise per tail) when the index is
// built:
//
//   - a light piece, shared by at most wildPullMax edges, keeps their list;
//     each report of it checks those edges (is the parent reached, early
//     enough, and the child not yet?);
//   - a heavy piece, shared by more edges, is looked for only by the nodes
//     actually reached: when one is reached it queues its heavy edges in
//     the piece's FIFO, in order of the position they become eligible at
//     (which is the order of reaching, so the FIFO stays sorted), and a
//     report of the piece pops the eligible ones.
//
// Tails are resolved the same way: a light tail's few terminals are
// checked once after the scan if the tail is a suffix of v; a heavy tail's
// terminals are checked by the nodes reached, when they are reached.
//
// Cost of one string value of n bytes, with D the largest number of pieces
// that can end at one position (at most the number of distinct piece
// lengths of the field; 3 for the incident's 300 rules, where "1x1",
// "11x1" and "111x1" can end together) and K = wildPullMax:
//
//   - the heads and tails walks: at most n steps each (and no more than the
//     longest head or tail);
//   - the scan: n transitions, amortized O(1) each, and at most D reports
//     per byte, each checking at most K light edges, so O(n (1 + D K));
//   - plus one step per node reached, per heavy edge and heavy terminal of
//     a reached node, per light terminal of a matched tail (at most K per
//     tail, at most min(n, longest tail)+1 tails), and per matching operand.
//
// None of this multiplies the value's length by the number of operands.
// The one term that is not bounded by a multiple of n is the heavy edges
// and terminals of reached nodes, at most once per value each (so at most
// the field's number of heavy edges and terminals), never per byte. A node
// with many operands behind it, like the empty head of the incident's
// 48,957 operands (all start with '*'), reaches them through light pieces
// and costs nothing until one of the pieces occurs. The scan also stops as
// soon as no reached node waits for a piece and no longer head can be
// reached, so a value that starts with none of the heads is not scanned,
// and it does not start when no tail of an operand with middle pieces is
// a suffix of the value (as a per-operand matcher rejects most values by
// their ends before searching for a piece).
type wildIndex struct {
	opGroup []int32 // per operand: the group it satisfies, or -1 (anything-but exclusion)

	heads trie // p0 -> level-0 node (trieNode.out)
	nodes []starNode

	pieces   pieceAC
	pieceLen []int32
	heavyOf  []int32 // per piece: its index among heavy pieces, or -1
	nHeavy   int
	// light edges by piece: lightEdges[lightAt[p]:lightAt[p+1]]
	lightAt    []int32
	lightEdges []wildEdge

	tails   trie // reversed pk -> tail id
	tailLen []int32
	// tailDeep[t]: some operand with tail t has middle pieces. When no
	// such tail is a suffix of the value, no middle piece can matter and
	// the value is not scanned for them (the heads are still walked).
	tailDeep []bool
	// light terminals by tail: lightTerms[termAt[t]:termAt[t+1]]
	termAt     []int32
	lightTerms []wildTerm

	// by node: heavy edges heavyEdges[heavyAt[n]:heavyAt[n+1]], heavy
	// terminals heavyTerms[heavyTermAt[n]:...], and the operands without
	// '*' equal to a level-0 node's head, exact[exactAt[n]:...]
	heavyAt, heavyTermAt, exactAt []int32
	heavyEdges                    []wildEdge
	heavyTerms                    []wildTerm
	exact                         []wildTerm // tail unused

	build *wildBuild // operands being collected; nil once built
}

// wildPullMax is the most edges (or terminals) a piece (or tail) may have
// and still be resolved by checking all of them at each of its reports;
// beyond it, reached nodes register for it instead.
const wildPullMax = 4

type starNode struct {
	parent int32 // -1 for a level-0 node
	edges  int32 // number of children
}

type wildEdge struct{ parent, child, piece int32 }

type wildTerm struct{ node, tail, op int32 }

// wildBuild collects a field's operands until the machine is complete.
type wildBuild struct {
	ops []*wildcard
}

// add registers an operand and returns its id; g is the group of a
// positive wildcard condition, or -1 for an anything-but exclusion.
// Operands are not deduplicated here: positive conditions already are (by
// group), and an operand listed twice shares all its nodes and pieces, only
// its terminal is repeated.
func (w *wildIndex) add(wc *wildcard, g int32) int32 {
	if w.build == nil {
		w.build = &wildBuild{}
	}
	w.build.ops = append(w.build.ops, wc)
	w.opGroup = append(w.opGroup, g)
	return int32(len(w.opGroup) - 1)
}

// finish builds the index from the collected operands.
func (w *wildIndex) finish() {
	ops := w.build.ops
	w.build = nil
	nMid := 0
	for _, wc := range ops {
		nMid += max(len(wc.pieces)-2, 0)
	}
	var (
		pieces  *pieceTrie // interns the middle pieces
		childOf map[[2]int32]int32
		edges   []wildEdge
		terms   = make([]wildTerm, 0, len(ops))
	)
	if nMid > 0 {
		pieces = newPieceTrie(nMid)
		childOf = make(map[[2]int32]int32, nMid)
		edges = make([]wildEdge, 0, nMid)
	}
	w.nodes = make([]starNode, 0, len(ops)+nMid)
	for op, wc := range ops {
		p := wc.pieces
		node := w.heads.find(p[0], false)
		if node < 0 {
			node = int32(len(w.nodes))
			w.nodes = append(w.nodes, starNode{parent: -1})
			w.heads.insert(p[0], false, node)
		}
		if len(p) == 1 {
			w.exact = append(w.exact, wildTerm{node: node, op: int32(op)})
			continue
		}
		for _, mid := range p[1 : len(p)-1] {
			pc := pieces.add(mid)
			child, ok := childOf[[2]int32{node, pc}]
			if !ok {
				child = int32(len(w.nodes))
				childOf[[2]int32{node, pc}] = child
				w.nodes = append(w.nodes, starNode{parent: node})
				w.nodes[node].edges++
				edges = append(edges, wildEdge{node, child, pc})
			}
			node = child
		}
		tail := p[len(p)-1]
		t := w.tails.find(tail, true)
		if t < 0 {
			t = int32(len(w.tailLen))
			w.tails.insert(tail, true, t)
			w.tailLen = append(w.tailLen, int32(len(tail)))
			w.tailDeep = append(w.tailDeep, false)
		}
		if len(p) > 2 {
			w.tailDeep[t] = true
		}
		terms = append(terms, wildTerm{node, t, int32(op)})
	}
	if pieces != nil {
		w.pieceLen = pieces.lens
		w.pieces = pieces.finish()
	}
	npieces, ntails := len(w.pieceLen), len(w.tailLen)

	// Light or heavy: count the edges of each piece and the terminals of
	// each tail.
	w.heavyOf = make([]int32, npieces)
	for _, e := range edges {
		w.heavyOf[e.piece]++
	}
	for p, n := range w.heavyOf {
		w.heavyOf[p] = -1
		if n > wildPullMax {
			w.heavyOf[p] = int32(w.nHeavy)
			w.nHeavy++
		}
	}
	perTail := make([]int32, ntails) // a tail is heavy when > wildPullMax
	for _, t := range terms {
		perTail[t.tail]++
	}

	// Group each list by what it is looked up by.
	heavyEdge := func(e wildEdge) bool { return w.heavyOf[e.piece] >= 0 }
	lightEdge := func(e wildEdge) bool { return w.heavyOf[e.piece] < 0 }
	heavyTerm := func(t wildTerm) bool { return perTail[t.tail] > wildPullMax }
	lightTerm := func(t wildTerm) bool { return perTail[t.tail] <= wildPullMax }
	zeros := make([]int32, max(npieces, ntails, len(w.nodes))+1)
	w.lightAt, w.lightEdges = groupBy(npieces, edges, lightEdge, func(e wildEdge) int32 { return e.piece }, zeros)
	w.heavyAt, w.heavyEdges = groupBy(len(w.nodes), edges, heavyEdge, func(e wildEdge) int32 { return e.parent }, zeros)
	w.termAt, w.lightTerms = groupBy(ntails, terms, lightTerm, func(t wildTerm) int32 { return t.tail }, zeros)
	w.heavyTermAt, w.heavyTerms = groupBy(len(w.nodes), terms, heavyTerm, func(t wildTerm) int32 { return t.node }, zeros)
	w.exactAt, w.exact = groupBy(len(w.nodes), w.exact, nil, func(t wildTerm) int32 { return t.node }, zeros)
}

// groupBy orders the items that keep accepts (all when keep is nil) by
// key, stably, and returns, for each key k < n, the range
// start[k]:start[k+1] of its items. When it keeps nothing it returns
// zeros, which must hold n+1 zeros and is never written.
func groupBy[T any](n int, items []T, keep func(T) bool, key func(T) int32, zeros []int32) (start []int32, out []T) {
	kept := 0
	for _, it := range items {
		if keep == nil || keep(it) {
			kept++
		}
	}
	if kept == 0 {
		return zeros[:n+1], nil
	}
	start = make([]int32, n+1)
	for _, it := range items {
		if keep == nil || keep(it) {
			start[key(it)+1]++
		}
	}
	for k := 1; k <= n; k++ {
		start[k] += start[k-1]
	}
	// Place the items using start[k] as key k's cursor, which leaves it
	// at the start of key k+1; shift back.
	out = make([]T, kept)
	for _, it := range items {
		if keep == nil || keep(it) {
			k := key(it)
			out[start[k]] = it
			start[k]++
		}
	}
	copy(start[1:], start[:n])
	start[0] = 0
	return start, out
}

// appendKey appends an encoding of the operand that differs between
// operands that match differently: each piece with its length, so that
// pieces containing NUL bytes cannot be confused with piece boundaries.
func (w *wildcard) appendKey(b []byte) []byte {
	for _, p := range w.pieces {
		b = strconv.AppendInt(b, int64(len(p)), 10)
		b = append(b, ':')
		b = append(b, p...)
	}
	return b
}
