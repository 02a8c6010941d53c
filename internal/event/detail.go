package event

// The Detail of every accepted entry is validated and compacted here, once
// per event on the PutEvents path. It used to be json.Compact followed by a
// second scan for the nesting depth; this is the same check in one pass over
// the bytes, without the scanner's per-byte state function calls and without
// allocating when the caller brings the destination buffer.
//
// What it accepts is exactly what json.Valid accepts whose top-level value is
// an object, minus anything nested deeper than maxDetailDepth; what it appends
// is exactly json.Compact's output. In particular, as encoding/json does, it
// accepts invalid UTF-8 inside strings and copies it unchanged, and it does
// not check that \u escapes form valid surrogate pairs: those are decoding
// questions, and json.Valid answers only the syntax. FuzzCompactObject holds
// it to that against encoding/json.

// appendCompactObject appends s without insignificant white space to dst if s
// is a JSON object nested no deeper than maxDetailDepth, and reports whether
// it is. On false, dst is returned as it was given (the bytes past its
// length may have been written).
func appendCompactObject(dst []byte, s string) ([]byte, bool) {
	c := compactor{dst: dst, s: s}
	if c.object() {
		return append(c.dst, s[c.from:c.i]...), true
	}
	return dst, false
}

// compactor is one run of appendCompactObject. Bytes are not copied one by
// one: from, the start of the run not yet copied, advances only when white
// space is dropped, so a Detail without white space is copied by one append.
type compactor struct {
	dst  []byte
	s    string
	i    int // next byte to read
	from int // s[from:i] is still to be copied to dst
	// arrays has bit d set when nesting level d+1 is an array rather than
	// an object: the one bit of state per level the grammar needs.
	arrays [(maxDetailDepth + 63) / 64]uint64
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// space skips white space at i, dropping it from the output. It is called
// between every two tokens, and compact input has none: the check inlines,
// the work does not.
func (c *compactor) space() {
	if c.i < len(c.s) && c.s[c.i] <= ' ' {
		c.dropSpace()
	}
}

// dropSpace is space's slow path: the bytes up to ' ' other than white
// space are control characters, which the grammar then refuses. It is not
// inlined so that space is.
//
//go:noinline
func (c *compactor) dropSpace() {
	if !isSpace(c.s[c.i]) {
		return
	}
	c.dst = append(c.dst, c.s[c.from:c.i]...)
	c.i++
	for c.i < len(c.s) && isSpace(c.s[c.i]) {
		c.i++
	}
	c.from = c.i
}

// object runs the grammar with an explicit stack, so that a Detail nested
// 1000 levels deep costs no recursion.
func (c *compactor) object() bool {
	s := c.s
	c.space()
	if c.i == len(s) || s[c.i] != '{' {
		return false
	}
	depth := 0
	// Each iteration reads one value at i (white space already skipped),
	// then the separators after it up to the next value.
	for {
		if c.i == len(s) {
			return false
		}
		switch ch := s[c.i]; {
		case ch == '{' || ch == '[':
			depth++
			if depth > maxDetailDepth {
				return false
			}
			w, bit := (depth-1)/64, uint64(1)<<((depth-1)%64)
			c.i++
			c.space()
			if ch == '[' {
				c.arrays[w] |= bit
				if c.i < len(s) && s[c.i] == ']' {
					c.i++
					depth--
					break
				}
				continue // to the first element
			}
			c.arrays[w] &^= bit
			if c.i < len(s) && s[c.i] == '}' {
				c.i++
				depth--
				break
			}
			if !c.key() {
				return false
			}
			continue // to the first member's value
		case ch == '"':
			if !c.str() {
				return false
			}
		case ch == 't':
			if !c.literal("true") {
				return false
			}
		case ch == 'f':
			if !c.literal("false") {
				return false
			}
		case ch == 'n':
			if !c.literal("null") {
				return false
			}
		case ch == '-' || ('0' <= ch && ch <= '9'):
			if !c.number() {
				return false
			}
		default:
			return false
		}
		// After a value: close as many containers as end here, then expect a
		// comma (and, in an object, the next key) or the end of the input.
		for {
			c.space()
			if depth == 0 {
				return c.i == len(s)
			}
			if c.i == len(s) {
				return false
			}
			inArray := c.arrays[(depth-1)/64]&(1<<((depth-1)%64)) != 0
			ch := s[c.i]
			if ch == ',' {
				c.i++
				c.space()
				if !inArray && !c.key() {
					return false
				}
				break
			}
			if (inArray && ch == ']') || (!inArray && ch == '}') {
				c.i++
				depth--
				continue
			}
			return false
		}
	}
}

// key reads a member name and its colon, leaving i at the member's value.
func (c *compactor) key() bool {
	if c.i == len(c.s) || c.s[c.i] != '"' || !c.str() {
		return false
	}
	c.space()
	if c.i == len(c.s) || c.s[c.i] != ':' {
		return false
	}
	c.i++
	c.space()
	return true
}

// str reads a string at i. Like encoding/json's scanner it refuses control
// characters and unknown escapes and lets every other byte through.
func (c *compactor) str() bool {
	s := c.s
	i := c.i + 1
	for i < len(s) {
		ch := s[i]
		if ch >= 0x20 && ch != '"' && ch != '\\' {
			i++
			continue
		}
		switch ch {
		case '"':
			c.i = i + 1
			return true
		case '\\':
			if i+1 == len(s) {
				return false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(s) || !isHex(s[i+2]) || !isHex(s[i+3]) || !isHex(s[i+4]) || !isHex(s[i+5]) {
					return false
				}
				i += 6
			default:
				return false
			}
		default: // a control character
			return false
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func (c *compactor) literal(lit string) bool {
	if len(c.s)-c.i < len(lit) || c.s[c.i:c.i+len(lit)] != lit {
		return false
	}
	c.i += len(lit)
	return true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. What may
// follow it (a digit after a leading 0, say) is the caller's to refuse.
func (c *compactor) number() bool {
	s, i := c.s, c.i
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i+1)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(s, i)
		if j == i {
			return false
		}
		i = j
	}
	c.i = i
	return true
}

// digits returns the index of the first non-digit at or after i.
func digits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}
