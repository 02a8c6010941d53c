package pattern

import (
	"math"
	"slices"
)

// numIndex answers all "numeric" conditions of one field with one binary
// search: the distinct range bounds cut the number line into points and
// open segments, and each carries the targets of the ranges covering it.
// Cost per value is O(log bounds) whatever the number of rules.
type numIndex struct {
	bounds []float64 // sorted, distinct
	segs   [][]int32 // 2*len(bounds)+1: segment 2i is below bounds[i], 2i+1 is bounds[i]
}

// maxNumIndexEntries bounds the index size, which is quadratic when many
// ranges overlap; beyond it the field keeps evaluating ranges one by one.
const maxNumIndexEntries = 1 << 20

type rangeTarget struct {
	r numRange
	g int32
}

func buildNumIndex(rs []rangeTarget) *numIndex {
	var bounds []float64
	for _, rt := range rs {
		for _, b := range []float64{rt.r.lo, rt.r.hi} {
			if !math.IsInf(b, 0) {
				bounds = append(bounds, b)
			}
		}
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	ix := &numIndex{bounds: bounds, segs: make([][]int32, 2*len(bounds)+1)}
	entries := 0
	for _, rt := range rs {
		for k := range ix.segs {
			if rt.r.contains(ix.representative(k)) {
				ix.segs[k] = append(ix.segs[k], rt.g)
				entries++
				if entries > maxNumIndexEntries {
					return nil
				}
			}
		}
	}
	return ix
}

// representative is a float inside segment k (for an empty open segment,
// one of its ends, which no value can then reach through lookup anyway).
func (ix *numIndex) representative(k int) float64 {
	i := k / 2
	if k%2 == 1 {
		return ix.bounds[i]
	}
	if i == len(ix.bounds) {
		if i == 0 {
			return 0
		}
		return math.Nextafter(ix.bounds[i-1], math.Inf(1))
	}
	return math.Nextafter(ix.bounds[i], math.Inf(-1))
}

// segment returns the index of the segment holding f, and whether f is so
// close to a bound that an approximate f could be on the wrong side.
func (ix *numIndex) segment(f float64) (k int, near bool) {
	i, j := 0, len(ix.bounds) // first bound >= f
	for i < j {
		h := int(uint(i+j) >> 1)
		if ix.bounds[h] < f {
			i = h + 1
		} else {
			j = h
		}
	}
	eps := math.Abs(f) * 1e-15
	if i < len(ix.bounds) && ix.bounds[i]-f <= eps || i > 0 && f-ix.bounds[i-1] <= eps {
		near = true
	}
	if i < len(ix.bounds) && ix.bounds[i] == f {
		return 2*i + 1, near
	}
	return 2 * i, near
}

func (ix *numIndex) match(v *leaf, st *state) {
	var f float64
	if v.numDone {
		if !v.num.ok {
			return
		}
		f = v.num.f
	} else {
		if !v.approxDone {
			v.approxDone = true
			v.approx, v.approxPrecise, v.approxOK = fastFloat(v.raw)
		}
		f = v.approx
		if !v.approxOK {
			n := v.number()
			if !n.ok {
				return
			}
			f = n.f
		}
	}
	k, near := ix.segment(f)
	if near && !v.approxPrecise && !v.numDone {
		n := v.number()
		if !n.ok {
			return
		}
		k, _ = ix.segment(n.f)
	}
	for _, g := range ix.segs[k] {
		st.emit(g)
	}
}
