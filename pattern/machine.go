package pattern

import (
	"bytes"
	"math"
	"sort"
	"strings"
	"sync"
)

// machine is the immutable compiled form of a set of named patterns.
//
// Identical conditions on the same field, across all rules, share one
// group. Scanning an event marks the groups its values satisfy; per-field
// structures keyed by value (maps, byte tries, a sorted numeric index, one
// automaton for all wildcard operands; see fieldIndex) find them at a cost
// that does not grow with the number of rules. Only the conditions that
// have no such key (cidr, anything-but) are tested one by one, once per
// distinct condition.
//
// Each branch (a conjunction) is reached only through its key slot, the
// slot expected to be the most selective; after the scan, the branches of
// the matched key groups check their other slots by looking at group
// stamps. So a rule whose selective field does not match costs nothing,
// however many of its other fields match.
type machine struct {
	nodes    []pathNode // nodes[0] is the event's root object
	fields   []*fieldIndex
	groups   []groupInfo
	branches []branchInfo
	slots    []slotInfo
	always   []int32 // branches with no positive slot: evaluated for every event
	// multi[g] is set when group g belongs to a branch of two or more
	// slots: only then do array positions of its values matter.
	multi []bool
	rules []string
	// wildSizes sizes the scratch of the fields' wildIndexes.
	wildSizes wildSizes
	pool      sync.Pool
	// fullScan disables the early stop of the scan (canStop); tests set
	// it to compare both ways.
	fullScan bool
}

// pathNode is one step of the field paths the patterns use, split at
// dots: the scanner descends only into keys that lead somewhere. A dotted
// event key walks several steps, so {"a.b":1} reaches the same node as
// {"a":{"b":1}}.
type pathNode struct {
	children map[string]int32
	field    int32 // field index, or -1 when only a step towards others

	// keyFilter has the stepHash bits of the child step names, so most
	// unused event keys are rejected without a map lookup. stopFilter has
	// those of this node and of all its ancestors, stopFirst their first
	// bytes, and stopMaxLen is the longest of their names (for canStop).
	keyFilter  [4]uint64
	stopFilter [4]uint64
	stopFirst  [4]uint64 // first bytes of those names ('"' for "")
	stopMaxLen int
}

// mayHave reports whether key may be a child step name of the node.
func (p *pathNode) mayHave(key []byte) bool {
	h := stepHash(key)
	return p.keyFilter[h/64]&(1<<(h%64)) != 0
}

// stepHash buckets a step name for pathNode.keyFilter and stopFilter.
func stepHash(s []byte) uint {
	if len(s) == 0 {
		return 0
	}
	return (uint(len(s))*31 + uint(s[0])*7 + uint(s[len(s)-1])) & 255
}

type groupInfo struct {
	keyOf []int32 // branches whose key slot lists this group
	uses  int     // slots listing this group, for key selection
	cost  int     // how unselective the condition kind is
}

type slotInfo struct {
	groups []int32 // any of them satisfies the slot
}

type branchInfo struct {
	rule   int32
	slots  []int32 // indexes into machine.slots
	key    int32   // index into slots (not into machine.slots)
	absent []int32 // fields that must have no value
}

// compiledRule is the input to buildMachine: one named pattern.
type compiledRule struct {
	name     string
	branches []normBranch
}

// normBranch is a branch with exists:false split out: conds lists the
// positive conditions per path, absent the paths that must be missing.
type normBranch struct {
	paths  []string
	conds  [][]cond
	absent []string
}

