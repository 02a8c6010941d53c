// Package json5 converts the small JSON5 subset of the AWS-validated pattern
// corpus (comments and trailing commas) to JSON. Tests use it to read that
// corpus; it is not a general JSON5 parser.
package json5

import "bytes"

// ToJSON removes // and /* */ comments outside strings and commas that stand
// right before a closing bracket or brace. Comment markers inside strings
// (wildcard operands such as "*/dir/*") are kept.
func ToJSON(src []byte) []byte {
	out := make([]byte, 0, len(src))
	inStr := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inStr {
			out = append(out, c)
			switch {
			case c == '\\' && i+1 < len(src):
				i++
				out = append(out, src[i])
			case c == '"':
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out = append(out, c)
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			out = append(out, '\n')
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return out
			}
			i += end + 3
		case c == ']' || c == '}':
			j := len(out) - 1
			for j >= 0 && (out[j] == ' ' || out[j] == '\n' || out[j] == '\t' || out[j] == '\r') {
				j--
			}
			if j >= 0 && out[j] == ',' {
				out = append(out[:j], out[j+1:]...)
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}
