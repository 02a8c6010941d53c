package pattern

import "math"

// leaf is one scalar value of an event, as the scanner found it. Strings
// are decoded; numbers keep their text. The numeric and address views are
// computed on first use, because most fields never need them.
type leaf struct {
	kind byte   // 's' string, 'n' number, 't' true, 'f' false, 'z' null
	raw  []byte // decoded string bytes, number text, or the literal text

	numDone bool
	// cheap conversion for range checks (see fastFloat)
	approxDone, approxPrecise, approxOK bool
	approx                              float64

	exactDone bool
	num       number

	ipDone bool
	ipOK   bool
	ipV4   bool
	ip     [16]byte
}

// number returns the value's float64 view.
func (v *leaf) number() *number {
	if !v.numDone {
		v.numDone = true
		if v.approxDone && v.approxPrecise {
			v.num.f, v.num.ok = v.approx, true
		} else {
			v.num.f, v.num.ok = parseFloat(v.raw)
		}
	}
	return &v.num
}

// exactNumber is number with exact filled in; it avoids parsing numbers
// whose digits already rule out exactness (such as 18-digit coordinates).
func (v *leaf) exactNumber() *number {
	if !v.exactDone {
		v.exactDone = true
		v.num.exact = numberExact(v.raw, func() (float64, bool) {
			n := v.number()
			return n.f, n.ok
		})
		if v.num.exact {
			n := v.number()
			v.num.exact = n.ok
		}
	}
	return &v.num
}

// inRange evaluates a numeric condition, using the cheap conversion unless
// the value is so close to a bound that rounding could matter.
func (v *leaf) inRange(r *numRange) bool {
	if v.numDone {
		return v.num.ok && r.contains(v.num.f)
	}
	if !v.approxDone {
		v.approxDone = true
		v.approx, v.approxPrecise, v.approxOK = fastFloat(v.raw)
	}
	f, precise, ok := v.approx, v.approxPrecise, v.approxOK
	if ok && precise {
		return r.contains(f)
	}
	if ok {
		d := math.Abs(f) * 1e-15
		lo, hi := r.contains(f-d), r.contains(f+d)
		if lo == hi && lo == r.contains(f) {
			return lo
		}
	}
	n := v.number()
	return n.ok && r.contains(n.f)
}

func (v *leaf) addr() bool {
	if !v.ipDone {
		v.ipDone = true
		if v.kind == 's' {
			v.ip, v.ipV4, v.ipOK = parseIP(v.raw)
		}
	}
	return v.ipOK
}

// numbersEqual is exact-value equality of JSON numbers: identical text, or
// the same float64 when both texts are exactly representable.
func numbersEqual(pattern *number, v *leaf) bool {
	if v.kind != 'n' {
		return false
	}
	if string(v.raw) == pattern.text {
		return true
	}
	if !pattern.exact {
		return false
	}
	n := v.exactNumber()
	return n.exact && pattern.f == n.f
}

func hasPrefix(v []byte, p string) bool {
	return len(v) >= len(p) && string(v[:len(p)]) == p
}

func hasSuffix(v []byte, p string) bool {
	return len(v) >= len(p) && string(v[len(v)-len(p):]) == p
}

// matches evaluates one condition against one value. fold is the
// case-folded value (only computed for strings when a folding condition
// needs it; nil otherwise is fine because matches folds on demand).
func (c *cond) matches(v *leaf, fold []byte) bool {
	switch c.kind {
	case cExactString:
		return v.kind == 's' && string(v.raw) == c.s
	case cExactNumber:
		return numbersEqual(&c.num, v)
	case cLiteral:
		return v.kind != 's' && v.kind != 'n' && string(v.raw) == c.s
	case cIPExact, cCIDR:
		return v.kind == 's' && v.addr() && c.ip.contains(v.ip, v.ipV4)
	case cPrefix:
		return v.kind == 's' && hasPrefix(v.raw, c.s)
	case cSuffix:
		return v.kind == 's' && hasSuffix(v.raw, c.s)
	case cEqualsFold, cPrefixFold, cSuffixFold:
		if v.kind != 's' {
			return false
		}
		if fold == nil {
			fold = foldCase(nil, v.raw)
		}
		switch c.kind {
		case cEqualsFold:
			return string(fold) == c.s
		case cPrefixFold:
			return hasPrefix(fold, c.s)
		}
		return hasSuffix(fold, c.s)
	case cWildcard:
		return v.kind == 's' && c.wc.match(v.raw)
	case cNumeric:
		if v.kind != 'n' {
			return false
		}
		return v.inRange(&c.rng)
	case cAnythingBut:
		return c.ab.matches(v, fold)
	case cExists:
		return true
	}
	return false
}
