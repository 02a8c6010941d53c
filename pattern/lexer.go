package pattern

import (
	"unicode/utf8"

	"github.com/switchyard-dev/switchyard/internal/jsonstr"
)

// tokKind is one token of a JSON token stream, in the shape of Jackson's
// streaming parser that Event Ruler's compiler walks: objects yield a
// tokName before each value.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStartObject
	tokEndObject
	tokStartArray
	tokEndArray
	tokName
	tokString
	tokNumber
	tokTrue
	tokFalse
	tokNull
)

// lexer tokenizes a pattern document and reports syntax errors with the
// same wording and positions as Jackson, because EventBridge passes Jackson's
// messages through as the InvalidEventPatternException reason.
type lexer struct {
	src  []byte
	pos  int // next unread byte
	line int // 1-based line of pos
	lcol int // byte offset where the current line starts

	stack []byte // '{' or '[' per open container
	// state within the innermost container
	expectName  bool     // in an object, before a field name
	afterValue  bool     // a value (or name+value) was just completed
	afterName   bool     // a name was read; a value must follow
	startMarker []marker // where each open container started
	started     bool     // the root value has been started

	kind tokKind
	text string // name or string value, or the number's literal text
}

// marker is a 1-based line and column, for Jackson's "start marker".
type marker struct{ line, col int }

func newLexer(src []byte) *lexer {
	return &lexer{src: src, line: 1}
}

// column is Jackson's 1-based column of byte offset p on the current line,
// counted in characters.
func (l *lexer) column(p int) int {
	if p < l.lcol {
		return 1
	}
	return utf8.RuneCount(l.src[l.lcol:p]) + 1
}

// syntax aborts with a Jackson-style message located at byte offset p.
func (l *lexer) syntax(msg string, p int) {
	fail(msg + jacksonLocation(l.src, l.line, l.column(p)))
}

// barfHere aborts with a message located at the current position, for
// Event Ruler errors that EventBridge reports with their location.
func (l *lexer) barfHere(msg string) {
	l.syntax(msg, l.pos)
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		switch l.src[l.pos] {
		case ' ', '\t', '\r':
			l.pos++
		case '\n':
			l.pos++
			l.line++
			l.lcol = l.pos
		default:
			return
		}
	}
}

func isIdentPart(c rune) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c > 127
}

// unrecognized reports a bare word the way Jackson does: the whole word,
// located just after it.
func (l *lexer) unrecognized(start int) {
	end := start
	for end < len(l.src) && end-start < 256 {
		r, n := utf8.DecodeRune(l.src[end:])
		if !isIdentPart(r) {
			break
		}
		end += n
	}
	if end == start {
		end = start + 1
	}
	l.syntax("Unrecognized token '"+string(l.src[start:end])+"': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", end)
}

func (l *lexer) unexpectedChar(p int, expecting string) {
	r, _ := utf8.DecodeRune(l.src[p:])
	l.syntax("Unexpected character ("+jacksonChar(r)+"): "+expecting, p)
}

// startSource locates the innermost open container for Jackson's
// "start marker" and "starting at" messages.
func (l *lexer) startSource() string {
	m := l.startMarker[len(l.startMarker)-1]
	return jacksonSource(l.src, m.line, m.col)
}

func (l *lexer) eof() {
	if len(l.stack) == 0 {
		l.syntax("Unexpected end-of-input: expected a valid value", l.pos)
	}
	what := "Object"
	if l.stack[len(l.stack)-1] == '[' {
		what = "Array"
	}
	l.syntax("Unexpected end-of-input: expected close marker for "+what+" (start marker at "+l.startSource()+")", l.pos)
}

