package pattern

import (
	"unicode"
	"unicode/utf8"
)

// equals-ignore-case compares strings under full Unicode case mapping, so
// "straße" equals "STRASSE" as it does in Java (which EventBridge runs on):
// Java upper-cases "ß" to "SS". Go's unicode package only has the simple
// one-to-one mappings, so the unconditional one-to-many uppercase mappings
// of Unicode's SpecialCasing.txt that matter for Latin, Armenian and the
// ligature block are listed here; folding is upper-case-then-lower-case per
// rune, which also merges final sigma and the like.
var specialUpper = map[rune]string{
	'ß':      "SS",
	'ŉ':      "ʼN",
	'ǰ':      "J̌",
	'ΐ':      "Ϊ́",
	'ΰ':      "Ϋ́",
	'և':      "ԵՒ",
	'ẖ':      "H̱",
	'ẗ':      "T̈",
	'ẘ':      "W̊",
	'ẙ':      "Y̊",
	'ẚ':      "Aʾ",
	'\uFB00': "FF",
	'\uFB01': "FI",
	'\uFB02': "FL",
	'\uFB03': "FFI",
	'\uFB04': "FFL",
	'\uFB05': "ST",
	'\uFB06': "ST",
	'\uFB13': "ՄՆ",
	'\uFB14': "ՄԵ",
	'\uFB15': "ՄԻ",
	'\uFB16': "ՎՆ",
	'\uFB17': "ՄԽ",
}

// foldCase appends the case-folded form of s to dst.
func foldCase(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, s[i-1])
			continue
		}
		dst = foldRune(dst, r)
	}
	return dst
}

func foldRune(dst []byte, r rune) []byte {
	if up, ok := specialUpper[r]; ok {
		for _, u := range up {
			dst = utf8.AppendRune(dst, unicode.ToLower(u))
		}
		return dst
	}
	l := unicode.ToLower(unicode.ToUpper(r))
	if up, ok := specialUpper[l]; ok { // e.g. U+1E9E capital sharp s
		for _, u := range up {
			dst = utf8.AppendRune(dst, unicode.ToLower(u))
		}
		return dst
	}
	return utf8.AppendRune(dst, l)
}
