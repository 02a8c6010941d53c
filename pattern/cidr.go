package pattern

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
)

// ipRange is an inclusive range of addresses of one family, compared as
// 16-byte big-endian values (IPv4 occupies the first 4 bytes).
type ipRange struct {
	v4     bool
	lo, hi [16]byte
}

func (r *ipRange) contains(a [16]byte, v4 bool) bool {
	return v4 == r.v4 && bytes.Compare(a[:], r.lo[:]) >= 0 && bytes.Compare(a[:], r.hi[:]) <= 0
}

// parseIP accepts what Event Ruler accepts as an address literal: four
// dot-separated decimal numbers, or text made of hex digits and colons with
// at least one colon that parses as IPv6. Anything else is not an address.
func parseIP(s []byte) (a [16]byte, v4, ok bool) {
	if len(s) == 0 || len(s) > 45 {
		return a, false, false
	}
	if bytes.IndexByte(s, ':') < 0 {
		part, dots := 0, 0
		digits := 0
		for _, c := range s {
			switch {
			case c >= '0' && c <= '9':
				part = part*10 + int(c-'0')
				digits++
				if part > 255 {
					return a, false, false
				}
			case c == '.':
				if digits == 0 || dots == 3 {
					return a, false, false
				}
				a[dots] = byte(part)
				dots++
				part, digits = 0, 0
			default:
				return a, false, false
			}
		}
		if dots != 3 || digits == 0 {
			return a, false, false
		}
		a[3] = byte(part)
		return a, true, true
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':') {
			return a, false, false
		}
	}
	addr, err := netip.ParseAddr(string(s))
	if err != nil || !addr.Is6() {
		return a, false, false
	}
	return addr.As16(), false, true
}

// looksLikeIP mirrors Event Ruler's regular expressions that decide whether
// text is offered to the address parser at all.
func looksLikeIP(s string) bool {
	if strings.IndexByte(s, ':') >= 0 {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':') {
				return false
			}
		}
		return true
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	return true
}

// parseCIDR compiles a "cidr" operand with Event Ruler's checks and
// messages. Host bits below the mask are ignored: the range always starts at
// the network address.
func parseCIDR(s string) ipRange {
	// Java's String.split drops trailing empty strings, so "a/" has one part.
	parts := strings.Split(s, "/")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) != 2 {
		fail("Malformed CIDR, one '/' required")
	}
	bits, err := strconv.ParseInt(parts[1], 10, 32)
	if err != nil {
		fail("Malformed CIDR, mask bits must be an integer")
	}
	if bits < 0 {
		fail("Malformed CIDR, mask bits must not be negative")
	}
	var a [16]byte
	var v4, ok bool
	if looksLikeIP(parts[0]) {
		a, v4, ok = parseIP([]byte(parts[0]))
		if !ok {
			fail("Invalid IP address: " + parts[0])
		}
	} else {
		fail("Nonstandard IP address: " + parts[0])
	}
	width := 128
	if v4 {
		width = 32
		if bits > 31 {
			fail("IPv4 mask bits must be < 32")
		}
	} else if bits > 127 {
		fail("IPv6 mask bits must be < 128")
	}
	r := ipRange{v4: v4, lo: a, hi: a}
	for i := int(bits); i < width; i++ {
		byteI, bit := i/8, byte(0x80>>(i%8))
		r.lo[byteI] &^= bit
		r.hi[byteI] |= bit
	}
	return r
}
