package transform

import (
	"strings"
	"unicode/utf8"
)

// A path is the JSONPath subset EventBridge documents for InputPath and
// InputPathsMap: "$" followed by steps, each a member name (.name or
// ['name']), an array index ([0]) or a wildcard (.* or [*]). Filters,
// slices, unions, negative indices and recursive descent (..) are not part
// of it.

type stepKind uint8

const (
	stepKey stepKind = iota
	stepIndex
	stepWild
)

type step struct {
	kind  stepKind
	key   string
	index int
}

// maxIndexDigits keeps an index inside an int on every platform.
const maxIndexDigits = 9

// ValidPath reports whether path is in the supported JSONPath subset.
func ValidPath(path string) bool {
	_, ok := parsePath(path)
	return ok
}

// Path evaluates one path on an event: the raw JSON of the value and
// whether it exists. The value is a sub-slice of event, as written there.
// A path with a wildcard always exists: its value is a JSON array of every
// match in document order, possibly empty, as Jayway JsonPath (which
// EventBridge's behaviour follows) returns for indefinite paths. Objects
// with a repeated key resolve to the last occurrence, like encoding/json.
// An invalid path or an event that is not JSON gives (nil, false).
func Path(event []byte, path string) (raw []byte, ok bool) {
	steps, valid := parsePath(path)
	if !valid {
		return nil, false
	}
	var ps pathSet
	ps.add(steps)
	ps.finish()
	var res [1]span
	st := walkState{ev: event, res: res[:]}
	if ps.hasWild {
		st.wild = &matches{}
	}
	ps.run(&st)
	return ps.value(&st, nil, 0)
}

// isNameByte reports whether c may appear in a dot-notation name. The
// documented set is letters, digits, '-', '_' and '/'; other printable
// characters that JSONPath gives no meaning to are accepted too, because
// real events use keys like "@timestamp" and Jayway reads them. Anything
// else needs bracket notation.
func isNameByte(c byte) bool {
	if c >= utf8.RuneSelf {
		return true
	}
	if c <= ' ' || c == 0x7f {
		return false
	}
	return !strings.ContainsRune(`.[]*'"()?,\`, rune(c))
}

func parsePath(p string) ([]step, bool) {
	if p == "" || p[0] != '$' {
		return nil, false
	}
	steps := make([]step, 0, strings.Count(p, ".")+strings.Count(p, "["))
	for i := 1; i < len(p); {
		switch p[i] {
		case '.':
			i++
			if i < len(p) && p[i] == '*' {
				steps = append(steps, step{kind: stepWild})
				i++
				continue
			}
			j := i
			for j < len(p) && isNameByte(p[j]) {
				j++
			}
			if j == i || !utf8.ValidString(p[i:j]) {
				return nil, false
			}
			steps = append(steps, step{kind: stepKey, key: p[i:j]})
			i = j
		case '[':
			s, n, ok := parseBracket(p[i:])
			if !ok {
				return nil, false
			}
			steps = append(steps, s)
			i += n
		default:
			return nil, false
		}
	}
	return steps, true
}

// parseBracket parses "[*]", "[12]", "['name']" or `["name"]` at the start
// of p and returns the step and its length. Inside quotes a backslash
// escapes the next character.
func parseBracket(p string) (step, int, bool) {
	if len(p) < 3 {
		return step{}, 0, false
	}
	switch c := p[1]; {
	case c == '*':
		if p[2] != ']' {
			return step{}, 0, false
		}
		return step{kind: stepWild}, 3, true
	case c >= '0' && c <= '9':
		n := 0
		j := 1
		for ; j < len(p) && p[j] >= '0' && p[j] <= '9'; j++ {
			if j > maxIndexDigits {
				return step{}, 0, false
			}
			n = n*10 + int(p[j]-'0')
		}
		if j >= len(p) || p[j] != ']' {
			return step{}, 0, false
		}
		return step{kind: stepIndex, index: n}, j + 1, true
	case c == '\'' || c == '"':
		var key []byte
		for j := 2; j < len(p); j++ {
			switch p[j] {
			case '\\':
				j++
				if j >= len(p) {
					return step{}, 0, false
				}
				key = append(key, p[j])
			case c:
				if j+1 >= len(p) || p[j+1] != ']' || !utf8.Valid(key) {
					return step{}, 0, false
				}
				return step{kind: stepKey, key: string(key)}, j + 2, true
			default:
				key = append(key, p[j])
			}
		}
	}
	return step{}, 0, false
}
