package pattern

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
	"unicode/utf8"

	"github.com/switchyard-dev/switchyard/internal/jsonstr"
)

// The event scanner makes one pass over the event bytes. It looks each
// key up among the paths the patterns use, step by step from the object
// it is in; values under any other path are skipped with a loop that only
// tracks strings and bracket depth. Dotted paths make {"a":{"b":1}} and
// {"a.b":1} the same field, as in EventBridge. In front of a container no
// rule looks at, the scan ends early when no later key can reach a used
// path (canStop), leaving the rest of the event unread.

// Errors of Match for events that cannot be matched. EventBridge answers
// both with ValidationException "Parameter Event is not valid." in
// TestEventPattern.
var (
	ErrNotObject = errors.New("pattern: event is not a JSON object")
	ErrSyntax    = errors.New("pattern: event is not valid JSON")
)

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func skipSpace(ev []byte, i int) int {
	for i < len(ev) && isSpace(ev[i]) {
		i++
	}
	return i
}

// scan matches one event, leaving results in st's stamps.
func (st *state) scan(ev []byte) error {
	i := skipSpace(ev, 0)
	if i >= len(ev) || ev[i] != '{' {
		if i < len(ev) && (ev[i] == '[' || ev[i] == '"' || ev[i] == '-' || ev[i] >= '0' && ev[i] <= '9' || ev[i] == 't' || ev[i] == 'f' || ev[i] == 'n') {
			return ErrNotObject
		}
		return ErrSyntax
	}
	i, err := st.object(ev, i, 0)
	if err != nil {
		return err
	}
	if !st.stopped && skipSpace(ev, i) != len(ev) {
		return ErrSyntax
	}
	return nil
}

// object scans the object at ev[i] == '{' found at path node n.
func (st *state) object(ev []byte, i int, n int32) (int, error) {
	st.chain = append(st.chain, n)
	st.objSeq++
	if st.objSeq == 0 { // wrapped: old stamps could collide, clear them
		clear(st.nodeObj)
		st.objSeq = 1
	}
	obj := st.objSeq
	// Steps of n seen as keys of this object: the scan tries to stop only
	// once it has seen them all, as otherwise a key still to come makes
	// the attempt fail, and an attempt costs a pass over the rest.
	seen, all := 0, len(st.m.nodes[n].children)
	i = skipSpace(ev, i+1)
	if i < len(ev) && ev[i] == '}' {
		st.chain = st.chain[:len(st.chain)-1]
		return i + 1, nil
	}
	for {
		if i >= len(ev) || ev[i] != '"' {
			return 0, ErrSyntax
		}
		// Keys without escapes are looked up in place.
		var key []byte
		start := i + 1
		end := bytes.IndexByte(ev[start:], '"')
		if end >= 0 && bytes.IndexByte(ev[start:start+end], '\\') < 0 {
			key = ev[start : start+end]
			i = start + end + 1
		} else {
			var err error
			st.key, i, err = appendString(st.key[:0], ev, i)
			if err != nil {
				return 0, err
			}
			key = st.key
		}
		i = skipSpace(ev, i)
		if i >= len(ev) || ev[i] != ':' {
			return 0, ErrSyntax
		}
		i = skipSpace(ev, i+1)
		if i >= len(ev) {
			return 0, ErrSyntax
		}
		var err error
		if c, ok := st.m.child(n, key); ok {
			if st.nodeObj[c] != obj && bytes.IndexByte(key, '.') < 0 {
				st.nodeObj[c] = obj
				seen++
			}
			i, err = st.value(ev, i, c)
			if st.stopped {
				return i, nil
			}
		} else {
			// Stepping over a container is what costs: stop in front of
			// it when nothing from here on can change a result.
			if (ev[i] == '{' || ev[i] == '[') && seen == all && len(st.arr) == 0 && !st.m.fullScan && st.canStop(ev, i) {
				st.stopped = true
				return len(ev), nil
			}
			i, err = skipValue(ev, i)
		}
		if err != nil {
			return 0, err
		}
		i = skipSpace(ev, i)
		if i >= len(ev) {
			return 0, ErrSyntax
		}
		switch ev[i] {
		case ',':
			i = skipSpace(ev, i+1)
		case '}':
			st.chain = st.chain[:len(st.chain)-1]
			return i + 1, nil
		default:
			return 0, ErrSyntax
		}
	}
}

