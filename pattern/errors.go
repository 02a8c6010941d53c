package pattern

import (
	"strconv"
	"strings"
)

// CompileError reports why a pattern was rejected. Reason is the text
// EventBridge puts after "Event pattern is not valid. Reason: " in its
// InvalidEventPatternException, so the API layer can send it unchanged.
type CompileError struct {
	Reason string
}

// Error returns Reason verbatim.
func (e *CompileError) Error() string { return e.Reason }

// bail aborts compilation; compile recovers it into a *CompileError. Using
// panic/recover keeps the recursive-descent compiler free of error plumbing
// on every one of its many branches, as Event Ruler's own compiler does with
// exceptions; it never escapes the package.
type bail struct{ err *CompileError }

func fail(reason string) {
	panic(bail{&CompileError{Reason: reason}})
}

// jacksonSourceLimit is how much of the input Jackson quotes in a location
// before it writes "[truncated N chars]".
const jacksonSourceLimit = 500

// jacksonLocation renders Jackson's location suffix, which EventBridge keeps
// in the reason of JSON syntax errors:
//
//	\n at [Source: (String)"<input>"; line: 1, column: 5]
func jacksonLocation(src []byte, line, col int) string {
	return "\n at " + jacksonSource(src, line, col)
}

// jacksonSource renders [Source: (String)"<input>"; line: L, column: C],
// quoting at most jacksonSourceLimit characters of the input.
func jacksonSource(src []byte, line, col int) string {
	var b strings.Builder
	b.WriteString("[Source: (String)\"")
	r := []rune(string(src))
	if len(r) > jacksonSourceLimit {
		b.WriteString(string(r[:jacksonSourceLimit]))
		b.WriteString("\"[truncated ")
		b.WriteString(strconv.Itoa(len(r) - jacksonSourceLimit))
		b.WriteString(" chars]")
	} else {
		b.WriteString(string(src))
		b.WriteString("\"")
	}
	b.WriteString("; line: ")
	b.WriteString(strconv.Itoa(line))
	b.WriteString(", column: ")
	b.WriteString(strconv.Itoa(col))
	b.WriteString("]")
	return b.String()
}

// jacksonChar describes a character the way Jackson's error messages do:
// ('x' (code 120)) or ((CTRL-CHAR, code 10)).
func jacksonChar(r rune) string {
	if r < 32 {
		return "(CTRL-CHAR, code " + strconv.Itoa(int(r)) + ")"
	}
	return "'" + string(r) + "' (code " + strconv.Itoa(int(r)) + ")"
}
