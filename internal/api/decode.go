package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// Member names are exact on the wire: AWS reads "Name" as the member Name
// and "name" as a member it does not know, which it ignores. encoding/json
// matches names case-insensitively (Unicode simple folding, so even
// "ſource" is Source), and Go 1.26 offers no switch for that outside
// GOEXPERIMENT=jsonv2.
//
// The design is a pre-pass: exactNames walks the body along the Go type it
// is decoded into and blanks the name of every member that encoding/json
// would match to a field only case-insensitively, then encoding/json
// decodes the result as before. Why this, and not a decoder of our own or
// generated UnmarshalJSON methods: encoding/json stays the one decoder, so
// everything it answers today (invalid JSON, "Unexpected value type for
// member X." with its member path, timestamps through their UnmarshalJSON,
// null, duplicate members that overwrite or merge) stays exactly as it is by
// construction, not by a second implementation kept equal to the first.
// The pre-pass only reads: a body whose names are all exact, which is every
// body an SDK sends, goes to encoding/json untouched and allocates nothing
// more.
//
// A blanked name is "" followed by spaces as long as the name was. ""
// names no field, so encoding/json skips the member as it skips any
// unknown one, and it still scans the member's value: a wrong-case member
// with invalid JSON in it, or nested 10,000 deep, fails as an unknown one
// does. Keeping the length also keeps every other byte where it was, so
// there is no comma to remove.

// shapeKind is what a Go type makes of a JSON value, as far as member names
// go.
type shapeKind uint8

const (
	shapeStruct shapeKind = iota + 1 // an object whose names are fields
	shapeList                        // an array whose elements have elem
	shapeMap                         // an object whose names are data, values elem
)

// shape is the part of a Go type that member names are checked against.
// A nil *shape is a type with no struct inside it (string, number,
// timestamp, map of strings, ...): its value is skipped.
type shape struct {
	kind shapeKind
	// fields are a struct's fields in declaration order, the model's
	// order, which is the order SDKs send members in.
	fields []field
	// folded holds the ASCII upper case of each name in fields; maxLen is
	// the longest one, at most maxNameLen. The wire's names are ASCII.
	folded map[string]struct{}
	maxLen int
	elem   *shape
}

// field is one member of a struct: its JSON name and its shape.
type field struct {
	name  string
	shape *shape
}

// maxNameLen bounds the names of a struct's fields, so that member can
// fold a name in a buffer on the stack. AWS's member names are far shorter;
// shapeFor panics on a longer one, which every test of the API would show.
const maxNameLen = 64

// shapeOf is the shape of t (through pointers), the type of an operation's
// input: op computes it once per operation, when the API is built.
func shapeOf(t reflect.Type) *shape { return shapeFor(t, nil) }

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shapeFor builds the shape of t as encoding/json decodes into it. outer
// are the types t is inside of. No wire type contains itself; were one to,
// it would get no shape where it recurs, and its names from there down would
// be left to encoding/json: no protection there, but neither a shape built
// without end nor a walk that recurses as deep as the body nests.
func shapeFor(t reflect.Type, outer []reflect.Type) *shape {
	if slices.Contains(outer, t) {
		return nil
	}
	outer = append(outer, t)
	// A type that decodes itself gets its value raw (Timestamp), or as a
	// string: names inside it are not ours to check.
	for _, u := range []reflect.Type{jsonUnmarshaler, textUnmarshaler} {
		if t.Implements(u) || reflect.PointerTo(t).Implements(u) {
			return nil
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return shapeFor(t.Elem(), outer)
	case reflect.Slice, reflect.Array, reflect.Map:
		s := &shape{kind: shapeList}
		if t.Kind() == reflect.Map {
			s.kind = shapeMap
		}
		s.elem = shapeFor(t.Elem(), outer)
		if s.elem == nil {
			return nil // nothing inside to check: skip the value whole
		}
		return s
	case reflect.Struct:
		s := &shape{kind: shapeStruct, folded: map[string]struct{}{}}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				// encoding/json promotes an embedded struct's fields; the
				// generated wire types embed none (TestDecodeEveryOperation
				// would see one), so this is not mirrored: such a type is
				// left to encoding/json as it is, never a panic.
				return nil
			}
			tag := f.Tag.Get("json")
			if !f.IsExported() || tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			if len(name) > maxNameLen {
				panic("api: the member name " + name + " of " + t.String() + " is longer than maxNameLen")
			}
			s.fields = append(s.fields, field{name, shapeFor(f.Type, outer)})
			s.folded[asciiUpper(name)] = struct{}{}
			s.maxLen = max(s.maxLen, len(name))
		}
		return s
	}
	return nil // interface types included: any keeps every name as data
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