// next advances to the next token. After the root value is complete it
// returns tokEOF without looking at the rest of the input, as Event Ruler
// never asks Jackson for more.
func (l *lexer) next() tokKind {
	l.skipSpace()
	if len(l.stack) > 0 {
		top := l.stack[len(l.stack)-1]
		if l.afterValue {
			if l.pos >= len(l.src) {
				l.eof()
			}
			c := l.src[l.pos]
			switch {
			case c == ',':
				l.pos++
				l.afterValue = false
				l.skipSpace()
				if top == '{' {
					l.expectName = true
				}
			case top == '{' && c == '}', top == '[' && c == ']':
				return l.closeContainer()
			case top == '{':
				if c == ']' {
					l.syntax("Unexpected close marker ']': expected '}' (for Object starting at "+l.startSource()+")", l.pos+1)
				}
				l.unexpectedChar(l.pos, "was expecting comma to separate Object entries")
			default:
				if c == '}' {
					l.syntax("Unexpected close marker '}': expected ']' (for Array starting at "+l.startSource()+")", l.pos+1)
				}
				l.unexpectedChar(l.pos, "was expecting comma to separate Array entries")
			}
		}
		if l.expectName {
			if l.pos >= len(l.src) {
				l.eof()
			}
			c := l.src[l.pos]
			if c == '}' && !l.afterComma() {
				return l.closeContainer()
			}
			if c != '"' {
				l.unexpectedChar(l.pos, "was expecting double-quote to start field name")
			}
			l.text = l.readString()
			l.skipSpace()
			if l.pos >= len(l.src) {
				l.eof()
			}
			if l.src[l.pos] != ':' {
				l.unexpectedChar(l.pos, "was expecting a colon to separate field name and value")
			}
			l.pos++
			l.expectName = false
			l.afterName = true
			l.kind = tokName
			return tokName
		}
		if top == '[' && l.pos < len(l.src) && l.src[l.pos] == ']' && !l.afterComma() {
			return l.closeContainer()
		}
	} else if l.started {
		l.kind = tokEOF
		return tokEOF
	}
	l.started = true
	return l.value()
}

// afterComma reports whether the last significant byte before pos is a
// comma, to reject trailing commas as Jackson does.
func (l *lexer) afterComma() bool {
	for p := l.pos - 1; p >= 0; p-- {
		switch l.src[p] {
		case ' ', '\t', '\r', '\n':
			continue
		case ',':
			return true
		}
		return false
	}
	return false
}

func (l *lexer) closeContainer() tokKind {
	top := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	l.startMarker = l.startMarker[:len(l.startMarker)-1]
	l.pos++
	l.valueDone()
	if top == '{' {
		l.kind = tokEndObject
	} else {
		l.kind = tokEndArray
	}
	return l.kind
}

func (l *lexer) valueDone() {
	l.afterName = false
	l.expectName = false
	l.afterValue = len(l.stack) > 0
}

