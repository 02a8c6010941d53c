package transform

import "github.com/switchyard-dev/switchyard/internal/jsonstr"

// EventBridge substitutes values without escaping them and then checks the
// result; an invocation whose result fails the check is dropped (rule 5).
// The check differs by template kind, because AWS delivered a string
// template followed by more text (three quoted lines separated by newlines)
// verbatim, yet dropped "<listsingle> single list item", which renders as
// "[HIGH] single list item":
//   - a JSON template (starts with '{' or '[') must yield exactly one JSON
//     value;
//   - any other template must yield text that starts with one JSON value;
//     what follows it is not looked at. This is what a Jackson
//     ObjectMapper.readTree does with trailing content, and it matches the
//     User Guide's CLI example, which delivers
//     "instance "i-0123456789" is in RUNNING".
//
// The validator is strict RFC 8259 and iterative, so depth costs no stack.

// validJSON reports whether b is exactly one JSON value, with optional
// surrounding whitespace.
func validJSON(b []byte) bool {
	end := validValue(b, skipSpace(b, 0))
	return end >= 0 && skipSpace(b, end) == len(b)
}

// validPrefix reports whether b starts with a JSON value that a reader of
// one value would accept: after a number there must be whitespace or the
// end, after true/false/null no further identifier character.
func validPrefix(b []byte) bool {
	i := skipSpace(b, 0)
	end := validValue(b, i)
	if end < 0 {
		return false
	}
	if end == len(b) {
		return true
	}
	switch c := b[i]; {
	case c == '-' || (c >= '0' && c <= '9'):
		return isSpace(b[end])
	case c == 't' || c == 'f' || c == 'n':
		n := b[end]
		return !(n == '_' || n == '$' || n >= 0x80 || (n|0x20 >= 'a' && n|0x20 <= 'z') || (n >= '0' && n <= '9'))
	}
	return true
}

// validValue returns the offset just past the JSON value at b[i], or -1.
func validValue(b []byte, i int) int {
	var buf [32]byte
	stack := buf[:0] // open containers, '{' or '['
	for {
		// A value is expected at i.
		i = skipSpace(b, i)
		if i >= len(b) {
			return -1
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			i = skipSpace(b, i+1)
			if i < len(b) && b[i] == c+2 { // '}' and ']' follow '{' and '[' by 2
				i++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				if i = validKey(b, i); i < 0 {
					return -1
				}
			}
			continue
		case c == '"':
			i = validString(b, i)
		case c == 't':
			i = validLiteral(b, i, "true")
		case c == 'f':
			i = validLiteral(b, i, "false")
		case c == 'n':
			i = validLiteral(b, i, "null")
		default:
			i = validNumber(b, i)
		}
		if i < 0 {
			return -1
		}
		// A value ended at i: close containers until one continues.
		for {
			if len(stack) == 0 {
				return i
			}
			i = skipSpace(b, i)
			if i >= len(b) {
				return -1
			}
			top := stack[len(stack)-1]
			if b[i] == top+2 {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return -1
			}
			i++
			if top == '{' {
				if i = validKey(b, skipSpace(b, i)); i < 0 {
					return -1
				}
			}
			break
		}
	}
}

// validKey checks `"key" :` at b[i] and returns the offset after the colon.
func validKey(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = validString(b, i); i < 0 {
		return -1
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	return i + 1
}

func validString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			i++
			if i >= len(b) {
				return -1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if _, ok := jsonstr.Hex4(b[i+1:]); !ok {
					return -1
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

func validLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

func validNumber(b []byte, i int) int {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return -1
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}
