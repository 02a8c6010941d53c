package pattern

// pieceAC is an Aho-Corasick automaton over the middle pieces of a field's
// wildcard operands (the literal runs between two '*'). Reading a value
// byte by byte, it is told after each byte which pieces end there, all of
// them at once, whatever their number: this is what lets one pass over a
// string serve every operand of every rule (see wildIndex).
//
// States are the nodes of the trie of the pieces. Transitions are stored
// sparsely (a sorted label list per state, one dense table for the root,
// where the scan spends most of its time), with failure links: reading a
// byte costs amortized O(1) label lookups, as in the textbook construction,
// and memory stays proportional to the total length of the pieces (a dense
// table per state would cost 1 KB per byte of pattern text).
type pieceAC struct {
	root   *[256]int32 // transitions of state 0; 0 where there is none
	first  []int32     // state s's transitions are labels/next[first[s]:first[s+1]]
	labels []byte
	next   []int32
	fail   []int32 // longest proper suffix of the state's text that is a state
	// report[s] is the first state on s's failure chain (s included) at
	// which a piece ends, or -1; from there report[fail[r]] continues.
	report []int32
	piece  []int32 // piece ending at the state, or -1
}

// pieceTrie collects the pieces into the automaton's trie as they come,
// and numbers them: the state a piece ends at identifies it, so the trie
// is also the table that interns them (no map, no sort).
type pieceTrie struct {
	a     pieceAC
	nodes []tnode // the root's children are in a.root instead
	lens  []int32 // per piece, its length
}

// tnode is a trie state while the trie is built, its children in a list.
type tnode struct {
	child, sibling int32 // first child, next sibling; -1 when none
	label          byte
}

func newPieceTrie(size int) *pieceTrie {
	t := &pieceTrie{a: pieceAC{root: new([256]int32)}}
	t.nodes = make([]tnode, 1, size+1)
	t.nodes[0] = tnode{child: -1, sibling: -1}
	t.a.piece = make([]int32, 1, size+1)
	t.a.piece[0] = -1
	return t
}

// add returns the number of piece p, which must not be empty, adding it
// if it is new.
func (t *pieceTrie) add(p string) int32 {
	a := &t.a
	s := int32(0)
	for i := 0; i < len(p); i++ {
		c := p[i]
		next := int32(-1)
		if s == 0 {
			if r := a.root[c]; r != 0 {
				next = r
			}
		} else {
			for k := t.nodes[s].child; k >= 0; k = t.nodes[k].sibling {
				if t.nodes[k].label == c {
					next = k
					break
				}
			}
		}
		if next < 0 {
			next = int32(len(t.nodes))
			t.nodes = append(t.nodes, tnode{child: -1, sibling: t.nodes[s].child, label: c})
			t.nodes[s].child = next
			a.piece = append(a.piece, -1)
			if s == 0 {
				a.root[c] = next
			}
		}
		s = next
	}
	if a.piece[s] < 0 {
		a.piece[s] = int32(len(t.lens))
		t.lens = append(t.lens, int32(len(p)))
	}
	return a.piece[s]
}

// buildPieceAC builds the automaton of distinct non-empty pieces (the
// compiler rejects "**", so no piece between two stars is empty); piece i
// is reported as i.
func buildPieceAC(pieces []string) pieceAC {
	t := newPieceTrie(0)
	for _, p := range pieces {
		t.add(p)
	}
	return t.finish()
}

// finish flattens the trie and adds the failure links.
func (t *pieceTrie) finish() pieceAC {
	a := t.a
	nodes := t.nodes
	// Flatten the lists, each state's labels sorted for child().
	n := len(nodes)
	a.first = make([]int32, n+1)
	a.labels = make([]byte, n-1)
	a.next = make([]int32, n-1)
	k := int32(0)
	for s := range nodes {
		a.first[s] = k
		for c := nodes[s].child; c >= 0; c = nodes[c].sibling {
			// insertion sort: lists are short except the root's
			j := k
			for ; j > a.first[s] && a.labels[j-1] > nodes[c].label; j-- {
				a.labels[j], a.next[j] = a.labels[j-1], a.next[j-1]
			}
			a.labels[j], a.next[j] = nodes[c].label, c
			k++
		}
	}
	a.first[n] = k
	// Failure links in breadth-first order: a state's link is shorter than
	// the state, so it and its report are known when the state is reached.
	a.fail = make([]int32, n)
	a.report = make([]int32, n)
	a.report[0] = -1
	queue := make([]int32, 0, n)
	queue = append(queue, 0)
	for h := 0; h < len(queue); h++ {
		s := queue[h]
		for k := a.first[s]; k < a.first[s+1]; k++ {
			c := a.next[k]
			if s != 0 {
				a.fail[c] = a.step(a.fail[s], a.labels[k])
			}
			if a.piece[c] >= 0 {
				a.report[c] = c
			} else {
				a.report[c] = a.report[a.fail[c]]
			}
			queue = append(queue, c)
		}
	}
	return a
}

// child returns s's transition on c, or -1.
func (a *pieceAC) child(s int32, c byte) int32 {
	lo, hi := a.first[s], a.first[s+1]
	if hi-lo > 8 {
		for lo < hi { // binary search for the first label >= c
			mid := int32(uint32(lo+hi) >> 1)
			if a.labels[mid] < c {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo < a.first[s+1] && a.labels[lo] == c {
			return a.next[lo]
		}
		return -1
	}
	for k := lo; k < hi; k++ {
		if a.labels[k] == c {
			return a.next[k]
		}
	}
	return -1
}

// step is the automaton's transition: the longest suffix of (text of s)+c
// that is a state.
func (a *pieceAC) step(s int32, c byte) int32 {
	for s != 0 {
		if t := a.child(s, c); t >= 0 {
			return t
		}
		s = a.fail[s]
	}
	return a.root[c]
}
