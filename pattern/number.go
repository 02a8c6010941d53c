package pattern

import (
	"encoding/binary"
	"math"
	"strconv"
	"unsafe"
)

// A JSON number is matched two ways, as EventBridge does: by its literal
// text, and by value. Value equality is only trusted when the decimal text
// names exactly the number float64 holds in shortest form (so 300, 3.0e2
// and 300.000 are the same number, while an account id with more digits
// than float64 keeps stays a piece of text). Ranges ("numeric") compare the
// float64 value of any finite number, like Event Ruler's ComparableNumber,
// which covers the full double range.

// parseFloat is strconv.ParseFloat without copying b into a string: the
// string only lives for the call, and b is not modified meanwhile. This is
// the one use of unsafe in the package; it removes an allocation per number
// on the hot path (ParseFloat's argument escapes through its error value).
func parseFloat(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	if f == 0 {
		f = 0 // fold -0 into +0 so map keys agree
	}
	return f, true
}

// numberValue parses JSON number text. ok is false when the text overflows
// float64; exact reports whether value equality is meaningful for it.
func numberValue(text []byte) (f float64, exact, ok bool) {
	f, ok = parseFloat(text)
	if !ok {
		return 0, false, false
	}
	return f, numberExact(text, func() (float64, bool) { return f, true }), true
}

// numberExact reports whether text denotes exactly the value of the
// shortest decimal form of its float64 value; parse is called only when the
// digits alone cannot decide.
func numberExact(text []byte, parse func() (float64, bool)) bool {
	d := parseDecimal(text)
	switch {
	case d.n == 0:
		return true // zero
	case d.over || d.n > 17:
		return false // shortest forms never need more than 17 digits
	case d.n <= 15 && d.exp > -290 && d.exp < 300:
		// Any decimal of at most 15 significant digits survives a round
		// trip through a normal float64, so it is its own shortest form.
		return true
	}
	f, ok := parse()
	if !ok {
		return false
	}
	var buf [32]byte
	short := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	return sameDecimal(&d, short)
}

// decimal is a number in the form 0.DIGITS x 10^exp with no leading or
// trailing zero digits; zero has no digits.
type decimal struct {
	neg    bool
	digits [24]byte
	n      int
	exp    int
	over   bool // more significant digits than fit
}

func parseDecimal(t []byte) (d decimal) {
	i := 0
	if i < len(t) && (t[i] == '-' || t[i] == '+') {
		d.neg = t[i] == '-'
		i++
	}
	pointSeen := false
	intDigits := 0
	leading := true
	zeros := 0 // pending zero digits, kept only if a nonzero digit follows
	for ; i < len(t); i++ {
		c := t[i]
		if c == '.' {
			pointSeen = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		if leading && c == '0' {
			if pointSeen {
				intDigits--
			}
			continue
		}
		leading = false
		if !pointSeen {
			intDigits++
		}
		if c == '0' {
			zeros++
			continue
		}
		for ; zeros > 0; zeros-- {
			d.push('0')
		}
		d.push(c)
	}
	exp := 0
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		sign := 1
		if i < len(t) && (t[i] == '-' || t[i] == '+') {
			if t[i] == '-' {
				sign = -1
			}
			i++
		}
		for ; i < len(t); i++ {
			if exp < 100000 {
				exp = exp*10 + int(t[i]-'0')
			}
		}
		exp *= sign
	}
	if d.n == 0 && !d.over {
		d.neg = false
		return d
	}
	d.exp = intDigits + exp
	return d
}

func (d *decimal) push(c byte) {
	if d.n < len(d.digits) {
		d.digits[d.n] = c
		d.n++
	} else {
		d.over = true
	}
}

// sameDecimal reports whether x and the decimal text b denote the same value.
func sameDecimal(x *decimal, b []byte) bool {
	y := parseDecimal(b)
	if x.over || y.over || x.neg != y.neg || x.n != y.n {
		return false
	}
	if x.n == 0 {
		return true
	}
	return x.exp == y.exp && string(x.digits[:x.n]) == string(y.digits[:y.n])
}

// eightDigits reports whether all eight bytes of x are ASCII digits.
func eightDigits(x uint64) bool {
	return (x&0xF0F0F0F0F0F0F0F0)|(((x+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) == 0x3333333333333333
}

// parseEight converts eight ASCII digits (first digit in the low byte) to
// their value with three multiplications instead of eight.
func parseEight(x uint64) uint64 {
	x -= 0x3030303030303030
	x = x*10 + x>>8 // pairs
	x = ((x&0x000000FF000000FF)*(100+(1000000<<32)) + ((x>>16)&0x000000FF000000FF)*(1+(10000<<32))) >> 32
	return x
}

// pow10 holds the powers of ten float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat converts JSON number text cheaply for range comparisons. When
// precise is true, f is the correctly rounded value (Clinger's fast path:
// mantissa below 2^53 and a power of ten float64 holds exactly); otherwise
// f is within a few units in the last place of it, and callers that land
// near a range bound must fall back to parseFloat. ok is false when the
// fast path cannot say anything (very large exponents).
func fastFloat(t []byte) (f float64, precise, ok bool) {
	_, f, precise, ok, _ = scanFloat(t, 0)
	return f, precise, ok
}

// scanFloat checks JSON number syntax at t[i] and converts it like
// fastFloat in the same pass; valid is false for malformed numbers.
func scanFloat(t []byte, i int) (end int, f float64, precise, ok, valid bool) {
	neg := false
	if i < len(t) && t[i] == '-' {
		neg = true
		i++
	}
	var m uint64
	digits, exp := 0, 0 // significant digits kept in m; decimal exponent
	start := i
	for ; i < len(t); i++ {
		c := t[i] - '0'
		if c > 9 {
			break
		}
		if digits < 19 {
			m = m*10 + uint64(c)
			if m != 0 {
				digits++
			}
		} else {
			exp++
		}
	}
	if i == start || t[start] == '0' && i-start > 1 {
		return 0, 0, false, false, false
	}
	if i < len(t) && t[i] == '.' {
		i++
		fstart := i
		for i < len(t) {
			// Long fractions (coordinates, prices) go eight digits at a
			// time once the first significant digit is in, so that the
			// digit count stays exact.
			if m != 0 && digits <= 11 && i+8 <= len(t) {
				if x := binary.LittleEndian.Uint64(t[i:]); eightDigits(x) {
					m = m*100000000 + parseEight(x)
					digits += 8
					exp -= 8
					i += 8
					continue
				}
			}
			c := t[i] - '0'
			if c > 9 {
				break
			}
			if digits < 19 {
				m = m*10 + uint64(c)
				if m != 0 {
					digits++
				}
				exp--
			}
			i++
		}
		if i == fstart {
			return 0, 0, false, false, false
		}
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		sign := 1
		if i < len(t) && (t[i] == '-' || t[i] == '+') {
			if t[i] == '-' {
				sign = -1
			}
			i++
		}
		estart := i
		e := 0
		for ; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
			if e < 10000 {
				e = e*10 + int(t[i]-'0')
			}
		}
		if i == estart {
			return 0, 0, false, false, false
		}
		exp += sign * e
	}
	if m == 0 {
		return i, 0, true, true, true
	}
	precise = m < 1<<53 && digits < 19
	switch {
	case exp == 0:
		f = float64(m)
	case exp > 0 && exp <= 22:
		f = float64(m) * pow10[exp]
	case exp < 0 && exp >= -22:
		f = float64(m) / pow10[-exp]
	default:
		return i, 0, false, false, true
	}
	if neg {
		f = -f
	}
	return i, f, precise, true, true
}
