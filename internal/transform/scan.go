package transform

import (
	"bytes"
	"unicode/utf8"

	"github.com/switchyard-dev/switchyard/internal/jsonstr"
)

// The scanner walks raw JSON without building values. Every function takes
// the input and an offset and returns an offset; -1 means the input is not
// JSON where a value was expected. None of them recurse, so a hostile event
// nested a million levels deep costs time, not stack.

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// stringEnd returns the offset just past the closing quote of the string
// whose opening quote is at b[i]. Short strings, most keys and values, are
// scanned byte by byte; a long one is handed to bytes.IndexByte, which
// looks for the quote first and for a backslash only before it.
func stringEnd(b []byte, i int) int {
	i++
	for n := 0; i < len(b); n++ {
		if n == 32 {
			return longStringEnd(b, i)
		}
		switch b[i] {
		case '"':
			return i + 1
		case '\\':
			i += 2
		default:
			i++
		}
	}
	return -1
}

func longStringEnd(b []byte, i int) int {
	for i < len(b) {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return -1
		}
		e := bytes.IndexByte(b[i:i+q], '\\')
		if e < 0 {
			return i + q + 1
		}
		i += e + 2 // the backslash and the byte it escapes
	}
	return -1
}

// containerByte marks the bytes skipValue must look at inside a container.
var containerByte = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// skipValue returns the offset just past the value starting at b[i].
// Containers are skipped by counting brackets outside strings; their
// contents are not checked, which is enough for an event the server built.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			for i < len(b) && !containerByte[b[i]] {
				i++
			}
			if i == len(b) {
				break
			}
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				if i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	default:
		start := i
		for i < len(b) {
			c := b[i]
			if isSpace(c) || c == ',' || c == '}' || c == ']' || c == ':' || c == '"' || c == '{' || c == '[' {
				break
			}
			i++
		}
		if i == start {
			return -1
		}
		return i
	}
}

// keyEquals reports whether the raw JSON string lit (quotes included)
// decodes to name. Keys without escapes or non-ASCII bytes, the usual case,
// are compared in place; the rest are decoded the way encoding/json does
// (invalid UTF-8 and lone surrogates become U+FFFD) so that lookups agree
// with a decoded map.
func keyEquals(lit []byte, name string) bool {
	body := lit[1 : len(lit)-1]
	if simpleString(body) || (bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body)) {
		return string(body) == name
	}
	var buf [64]byte
	return string(appendUnquoted(buf[:0], body)) == name
}

// simpleString reports whether a string body has no escapes and no
// non-ASCII bytes, so that its bytes are its value.
func simpleString(body []byte) bool {
	for _, c := range body {
		if c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendUnquoted appends the decoded value of a JSON string body (the
// bytes between the quotes).
func appendUnquoted(dst, body []byte) []byte {
	for i := 0; i < len(body); {
		c := body[i]
		if c == '\\' && i+1 < len(body) {
			i++
			if e, ok := jsonstr.Escaped(body[i]); ok {
				dst = append(dst, e)
				i++
				continue
			}
			switch body[i] {
			case 'u':
				r, next, ok := jsonstr.Unicode(body, i+1)
				if !ok {
					dst = append(dst, '\\', 'u')
					i++
					continue
				}
				dst, i = utf8.AppendRune(dst, r), next
				continue
			default: // \" \\ \/ and, leniently, anything else
				dst = append(dst, body[i])
			}
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, body[i:i+n]...)
		}
		i += n
	}
	return dst
}
