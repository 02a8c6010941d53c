package pattern

import (
	"encoding/binary"
	"math"
	"strconv"
)

// fieldIndex holds every condition of all rules on one field, in
// structures keyed by value, so that matching a value costs about the
// same whatever the number of rules: maps for exact values, byte tries for
// prefixes and suffixes, a sorted index of numeric ranges, and one shared
// automaton for all wildcard operands (wildIndex). Only cidr, anything-but
// and numeric ranges the index cannot hold are checked one by one (slow).
type fieldIndex struct {
	exact    map[string]int32
	numValue map[uint64]int32 // exactly representable numbers, by float64 bits
	numText  map[string]int32 // other numbers, by text
	lits     map[string]int32 // true, false, null
	ips      map[[17]byte]int32
	prefix   trie
	suffix   trie // over reversed bytes
	foldEq   map[string]int32
	foldPre  trie
	foldSuf  trie // over reversed bytes
	exists   int32
	slow     []slowCond
	wild     *wildIndex    // wildcard operands, and anything-but's
	ranges   []rangeTarget // numeric conditions, indexed by nums when possible
	nums     *numIndex

	needFold  bool
	hasIP     bool
	watchSeen bool // some branch requires this field to be absent
	groupOf   map[string]int32
}

type slowCond struct {
	c cond
	g int32
	// wild lists the operand ids, in the field's wildIndex, of an
	// anything-but's wildcard exclusions; the walk of the value decides
	// them all at once.
	wild []int32
}

func ipKey(a [16]byte, v4 bool) (k [17]byte) {
	copy(k[:16], a[:])
	if v4 {
		k[16] = 1
	}
	return k
}

// group returns the group of condition c on field f, adding c to the
// field's structures the first time it is seen.
func (m *machine) group(f *fieldIndex, c cond) int32 {
	key := c.key()
	if g, ok := f.groupOf[key]; ok {
		return g
	}
	g := int32(len(m.groups))
	f.groupOf[key] = g
	m.groups = append(m.groups, groupInfo{cost: c.cost()})
	put := func(mp *map[string]int32, k string) {
		if *mp == nil {
			*mp = map[string]int32{}
		}
		(*mp)[k] = g
	}
	switch c.kind {
	case cExactString:
		put(&f.exact, c.s)
	case cExactNumber:
		if c.num.exact {
			if f.numValue == nil {
				f.numValue = map[uint64]int32{}
			}
			f.numValue[math.Float64bits(c.num.f)] = g
		} else {
			put(&f.numText, c.num.text)
		}
	case cLiteral:
		put(&f.lits, c.s)
	case cIPExact:
		if f.ips == nil {
			f.ips = map[[17]byte]int32{}
		}
		f.ips[ipKey(c.ip.lo, c.ip.v4)] = g
		f.hasIP = true
	case cPrefix:
		f.prefix.insert(c.s, false, g)
	case cSuffix:
		f.suffix.insert(c.s, true, g)
	case cEqualsFold:
		put(&f.foldEq, c.s)
		f.needFold = true
	case cPrefixFold:
		f.foldPre.insert(c.s, false, g)
		f.needFold = true
	case cSuffixFold:
		f.foldSuf.insert(c.s, true, g)
		f.needFold = true
	case cExists:
		f.exists = g
	case cNumeric:
		f.ranges = append(f.ranges, rangeTarget{c.rng, g})
	case cWildcard:
		f.wildcards().add(c.wc, g)
	default:
		sc := slowCond{c: c, g: g}
		if c.kind == cAnythingBut {
			if len(c.ab.folds) > 0 {
				f.needFold = true
			}
			for i := range c.ab.wcs {
				sc.wild = append(sc.wild, f.wildcards().add(&c.ab.wcs[i], -1))
			}
		}
		f.slow = append(f.slow, sc)
	}
	return g
}

