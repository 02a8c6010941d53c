package api

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/jsonstr"
)

// decodePutEvents is a decoder for PutEvents bodies, the one request on the
// hot path: encoding/json spends most of a PutEvents request's decoding time
// on reflection and its scanner's per-byte calls, and every entry's Detail is
// a long escaped string. It is an optimization only, so it is allowed to
// decline: it returns false for anything it is not sure to decode exactly as
// json.Unmarshal would into the generated wire types, and then *in is
// untouched and the caller decodes with encoding/json. When it returns true,
// *in is exactly what json.Unmarshal(body, in) would have produced into a
// zero *in, and json.Unmarshal would have succeeded (FuzzDecodePutEvents
// holds it to both).
//
// What it decodes: an object (JSON white space around it) with members
// Entries (an array of objects or nulls, or null) and EndpointId (a string or
// null); entries with the string-or-null members Source, DetailType, Detail,
// EventBusName and TraceHeader, Resources (an array of strings or nulls, or
// null) and Time (a number or string, given as is to
// wire.Timestamp.UnmarshalJSON, or null). Members it does not know are
// validated and skipped, as encoding/json skips them. Strings are unescaped
// as encoding/json does it, including its replacement of invalid UTF-8 and
// unpaired surrogate escapes by U+FFFD.
//
// Where it declines, and why encoding/json would differ from the obvious:
//   - A name that matches a member only case-insensitively: encoding/json
//     folds names (with Unicode simple folding, so "ſource" is Source).
//   - Entries or Resources given twice: encoding/json decodes the second
//     array into the first one's elements, merging them, not last-wins.
//   - Any value of the wrong type: encoding/json records an error and goes
//     on; the error is the fallback's to report.
//   - Nesting deeper than maxSkipDepth in a skipped value, and invalid JSON
//     anywhere (json.Unmarshal checks the whole body before decoding).
//
// A member given twice with a string, number or null value is last-wins, as
// in encoding/json (which writes through the same pointer again, or sets it
// to nil for null).
func decodePutEvents(body []byte, in *wire.PutEventsRequest) bool {
	d := peDecoder{b: body}
	var out wire.PutEventsRequest
	if !d.request(&out) {
		return false
	}
	*in = out
	return true
}

// maxSkipDepth bounds the nesting of unknown members the fast path skips;
// deeper ones are left to encoding/json and its own limit.
const maxSkipDepth = 64

// peDecoder reads one body. buf holds the last string read, unescaped.
type peDecoder struct {
	b   []byte
	i   int
	buf []byte
}

// space skips white space. SDK bodies have none, so the check inlines and
// the loop does not.
func (d *peDecoder) space() {
	if d.i < len(d.b) && isSpace(d.b[d.i]) {
		d.skipSpace()
	}
}

