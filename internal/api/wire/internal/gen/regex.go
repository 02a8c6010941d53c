package main

import (
	"fmt"
	"regexp"
	"strings"
)

// javaDot is Java's "." without DOTALL: any character except the line
// terminators \n, \r, U+0085, U+2028 and U+2029. Go's "." only excludes \n.
const javaDot = `[^\n\r\x{85}\x{2028}\x{2029}]`

// javaSpace is Java's \s (ASCII whitespace including \x0B); Go's \s lacks \x0B.
const javaSpace = `\t\n\x0B\f\r `

// regexOverrides maps a model pattern that uses constructs RE2 cannot
// express (look-around) to an equivalent Go pattern. The equivalence is
// for whole-value matching only, which is how the validators use them.
var regexOverrides = map[string]string{
	// Java: ^(?!\s*$).+  = one or more non-line-terminator characters, not
	// all whitespace. Since "." excludes \n and \r, leading whitespace can
	// only be [ \t\x0B\f]; then one non-space character; then anything.
	`^(?!\s*$).+`: `[ \t\x0B\f]*[^\t\n\x0B\f\r \x{85}\x{2028}\x{2029}]` + javaDot + `*`,
}

// translateRegex converts a Java regular expression from the model into an
// RE2 expression with the same whole-value semantics. It fails on
// constructs it does not know how to translate.
func translateRegex(java string) (string, error) {
	if o, ok := regexOverrides[java]; ok {
		return o, nil
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(java); i++ {
		c := java[i]
		switch {
		case c == '\\':
			if i+1 >= len(java) {
				return "", fmt.Errorf("trailing backslash in %q", java)
			}
			n := java[i+1]
			i++
			switch n {
			case 's':
				if inClass {
					b.WriteString(javaSpace)
				} else {
					b.WriteString("[" + javaSpace + "]")
				}
			case 'S':
				if inClass {
					return "", fmt.Errorf(`\S inside a class in %q`, java)
				}
				b.WriteString("[^" + javaSpace + "]")
			case 'Q', 'E', 'G', 'Z', 'R', 'h', 'H', 'v', 'V', 'X', 'k':
				return "", fmt.Errorf(`unsupported escape \%c in %q`, n, java)
			default:
				if n >= '1' && n <= '9' {
					return "", fmt.Errorf(`backreference \%c in %q`, n, java)
				}
				b.WriteByte('\\')
				b.WriteByte(n)
			}
		case inClass:
			if c == '[' {
				return "", fmt.Errorf("nested class (Java union/intersection) in %q", java)
			}
			if c == '&' && i+1 < len(java) && java[i+1] == '&' {
				return "", fmt.Errorf("class intersection in %q", java)
			}
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// A ']' right after '[' or '[^' is a literal in both dialects.
			if i+1 < len(java) && java[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(java) && java[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '.':
			b.WriteString(javaDot)
		case c == '(' && i+2 < len(java) && java[i+1] == '?':
			switch java[i+2] {
			case ':':
				b.WriteString("(?:")
				i += 2
			default:
				return "", fmt.Errorf("unsupported group (?%c in %q", java[i+2], java)
			}
		case (c == '+' || c == '?') && i > 0 && isQuantifierEnd(java, i-1):
			// Possessive (x*+) and lazy quantifiers: possessive has no RE2
			// form; lazy is meaningless for whole-value matching.
			if c == '+' {
				return "", fmt.Errorf("possessive quantifier in %q", java)
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	if inClass {
		return "", fmt.Errorf("unterminated class in %q", java)
	}
	out := b.String()
	if _, err := regexp.Compile("^(?:" + out + ")$"); err != nil {
		return "", fmt.Errorf("translated %q to %q: %w", java, out, err)
	}
	return out, nil
}

// isQuantifierEnd reports whether java[i] ends a quantifier (*, +, ?, or })
// that is not itself escaped.
func isQuantifierEnd(java string, i int) bool {
	switch java[i] {
	case '*', '+', '?', '}':
	default:
		return false
	}
	bs := 0
	for j := i - 1; j >= 0 && java[j] == '\\'; j-- {
		bs++
	}
	return bs%2 == 0
}