func (l *lexer) value() tokKind {
	if l.pos >= len(l.src) {
		if len(l.stack) == 0 {
			// Jackson returns no token at all for empty input; Event
			// Ruler then reports the root as not an object.
			return tokEOF
		}
		l.eof()
	}
	c := l.src[l.pos]
	switch {
	case c == '{':
		l.stack = append(l.stack, '{')
		l.startMarker = append(l.startMarker, marker{l.line, l.column(l.pos)})
		l.pos++
		l.afterName, l.afterValue, l.expectName = false, false, true
		l.kind = tokStartObject
	case c == '[':
		l.stack = append(l.stack, '[')
		l.startMarker = append(l.startMarker, marker{l.line, l.column(l.pos)})
		l.pos++
		l.afterName, l.afterValue, l.expectName = false, false, false
		l.kind = tokStartArray
	case c == '"':
		l.text = l.readString()
		l.valueDone()
		l.kind = tokString
	case c == '-' || c >= '0' && c <= '9':
		l.readNumber()
		l.valueDone()
		l.kind = tokNumber
	case c == 't' || c == 'f' || c == 'n':
		word, kind := "true", tokTrue
		if c == 'f' {
			word, kind = "false", tokFalse
		} else if c == 'n' {
			word, kind = "null", tokNull
		}
		end := l.pos + len(word)
		if end > len(l.src) || string(l.src[l.pos:end]) != word || end < len(l.src) && isIdentPart(rune(l.src[end])) {
			l.unrecognized(l.pos)
		}
		l.pos = end
		l.text = word
		l.valueDone()
		l.kind = kind
	case c == ']' || c == '}':
		if c == ']' && len(l.stack) > 0 && l.stack[len(l.stack)-1] == '[' {
			// "[1,]": Jackson rejects the trailing comma this way.
			l.unexpectedChar(l.pos, "expected a value")
		}
		l.unexpectedChar(l.pos, "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127:
		l.unrecognized(l.pos)
	default:
		l.unexpectedChar(l.pos, "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
	}
	return l.kind
}

// readString reads a JSON string starting at the opening quote and returns
// its decoded value.
func (l *lexer) readString() string {
	l.pos++ // opening quote
	start := l.pos
	var buf []byte
	for {
		if l.pos >= len(l.src) {
			l.syntax("Unexpected end-of-input: was expecting closing quote for a string value", l.pos)
		}
		c := l.src[l.pos]
		switch {
		case c == '"':
			l.pos++
			if buf == nil {
				return string(l.src[start : l.pos-1])
			}
			return string(buf)
		case c == '\\':
			if buf == nil {
				buf = append([]byte{}, l.src[start:l.pos]...)
			}
			l.pos++
			if l.pos >= len(l.src) {
				l.syntax("Unexpected end-of-input in character escape sequence", l.pos)
			}
			e := l.src[l.pos]
			l.pos++
			if b, ok := jsonstr.Escaped(e); ok {
				buf = append(buf, b)
				continue
			}
			switch e {
			case 'u':
				r, next, ok := jsonstr.Unicode(l.src, l.pos)
				if !ok {
					l.syntax("Unexpected character: was expecting hex digit for character escape sequence", l.pos)
				}
				l.pos = next
				buf = utf8.AppendRune(buf, r)
			default:
				r, _ := utf8.DecodeRune([]byte{e})
				l.syntax("Unrecognized character escape "+jacksonChar(r), l.pos)
			}
		case c < 32:
			l.syntax("Illegal unquoted character ("+jacksonChar(rune(c))+"): has to be escaped using backslash to be included in string value", l.pos+1)
		default:
			if buf != nil {
				buf = append(buf, c)
			}
			l.pos++
		}
	}
}

// readNumber reads a JSON number with Jackson's strictness.
func (l *lexer) readNumber() {
	start := l.pos
	p := l.pos
	if l.src[p] == '-' {
		p++
	}
	digits := p
	for p < len(l.src) && l.src[p] >= '0' && l.src[p] <= '9' {
		p++
	}
	if p == digits {
		if p < len(l.src) {
			r, _ := utf8.DecodeRune(l.src[p:])
			l.syntax("Unexpected character ("+jacksonChar(r)+") in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value", p)
		}
		l.syntax("Unexpected end-of-input in numeric value", p)
	}
	if l.src[digits] == '0' && p-digits > 1 {
		l.syntax("Invalid numeric value: Leading zeroes not allowed", digits+1)
	}
	if p < len(l.src) && l.src[p] == '.' {
		p++
		f := p
		for p < len(l.src) && l.src[p] >= '0' && l.src[p] <= '9' {
			p++
		}
		if p == f {
			l.numberTail(p, "Decimal point not followed by a digit")
		}
	}
	if p < len(l.src) && (l.src[p] == 'e' || l.src[p] == 'E') {
		p++
		if p < len(l.src) && (l.src[p] == '+' || l.src[p] == '-') {
			p++
		}
		f := p
		for p < len(l.src) && l.src[p] >= '0' && l.src[p] <= '9' {
			p++
		}
		if p == f {
			l.numberTail(p, "Exponent indicator not followed by a digit")
		}
	}
	if p < len(l.src) && isIdentPart(rune(l.src[p])) {
		l.unrecognized(start)
	}
	l.text = string(l.src[start:p])
	l.pos = p
}

func (l *lexer) numberTail(p int, what string) {
	if p >= len(l.src) {
		l.syntax("Unexpected end-of-input in numeric value", p)
	}
	r, _ := utf8.DecodeRune(l.src[p:])
	l.syntax("Unexpected character ("+jacksonChar(r)+") in numeric value: "+what, p)
}