func (d *peDecoder) skipSpace() {
	for d.i < len(d.b) && isSpace(d.b[d.i]) {
		d.i++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// peek returns the next byte, or 0 at the end.
func (d *peDecoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// next consumes c if it comes next after white space.
func (d *peDecoder) next(c byte) bool {
	d.space()
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

// object calls member for each member of the object that comes next, with
// the name unescaped (valid until member reads another string) and i at the
// member's value. member must consume the value.
func (d *peDecoder) object(member func(name []byte) bool) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	for {
		d.space()
		if d.peek() != '"' || !d.str() || !d.next(':') {
			return false
		}
		d.space()
		if !member(d.buf) {
			return false
		}
		if d.next(',') {
			continue
		}
		return d.next('}')
	}
}

// array calls elem for each element of the array that comes next, with i at
// the element.
func (d *peDecoder) array(elem func() bool) bool {
	if !d.next('[') {
		return false
	}
	if d.next(']') {
		return true
	}
	for {
		d.space()
		if !elem() {
			return false
		}
		if d.next(',') {
			continue
		}
		return d.next(']')
	}
}

func (d *peDecoder) request(out *wire.PutEventsRequest) bool {
	entries := false
	ok := d.object(func(name []byte) bool {
		switch string(name) {
		case "Entries":
			if entries {
				return false
			}
			entries = true
			if d.null() {
				out.Entries = nil
				return true
			}
			out.Entries = make([]wire.PutEventsRequestEntry, 0, 10)
			return d.array(func() bool {
				out.Entries = append(out.Entries, wire.PutEventsRequestEntry{})
				if d.null() { // a struct is left as it is by null
					return true
				}
				return d.entry(&out.Entries[len(out.Entries)-1])
			})
		case "EndpointId":
			return d.strPtr(&out.EndpointId)
		}
		return d.unknown(name, "Entries", "EndpointId")
	})
	if !ok {
		return false
	}
	d.space()
	return d.i == len(d.b)
}

func (d *peDecoder) entry(e *wire.PutEventsRequestEntry) bool {
	resources := false
	return d.object(func(name []byte) bool {
		switch string(name) {
		case "Source":
			return d.strPtr(&e.Source)
		case "DetailType":
			return d.strPtr(&e.DetailType)
		case "Detail":
			return d.strPtr(&e.Detail)
		case "EventBusName":
			return d.strPtr(&e.EventBusName)
		case "TraceHeader":
			return d.strPtr(&e.TraceHeader)
		case "Time":
			return d.time(&e.Time)
		case "Resources":
			if resources {
				return false
			}
			resources = true
			if d.null() {
				e.Resources = nil
				return true
			}
			e.Resources = []string{}
			return d.array(func() bool {
				if d.null() { // a string is left as it is by null
					e.Resources = append(e.Resources, "")
					return true
				}
				if d.peek() != '"' || !d.str() {
					return false
				}
				e.Resources = append(e.Resources, string(d.buf))
				return true
			})
		}
		return d.unknown(name, "Time", "Source", "Resources", "DetailType", "Detail", "EventBusName", "TraceHeader")
	})
}

// unknown skips the value of a member that is none of members, unless its
// name matches one of them case-insensitively (strings.EqualFold is the
// equivalence encoding/json's name folding implements).
func (d *peDecoder) unknown(name []byte, members ...string) bool {
	for _, m := range members {
		if strings.EqualFold(string(name), m) {
			return false
		}
	}
	return d.skip(0)
}

// null consumes a null that comes next.
func (d *peDecoder) null() bool {
	if d.peek() == 'n' {
		return d.literal("null")
	}
	return false
}

func (d *peDecoder) strPtr(p **string) bool {
	if d.null() {
		*p = nil
		return true
	}
	if d.peek() != '"' || !d.str() {
		return false
	}
	s := string(d.buf)
	*p = &s
	return true
}

// time hands the raw number or string to wire.Timestamp.UnmarshalJSON, as
// encoding/json does.
func (d *peDecoder) time(p **wire.Timestamp) bool {
	if d.null() {
		*p = nil
		return true
	}
	start := d.i
	switch c := d.peek(); {
	case c == '"':
		if !d.str() {
			return false
		}
	case c == '-' || ('0' <= c && c <= '9'):
		if !d.number() {
			return false
		}
	default:
		return false
	}
	var t wire.Timestamp
	if t.UnmarshalJSON(d.b[start:d.i]) != nil {
		return false
	}
	*p = &t
	return true
}

// skip validates and skips the value that comes next.
func (d *peDecoder) skip(depth int) bool {
	if depth > maxSkipDepth {
		return false
	}
	switch c := d.peek(); {
	case c == '"':
		return d.str()
	case c == '{':
		return d.object(func([]byte) bool { return d.skip(depth + 1) })
	case c == '[':
		return d.array(func() bool { return d.skip(depth + 1) })
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return d.number()
	}
	return false
}

// literal consumes lit. Whatever follows it (as in "nullx") is the caller's
// to refuse: only white space and a separator can.
func (d *peDecoder) literal(lit string) bool {
	if len(d.b)-d.i < len(lit) || string(d.b[d.i:d.i+len(lit)]) != lit {
		return false
	}
	d.i += len(lit)
	return true
}

// number consumes -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (d *peDecoder) number() bool {
	b, i := d.b, d.i
	digits := func(i int) int {
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(i + 1)
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return false
		}
		i = j
	}
	d.i = i
	return true
}

// str reads the string that comes next (i at its quote) into buf, unescaped
// as encoding/json's unquote does it, validating it as its scanner does:
// control characters and unknown escapes refused.
func (d *peDecoder) str() bool {
	b := d.b
	buf := d.buf[:0]
	i := d.i + 1
	for {
		// Copy the run of bytes that need no work in one append.
		j := i
		for j < len(b) {
			c := b[j]
			if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
				break
			}
			j++
		}
		buf = append(buf, b[i:j]...)
		if j == len(b) {
			return false
		}
		switch c := b[j]; {
		case c == '"':
			d.i, d.buf = j+1, buf
			return true
		case c == '\\':
			if j+1 == len(b) {
				return false
			}
			i = j + 2
			switch b[j+1] {
			case '"', '\\', '/':
				buf = append(buf, b[j+1])
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r := hex4(b, j)
				if r < 0 {
					return false
				}
				i = j + 6
				if utf16.IsSurrogate(r) {
					// A pair is consumed whole; anything else makes the
					// first half U+FFFD and is read on its own.
					if r2 := hex4(b, i); r2 >= 0 {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							buf = utf8.AppendRune(buf, dec)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return false
			}
		case c < 0x20:
			return false
		default: // not ASCII: invalid UTF-8 becomes U+FFFD, byte by byte
			r, n := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && n == 1 {
				buf = append(buf, "\uFFFD"...)
			} else {
				buf = append(buf, b[j:j+n]...)
			}
			i = j + n
		}
	}
}

// hex4 returns the code of the \uXXXX escape at b[i:], or -1. The digits
// are jsonstr's; the surrogate pairs are joined in str itself rather than
// with jsonstr.Unicode, because with that call in str's loop the fast
// path ran 2.5% more instructions on a PutEvents body without a single
// \u escape (measured with valgrind's instruction count), and this is the
// one decoder on the hot path.
func hex4(b []byte, i int) rune {
	if len(b)-i < 6 || b[i] != '\\' || b[i+1] != 'u' {
		return -1
	}
	r, ok := jsonstr.Hex4(b[i+2:])
	if !ok {
		return -1
	}
	return r
}