// normalize turns parsed branches into normBranches. A field whose list
// mixes exists:false with other conditions is an OR of "absent" and "one of
// the others", which becomes two branches.
func normalize(bs []branch) []normBranch {
	var out []normBranch
	for _, b := range bs {
		paths := make([]string, 0, len(b))
		for p := range b {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		partial := []normBranch{{}}
		for _, p := range paths {
			var pos []cond
			absent := false
			for _, c := range b[p] {
				if c.kind == cAbsent {
					absent = true
				} else {
					pos = append(pos, c)
				}
			}
			var next []normBranch
			for _, nb := range partial {
				if len(pos) > 0 {
					x := nb.clone()
					x.paths = append(x.paths, p)
					x.conds = append(x.conds, pos)
					next = append(next, x)
				}
				if absent {
					x := nb.clone()
					x.absent = append(x.absent, p)
					next = append(next, x)
				}
			}
			partial = next
		}
		out = append(out, partial...)
	}
	return out
}

func (nb normBranch) clone() normBranch {
	return normBranch{
		paths:  append([]string(nil), nb.paths...),
		conds:  append([][]cond(nil), nb.conds...),
		absent: append([]string(nil), nb.absent...),
	}
}

func buildMachine(rules []compiledRule) *machine {
	m := &machine{nodes: []pathNode{{field: -1}}}
	for ri, r := range rules {
		m.rules = append(m.rules, r.name)
		for _, nb := range r.branches {
			b := branchInfo{rule: int32(ri)}
			for _, p := range nb.absent {
				f := m.field(p)
				m.fields[f].watchSeen = true
				b.absent = append(b.absent, f)
			}
			for i, p := range nb.paths {
				f := m.fields[m.field(p)]
				var s slotInfo
				for _, c := range nb.conds[i] {
					g := m.group(f, c)
					if !containsInt32(s.groups, g) {
						s.groups = append(s.groups, g)
						m.groups[g].uses++
					}
				}
				b.slots = append(b.slots, int32(len(m.slots)))
				m.slots = append(m.slots, s)
			}
			m.branches = append(m.branches, b)
		}
	}
	m.multi = make([]bool, len(m.groups))
	for bi := range m.branches {
		b := &m.branches[bi]
		if len(b.slots) > 1 {
			for _, s := range b.slots {
				for _, g := range m.slots[s].groups {
					m.multi[g] = true
				}
			}
		}
		if len(b.slots) == 0 {
			m.always = append(m.always, int32(bi))
			continue
		}
		best, bestScore := 0, math.MaxInt
		for i, s := range b.slots {
			score := 0
			for _, g := range m.slots[s].groups {
				score += m.groups[g].uses * m.groups[g].cost
			}
			if score < bestScore {
				best, bestScore = i, score
			}
		}
		b.key = int32(best)
		for _, g := range m.slots[b.slots[best]].groups {
			m.groups[g].keyOf = append(m.groups[g].keyOf, int32(bi))
		}
	}
	for _, f := range m.fields {
		f.groupOf = nil
		if f.wild != nil {
			if len(f.wild.opGroup) <= wildFewOperands {
				f.unfoldWildcards()
			} else {
				f.wild.finish()
				m.wildSizes.include(f.wild)
			}
		}
		if len(f.ranges) > 0 {
			if f.nums = buildNumIndex(f.ranges); f.nums == nil {
				for _, rt := range f.ranges {
					f.slow = append(f.slow, slowCond{c: cond{kind: cNumeric, rng: rt.r}, g: rt.g})
				}
			}
		}
	}
	// Nodes are created parent first, so one pass in index order
	// accumulates each object node's filter from its ancestors'.
	for n := range m.nodes {
		node := &m.nodes[n]
		for step := range node.children {
			h := stepHash([]byte(step))
			node.keyFilter[h/64] |= 1 << (h % 64)
			node.stopFilter[h/64] |= 1 << (h % 64)
			node.stopMaxLen = max(node.stopMaxLen, len(step))
			first := byte('"')
			if step != "" {
				first = step[0]
			}
			node.stopFirst[first/64] |= 1 << (first % 64)
		}
		for _, c := range node.children {
			child := &m.nodes[c]
			for k := range child.stopFilter {
				child.stopFilter[k] |= node.stopFilter[k]
				child.stopFirst[k] |= node.stopFirst[k]
			}
			child.stopMaxLen = max(child.stopMaxLen, node.stopMaxLen)
		}
	}
	m.pool.New = func() any { return newState(m) }
	return m
}

func containsInt32(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// field returns the field index for a dotted path, creating it and the
// path's nodes.
func (m *machine) field(path string) int32 {
	if len(m.nodes) == 0 {
		m.nodes = append(m.nodes, pathNode{field: -1})
	}
	n := int32(0)
	for _, step := range strings.Split(path, ".") {
		next, ok := m.nodes[n].children[step]
		if !ok {
			next = int32(len(m.nodes))
			m.nodes = append(m.nodes, pathNode{field: -1})
			if m.nodes[n].children == nil {
				m.nodes[n].children = map[string]int32{}
			}
			m.nodes[n].children[step] = next
		}
		n = next
	}
	if f := m.nodes[n].field; f >= 0 {
		return f
	}
	id := int32(len(m.fields))
	m.fields = append(m.fields, &fieldIndex{exists: -1, groupOf: map[string]int32{}})
	m.nodes[n].field = id
	return id
}

// child finds the node an event key leads to from node n.
func (m *machine) child(n int32, key []byte) (int32, bool) {
	if bytes.IndexByte(key, '.') < 0 {
		node := &m.nodes[n]
		if !node.mayHave(key) {
			return 0, false
		}
		c, ok := node.children[string(key)]
		return c, ok
	}
	for {
		node := &m.nodes[n]
		i := bytes.IndexByte(key, '.')
		if i < 0 {
			if !node.mayHave(key) {
				return 0, false
			}
			c, ok := node.children[string(key)]
			return c, ok
		}
		if !node.mayHave(key[:i]) {
			return 0, false
		}
		c, ok := node.children[string(key[:i])]
		if !ok {
			return 0, false
		}
		n, key = c, key[i+1:]
	}
}
