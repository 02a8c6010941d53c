// Package jsonstr holds what every hand-written JSON scanner of Switchyard
// needs of JSON strings: decoding a \uXXXX escape (surrogate pairs joined)
// and writing a Go string as a JSON string. The scanners (the pattern
// engine's, the PutEvents decoder's, the input transformer's) each keep
// their own loop, because they differ in what they refuse; the escape
// rules live here once. Standard library only.
package jsonstr

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Hex4 decodes the four hexadecimal digits at the start of b.
func Hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// Unicode decodes a \uXXXX escape whose four digits start at b[i] (just
// after "\u"). A high surrogate followed by a \uXXXX low surrogate is one
// code point; any other surrogate is U+FFFD, as encoding/json decodes it.
// It returns the code point and the index after what it read; ok is false
// when the four digits are not hexadecimal.
func Unicode(b []byte, i int) (r rune, next int, ok bool) {
	if i < 0 || i > len(b) {
		return 0, i, false
	}
	r, ok = Hex4(b[i:])
	if !ok {
		return 0, i, false
	}
	next = i + 4
	if !utf16.IsSurrogate(r) {
		return r, next, true
	}
	if next+6 <= len(b) && b[next] == '\\' && b[next+1] == 'u' {
		if r2, ok := Hex4(b[next+2:]); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, next + 6, true
			}
		}
	}
	return utf8.RuneError, next, true
}

// AppendQuoted appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD, and everything else
// (including <, > and &, which encoding/json would escape) as it is.
func AppendQuoted(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Escaped is the byte a one-character escape stands for: the c of \c for
// c in " \ / b f n r t. ok is false for any other c (\u is Unicode's).
func Escaped(c byte) (b byte, ok bool) {
	switch c {
	case '"', '\\', '/':
		return c, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}
