package pattern

import (
	"errors"
	"strings"
	"testing"
)

// jacksonCases pins JSON syntax errors to Jackson's wording and positions,
// which EventBridge passes through in the reason. The first four were
// recorded from AWS (see reasons_test.go); the others follow Jackson 2.x.
var jacksonCases = []struct {
	src, msg  string
	line, col int
}{
	{`this is valid json but not a dict`, "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 1, 5},
	{`{'bad': 'quotation'}`, "Unexpected character (''' (code 39)): was expecting double-quote to start field name", 1, 2},
	{`{"not": closed mark"`, "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 1, 15},
	{`["not", "a", "dict", "but valid json"]`, "Filter is not an object", 1, 2},
	{`"just a string"`, "Filter is not an object", 1, 16},
	{`42`, "Filter is not an object", 1, 3},
	{`{"a": [1 2]}`, "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries", 1, 10},
	{`{"a": [1] "b": [2]}`, "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries", 1, 11},
	{`{"a": [tru]}`, "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 1, 11},
	{`{"a": [nulls]}`, "Unrecognized token 'nulls': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 1, 13},
	{`{"a": [+1]}`, "Unexpected character ('+' (code 43)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 1, 8},
	{`{"a": [01]}`, "Invalid numeric value: Leading zeroes not allowed", 1, 9},
	{`{"a": [1.]}`, "Unexpected character (']' (code 93)) in numeric value: Decimal point not followed by a digit", 1, 10},
	{`{"a": [1e]}`, "Unexpected character (']' (code 93)) in numeric value: Exponent indicator not followed by a digit", 1, 10},
	{`{"a": [-x]}`, "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value", 1, 9},
	{`{"a": ["x\q"]}`, "Unrecognized character escape 'q' (code 113)", 1, 12},
	{"{\"a\": [\"x\ty\"]}", "Illegal unquoted character ((CTRL-CHAR, code 9)): has to be escaped using backslash to be included in string value", 1, 11},
	{`{"a": ["x`, "Unexpected end-of-input: was expecting closing quote for a string value", 1, 10},
	{`{"a": [1,]}`, "Unexpected character (']' (code 93)): expected a value", 1, 10},
	{`{"a": [1],}`, "Unexpected character ('}' (code 125)): was expecting double-quote to start field name", 1, 11},
	{`{"a": [1]]`, "Unexpected close marker ']': expected '}' (for Object starting at [Source: (String)\"{\"a\": [1]]\"; line: 1, column: 1])", 1, 11},
	{`{"a": [1}`, "Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)\"{\"a\": [1}\"; line: 1, column: 7])", 1, 10},
	{"{\n\"a\":\n[x]}", "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", 3, 3},
}

func TestJacksonMessages(t *testing.T) {
	for _, c := range jacksonCases {
		_, err := Compile([]byte(c.src))
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("Compile(%q) = %v", c.src, err)
			continue
		}
		want := c.msg + jacksonLocation([]byte(c.src), c.line, c.col)
		if ce.Reason != want {
			t.Errorf("Compile(%q)\n got %q\nwant %q", c.src, ce.Reason, want)
		}
	}
}

// TestJacksonTruncation: Jackson quotes at most 500 characters of input.
func TestJacksonTruncation(t *testing.T) {
	src := `[` + strings.Repeat(" ", 600) + `]`
	_, err := Compile([]byte(src))
	want := "Filter is not an object\n at [Source: (String)\"[" + strings.Repeat(" ", 499) + "\"[truncated 102 chars]; line: 1, column: 2]"
	if err == nil || err.Error() != want {
		t.Fatalf("got %q", err)
	}
}

func TestEmptyInput(t *testing.T) {
	for _, src := range []string{"", "   ", "\n"} {
		_, err := Compile([]byte(src))
		if err == nil || !strings.HasPrefix(err.Error(), "Filter is not an object") {
			t.Errorf("Compile(%q) = %v", src, err)
		}
	}
}

// TestLexerTokens walks a document through the token stream.
func TestLexerTokens(t *testing.T) {
	lx := newLexer([]byte(` { "a" : [ "s\u00e9\ud83d\ude00" , -1.5e3 , true , false , null , { } , [ ] ] } trailing`))
	want := []struct {
		k    tokKind
		text string
	}{
		{tokStartObject, ""}, {tokName, "a"}, {tokStartArray, ""}, {tokString, "sé😀"},
		{tokNumber, "-1.5e3"}, {tokTrue, "true"}, {tokFalse, "false"}, {tokNull, "null"},
		{tokStartObject, ""}, {tokEndObject, ""}, {tokStartArray, ""}, {tokEndArray, ""},
		{tokEndArray, ""}, {tokEndObject, ""}, {tokEOF, ""},
	}
	for i, w := range want {
		k := lx.next()
		if k != w.k {
			t.Fatalf("token %d: kind %d, want %d", i, k, w.k)
		}
		if w.text != "" && lx.text != w.text {
			t.Fatalf("token %d: text %q, want %q", i, lx.text, w.text)
		}
	}
}