// member looks up a name as it is between its quotes in the body. It
// returns the index of the field it names exactly, or -1 and whether
// encoding/json would (or might) fold it onto a field: then it is to be
// blanked. The search starts at from, the field after the one the previous
// member named: SDKs send members in field order, so the first comparison
// usually matches, cheaper than hashing the name.
func (s *shape) member(raw []byte, from int) (i int, blank bool) {
	name := raw
	if bytes.IndexByte(raw, '\\') >= 0 {
		// Escaped names are rare; encoding/json compares them unescaped.
		var u string
		if json.Unmarshal(quoted(raw), &u) != nil {
			return -1, false // invalid JSON: encoding/json will say so
		}
		name = []byte(u)
	}
	if len(name) > s.maxLen {
		// Longer than every field's name, so none it names exactly, but it
		// may fold onto one if it is not ASCII: see below.
		return -1, hasNonASCII(name)
	}
	for k := range s.fields {
		if i = from + k; i >= len(s.fields) {
			i -= len(s.fields)
		}
		if s.fields[i].name == string(name) {
			return i, false
		}
	}
	var buf [maxNameLen]byte // len(name) <= s.maxLen <= maxNameLen
	up := buf[:len(name)]
	for i, c := range name {
		if c >= 0x80 {
			// The names of the wire are ASCII, so this one is not exact;
			// some non-ASCII letters fold onto ASCII ones (ſ onto s, the
			// Kelvin sign onto k), and blanking every such name saves
			// mirroring Unicode's tables. Ignoring it is right either way.
			return -1, true
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up[i] = c
	}
	_, blank = s.folded[string(up)]
	return -1, blank
}

func quoted(raw []byte) []byte {
	q := make([]byte, 0, len(raw)+2)
	q = append(q, '"')
	q = append(q, raw...)
	return append(q, '"')
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// exactNames returns body, or, if some member name in it matches a field of
// s (the shape of what the body decodes into) only case-insensitively, a
// copy with those names blanked. Invalid JSON comes back unchanged, for
// encoding/json to refuse.
func exactNames(body []byte, s *shape) []byte {
	w := nameWalker{b: body}
	if !w.value(s) || len(w.blank) == 0 {
		return body
	}
	// The walk trusts the body to be JSON; before rewriting one, make sure,
	// so that encoding/json sees the same error in the same body as before.
	if !json.Valid(body) {
		return body
	}
	out := bytes.Clone(body)
	for i := 0; i < len(w.blank); i += 2 {
		name := out[w.blank[i]:w.blank[i+1]]
		name[1] = '"'
		for j := 2; j < len(name); j++ {
			name[j] = ' '
		}
	}
	return out
}

// nameWalker finds the member names to blank. It is exact on valid JSON;
// on anything else it must only end, with false or with names that the
// json.Valid check in exactNames then discards.
type nameWalker struct {
	b     []byte
	i     int
	blank []int // start and end offsets of quoted names, in pairs
}

// space skips white space. SDK bodies have none, so at checks for it
// inline and calls space only when there is some.
func (w *nameWalker) space() {
	for w.i < len(w.b) && isSpace(w.b[w.i]) {
		w.i++
	}
}

// at reports whether c is next, after white space.
func (w *nameWalker) at(c byte) bool {
	if w.i < len(w.b) && isSpace(w.b[w.i]) {
		w.space()
	}
	return w.i < len(w.b) && w.b[w.i] == c
}

// value walks the value that comes next, which decodes into a Go value of
// shape s. encoding/json does not look inside a value of the wrong kind
// for its type (an array where a struct goes: it records a type error and
// skips it), and neither does value. Its recursion follows the shape, a
// tree as deep as the Go type (see shapeFor); skip does not recurse.
func (w *nameWalker) value(s *shape) bool {
	switch {
	case s == nil:
	case s.kind == shapeList && w.at('['):
		return w.array(s.elem)
	case s.kind != shapeList && w.at('{'):
		return w.object(s)
	}
	return w.skip()
}

func (w *nameWalker) array(elem *shape) bool {
	w.i++
	if w.at(']') {
		w.i++
		return true
	}
	for {
		if !w.value(elem) {
			return false
		}
		switch {
		case w.at(','):
			w.i++
		case w.at(']'):
			w.i++
			return true
		default:
			return false
		}
	}
}

func (w *nameWalker) object(s *shape) bool {
	w.i++
	if w.at('}') {
		w.i++
		return true
	}
	next := 0 // where member starts looking
	for {
		if !w.at('"') {
			return false
		}
		start := w.i
		if !w.str() {
			return false
		}
		end := w.i
		if !w.at(':') {
			return false
		}
		w.i++
		vs := s.elem // a map's names are data
		if s.kind == shapeStruct {
			i, blank := s.member(w.b[start+1:end-1], next)
			vs = nil
			if i >= 0 {
				vs, next = s.fields[i].shape, i+1
			} else if blank {
				w.blank = append(w.blank, start, end)
			}
		}
		if !w.value(vs) {
			return false
		}
		switch {
		case w.at(','):
			w.i++
		case w.at('}'):
			w.i++
			return true
		default:
			return false
		}
	}
}

// str moves past the string whose opening quote is at i. In valid JSON a
// backslash always begins an escape, so the byte after it is never the
// closing quote. A plain loop: the strings of request bodies are short or,
// as Details, patterns and templates are, JSON themselves, with an escaped
// quote every few bytes; jumping from quote to quote with bytes.IndexByte
// made the walk of BenchmarkDecodePutEvents' body half as costly again.
func (w *nameWalker) str() bool {
	b := w.b
	for i := w.i + 1; i < len(b); i++ {
		switch b[i] {
		case '"':
			w.i = i + 1
			return true
		case '\\':
			i++
		}
	}
	return false
}

// skip moves past the value that comes next without looking at its names.
// It counts brackets instead of recursing, so depth costs it nothing.
func (w *nameWalker) skip() bool {
	if w.i < len(w.b) && isSpace(w.b[w.i]) {
		w.space()
	}
	depth := 0
	for w.i < len(w.b) {
		switch w.b[w.i] {
		case '"':
			if !w.str() {
				return false
			}
			if depth == 0 {
				return true
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return false
			}
			if depth == 0 {
				w.i++
				return true
			}
		default:
			if depth == 0 {
				// A number or literal runs to the next delimiter.
				for w.i < len(w.b) {
					switch w.b[w.i] {
					case ',', '}', ']', ' ', '\t', '\n', '\r':
						return true
					}
					w.i++
				}
				return true
			}
		}
		w.i++
	}
	return false
}