// canStop reports whether nothing in ev[i:] can change any rule's result,
// so that the scan may end at i without reading the rest. It is asked in
// front of a container value that no rule looks at (stepping over it is
// what costs), in an object where every step the patterns use at its node
// has been seen, outside all arrays being scanned (a later element of such
// an array is another value of a used path). The rest of the event can
// then reach a used path only through a later key of one of the objects
// being scanned (st.chain): a used step name itself (a duplicate key or a
// key not seen yet), or a dotted spelling whose first step is one
// ({"a.b":...} is the path a.b). Every such key starts with a quote
// followed by that first step up to a '"' or '.'. So the scan stops only
// when no quote in ev[i:] is followed by a child step name of any object
// on the chain. Quotes inside strings and inside the values that would be
// skipped are tested too, which can only prevent a stop; a backslash
// before the end of a candidate name prevents it, since an escaped key
// could spell a used step. Absent fields (exists:false, anything-but on a
// missing field), array consistency and duplicate keys are thus decided
// exactly as by a full scan; only the syntax of ev[i:] goes unchecked.
//
// The test is a search for quotes over the rest (memchr speed where they
// are sparse) plus a byte or a few per quote. A blocking quote is
// remembered, so attempts before passing it cost nothing: each byte is
// tested at most once per scan.
func (st *state) canStop(ev []byte, i int) bool {
	if i <= st.blockAt {
		return false
	}
	m := st.m
	top := &m.nodes[st.chain[len(st.chain)-1]]
	maxLen := top.stopMaxLen
	for j := i; j < len(ev); {
		q := nextQuote(ev, j)
		if q < 0 {
			return true
		}
		j = q + 1
		if j >= len(ev) {
			return true
		}
		// Most quotes end a string or start one no step name starts like.
		switch c := ev[j]; {
		case c == '\\':
			st.blockAt = q
			return false
		case c == '.':
			c = '"' // an empty first step, as in ".a"
			fallthrough
		default:
			if top.stopFirst[c/64]&(1<<(c%64)) == 0 {
				continue
			}
		}
		k := j
		for k < len(ev) && k-j <= maxLen {
			c := ev[k]
			if c == '"' || c == '.' || c == '\\' {
				break
			}
			k++
		}
		if k >= len(ev) || k-j > maxLen {
			continue // too long for a step name, or unterminated
		}
		if ev[k] == '\\' {
			st.blockAt = q
			return false
		}
		tok := ev[j:k]
		h := stepHash(tok)
		if top.stopFilter[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		for _, n := range st.chain {
			if _, ok := m.nodes[n].children[string(tok)]; ok {
				st.blockAt = q
				return false
			}
		}
	}
	return true
}

func (st *state) value(ev []byte, i int, n int32) (int, error) {
	node := &st.m.nodes[n]
	switch ev[i] {
	case '{':
		if node.children != nil {
			return st.object(ev, i, n)
		}
		return skipValue(ev, i)
	case '[':
		return st.array(ev, i, n)
	}
	if node.field < 0 {
		return skipValue(ev, i)
	}
	return st.scalar(ev, i, node.field)
}

func (st *state) array(ev []byte, i int, n int32) (int, error) {
	st.arr = append(st.arr, arrElem{id: st.nextID})
	st.nextID++
	depth := len(st.arr) - 1
	i = skipSpace(ev, i+1)
	if i < len(ev) && ev[i] == ']' {
		st.arr = st.arr[:depth]
		return i + 1, nil
	}
	for {
		if i >= len(ev) {
			return 0, ErrSyntax
		}
		var err error
		i, err = st.value(ev, i, n)
		if err != nil {
			return 0, err
		}
		i = skipSpace(ev, i)
		if i >= len(ev) {
			return 0, ErrSyntax
		}
		switch ev[i] {
		case ',':
			st.arr[depth].idx++
			i = skipSpace(ev, i+1)
		case ']':
			st.arr = st.arr[:depth]
			return i + 1, nil
		default:
			return 0, ErrSyntax
		}
	}
}

// scalar reads a string, number or literal at a field path and matches it.
func (st *state) scalar(ev []byte, i int, field int32) (int, error) {
	v := &st.leaf
	v.numDone, v.exactDone, v.ipDone, v.approxDone = false, false, false, false
	var err error
	switch c := ev[i]; {
	case c == '"':
		start := i + 1
		end := bytes.IndexByte(ev[start:], '"')
		if end >= 0 && bytes.IndexByte(ev[start:start+end], '\\') < 0 {
			v.raw = ev[start : start+end]
			i = start + end + 1
		} else {
			st.str, i, err = appendString(st.str[:0], ev, i)
			if err != nil {
				return 0, err
			}
			v.raw = st.str
		}
		v.kind = 's'
	case c == 't' || c == 'f' || c == 'n':
		word := "true"
		v.kind = 't'
		if c == 'f' {
			word, v.kind = "false", 'f'
		} else if c == 'n' {
			word, v.kind = "null", 'z'
		}
		if !bytes.HasPrefix(ev[i:], []byte(word)) {
			return 0, ErrSyntax
		}
		v.raw = ev[i : i+len(word)]
		i += len(word)
	case c == '-' || c >= '0' && c <= '9':
		end, f, precise, ok, valid := scanFloat(ev, i)
		if !valid {
			return 0, ErrSyntax
		}
		v.raw = ev[i:end]
		v.kind = 'n'
		v.approx, v.approxPrecise, v.approxOK, v.approxDone = f, precise, ok, true
		i = end
	default:
		return 0, ErrSyntax
	}
	st.curVal = -1
	f := st.m.fields[field]
	if f.watchSeen {
		st.fieldSeen[field] = st.epoch
	}
	f.match(v, st)
	return i, nil
}

// scanNumber checks JSON number syntax at ev[i] and returns its end.
func scanNumber(ev []byte, i int) (int, bool) {
	if ev[i] == '-' {
		i++
	}
	d := i
	for i < len(ev) && ev[i] >= '0' && ev[i] <= '9' {
		i++
	}
	if i == d || ev[d] == '0' && i-d > 1 {
		return 0, false
	}
	if i < len(ev) && ev[i] == '.' {
		i++
		d = i
		for i < len(ev) && ev[i] >= '0' && ev[i] <= '9' {
			i++
		}
		if i == d {
			return 0, false
		}
	}
	if i < len(ev) && (ev[i] == 'e' || ev[i] == 'E') {
		i++
		if i < len(ev) && (ev[i] == '+' || ev[i] == '-') {
			i++
		}
		d = i
		for i < len(ev) && ev[i] >= '0' && ev[i] <= '9' {
			i++
		}
		if i == d {
			return 0, false
		}
	}
	return i, true
}

// appendString decodes the JSON string at ev[i] == '"' onto dst.
func appendString(dst, ev []byte, i int) ([]byte, int, error) {
	i++
	for {
		j := i
		for j < len(ev) && ev[j] != '"' && ev[j] != '\\' && ev[j] >= 0x20 {
			j++
		}
		dst = append(dst, ev[i:j]...)
		if j >= len(ev) || ev[j] < 0x20 {
			return dst, 0, ErrSyntax
		}
		if ev[j] == '"' {
			return dst, j + 1, nil
		}
		// backslash escape
		if j+1 >= len(ev) {
			return dst, 0, ErrSyntax
		}
		if b, ok := jsonstr.Escaped(ev[j+1]); ok {
			dst, i = append(dst, b), j+2
			continue
		}
		switch ev[j+1] {
		case 'u':
			r, next, ok := jsonstr.Unicode(ev, j+2)
			if !ok {
				return dst, 0, ErrSyntax
			}
			dst, i = utf8.AppendRune(dst, r), next
		default:
			return dst, 0, ErrSyntax
		}
	}
}

// nextQuote returns the index of the first '"' at or after i, or -1. Quotes
// are dense in text and sparse in number arrays: the next eight bytes are
// tested in place, the rest with bytes.IndexByte.
func nextQuote(ev []byte, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	if i+8 <= len(ev) {
		w := binary.LittleEndian.Uint64(ev[i:]) ^ 0x2222222222222222
		if z := (w - ones) &^ w & highs; z != 0 {
			return i + bits.TrailingZeros64(z)/8
		}
		i += 8
	}
	q := bytes.IndexByte(ev[i:], '"')
	if q < 0 {
		return -1
	}
	return i + q
}

// skipEnd marks the bytes the skip loop must stop at.
var skipEnd = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

// skipPlain returns the index of the next byte at or after i that the skip
// loop must look at ('"', brackets or braces), eight bytes at a time: OR-ing
// 0x20 folds '[' into '{' and ']' into '}', so three zero-byte tests per
// word find all five (and the control byte 0x02, which is merely looked at).
func skipPlain(ev []byte, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for ; i+8 <= len(ev); i += 8 {
		w := binary.LittleEndian.Uint64(ev[i:]) | 0x2020202020202020
		a := w ^ 0x7b7b7b7b7b7b7b7b
		b := w ^ 0x7d7d7d7d7d7d7d7d
		c := w ^ 0x2222222222222222
		z := (a - ones) &^ a & highs
		z |= (b - ones) &^ b & highs
		z |= (c - ones) &^ c & highs
		if z != 0 {
			return i + bits.TrailingZeros64(z)/8
		}
	}
	for ; i < len(ev) && !skipEnd[ev[i]]; i++ {
	}
	return i
}

// skipValue steps over the value at ev[i] without interpreting it. Skipped
// containers are only checked for balanced brackets and closed strings.
func skipValue(ev []byte, i int) (int, error) {
	switch c := ev[i]; c {
	case '"':
		return skipString(ev, i)
	case '{', '[':
		depth := 0
		for i < len(ev) {
			c := ev[i]
			if !skipEnd[c] {
				i = skipPlain(ev, i+1)
				continue
			}
			switch c {
			case '"':
				var err error
				if i, err = skipString(ev, i); err != nil {
					return 0, err
				}
				continue
			case '{', '[':
				depth++
			default:
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return 0, ErrSyntax
	case 't', 'f', 'n':
		for _, w := range [...]string{"true", "false", "null"} {
			if bytes.HasPrefix(ev[i:], []byte(w)) {
				return i + len(w), nil
			}
		}
		return 0, ErrSyntax
	}
	end, ok := scanNumber(ev, i)
	if !ok {
		return 0, ErrSyntax
	}
	return end, nil
}

func skipString(ev []byte, i int) (int, error) {
	i++
	for {
		j := bytes.IndexByte(ev[i:], '"')
		if j < 0 {
			return 0, ErrSyntax
		}
		j += i
		// The quote is escaped when preceded by an odd run of backslashes.
		k := j - 1
		for k >= i && ev[k] == '\\' {
			k--
		}
		if (j-1-k)%2 == 0 {
			return j + 1, nil
		}
		i = j + 1
	}
}