// key identifies a condition's meaning, so equal conditions share a group.
func (c *cond) key() string {
	var b []byte
	b = append(b, byte(c.kind))
	switch c.kind {
	case cExactString, cLiteral, cPrefix, cSuffix, cEqualsFold, cPrefixFold, cSuffixFold:
		b = append(b, c.s...)
	case cExactNumber:
		if c.num.exact {
			b = binary.LittleEndian.AppendUint64(append(b, 'v'), math.Float64bits(c.num.f))
		} else {
			b = append(append(b, 't'), c.num.text...)
		}
	case cIPExact, cCIDR:
		b = append(append(b, c.ip.lo[:]...), c.ip.hi[:]...)
		if c.ip.v4 {
			b = append(b, 4)
		}
	case cWildcard:
		b = c.wc.appendKey(b)
	case cNumeric:
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.rng.lo))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.rng.hi))
		b = strconv.AppendBool(strconv.AppendBool(b, c.rng.loOpen), c.rng.hiOpen)
	case cAnythingBut:
		b = append(b, c.ab.key()...)
	}
	return string(b)
}

// cost ranks condition kinds by how many values they typically accept,
// for choosing a branch's key slot.
func (c *cond) cost() int {
	switch c.kind {
	case cExactString, cExactNumber, cLiteral, cIPExact, cEqualsFold:
		return 1
	case cPrefix, cSuffix, cPrefixFold, cSuffixFold:
		return 4
	case cWildcard, cNumeric, cCIDR:
		return 16
	}
	return 256 // anything-but, exists
}

// match marks the groups v satisfies.
func (f *fieldIndex) match(v *leaf, st *state) {
	if f.exists >= 0 {
		st.emit(f.exists)
	}
	switch v.kind {
	case 's':
		if f.exact != nil {
			if g, ok := f.exact[string(v.raw)]; ok {
				st.emit(g)
			}
		}
		f.prefix.walk(v.raw, false, st)
		f.suffix.walk(v.raw, true, st)
		if f.hasIP && v.addr() {
			if g, ok := f.ips[ipKey(v.ip, v.ipV4)]; ok {
				st.emit(g)
			}
		}
		if f.needFold {
			st.fold = foldCase(st.fold[:0], v.raw)
			if f.foldEq != nil {
				if g, ok := f.foldEq[string(st.fold)]; ok {
					st.emit(g)
				}
			}
			f.foldPre.walk(st.fold, false, st)
			f.foldSuf.walk(st.fold, true, st)
		}
	case 'n':
		if f.nums != nil {
			f.nums.match(v, st)
		}
		if f.numText != nil {
			if g, ok := f.numText[string(v.raw)]; ok {
				st.emit(g)
			}
		}
		if f.numValue != nil {
			// Look the value up first: exactness is costly to decide for
			// 16- and 17-digit texts and only matters on a hit.
			if n := v.number(); n.ok {
				if g, ok := f.numValue[math.Float64bits(n.f)]; ok && v.exactNumber().exact {
					st.emit(g)
				}
			}
		}
	default:
		if f.lits != nil {
			if g, ok := f.lits[string(v.raw)]; ok {
				st.emit(g)
			}
		}
	}
	var fold []byte
	if v.kind == 's' {
		if f.needFold {
			fold = st.fold
		}
		if f.wild != nil {
			f.wild.match(v.raw, st)
		}
	}
	for i := range f.slow {
		sc := &f.slow[i]
		var ok bool
		if sc.wild != nil {
			ok = sc.c.ab.matchesBesidesWildcards(v, fold) && (v.kind != 's' || !st.wild.anyHit(sc.wild))
		} else {
			ok = sc.c.matches(v, fold)
		}
		if ok {
			st.emit(sc.g)
		}
	}
}

// wildFewOperands is the number of wildcard operands of a field (counting
// anything-but's) up to which they are checked one by one, as conditions
// of f.slow, instead of through a wildIndex: the index has a fixed cost per
// value (walking heads and tails, its scratch) that a few direct checks,
// most of which reject a value by its first or last bytes, do not have.
// The direct checks cost at most wildFewOperands searches through the
// value per value, each linear in its length.
const wildFewOperands = 4

// unfoldWildcards turns the operands collected for the field's wildIndex
// back into one-by-one checks (see wildFewOperands).
func (f *fieldIndex) unfoldWildcards() {
	w := f.wild
	f.wild = nil
	for i := range f.slow {
		f.slow[i].wild = nil // anything-but checks its own wildcards
	}
	for op, g := range w.opGroup {
		if g >= 0 {
			f.slow = append(f.slow, slowCond{c: cond{kind: cWildcard, wc: w.build.ops[op]}, g: g})
		}
	}
}

// wildcards returns the field's wildIndex, creating it.
func (f *fieldIndex) wildcards() *wildIndex {
	if f.wild == nil {
		f.wild = &wildIndex{}
	}
	return f.wild
}
