package transform

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStringEnd(t *testing.T) {
	long := strings.Repeat("y", 40)
	cases := []struct {
		in   string
		want int
	}{
		{`""`, 2},
		{`"abc"rest`, 5},
		{`"a\"b"`, 6},
		{`"a\\"`, 5},
		{`"a\\\"b"x`, 8},
		{`"\u0022"`, 8},
		{`"` + long + `"`, 42},
		{`"` + long + `\"` + long + `"`, 84},
		{`"` + long + `\\"`, 44},
		{`"unterminated`, -1},
		{`"ends in backslash\`, -1},
		{`"` + long + `\`, -1},
		{`"` + long, -1},
	}
	for _, c := range cases {
		if got := stringEnd([]byte(c.in), 0); got != c.want {
			t.Errorf("stringEnd(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestSkipValue(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{`1,`, 1},
		{`-12.5e3}`, 7},
		{`true]`, 4},
		{`null `, 4},
		{`"s",`, 3},
		{`{}`, 2},
		{`[]x`, 2},
		{`{"a":[1,{"b":"}"}],"c":"]"} tail`, 27},
		{`[[[[]]]]`, 8},
		{`{"a":"\"}"}`, 11},
		{`{"a":1`, -1},
		{`[1,2`, -1},
		{`{"a":"}`, -1},
		{``, -1},
		{`,`, -1},
	}
	for _, c := range cases {
		if got := skipValue([]byte(c.in), 0); got != c.want {
			t.Errorf("skipValue(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestKeyEquals(t *testing.T) {
	cases := []struct {
		lit, name string
		want      bool
	}{
		{`"id"`, "id", true},
		{`"id"`, "Id", false},
		{`"id"`, "idx", false},
		{`""`, "", true},
		{`"a\u0062"`, "ab", true},
		{`"a\u0062"`, `a\u0062`, false},
		{`"a\/b"`, "a/b", true},
		{`"a\"b"`, `a"b`, true},
		{`"caf\u00e9"`, "café", true},
		{`"café"`, "café", true},
		{`"\ud83d\ude00"`, "😀", true},
		{`"\ud83d"`, "\uFFFD", true},
		{"\"\xff\"", "\uFFFD", true},
		{"\"\xff\"", "\xff", false},
		{`"` + strings.Repeat("k", 100) + `\n"`, strings.Repeat("k", 100) + "\n", true},
	}
	for _, c := range cases {
		if got := keyEquals([]byte(c.lit), c.name); got != c.want {
			t.Errorf("keyEquals(%s, %q) = %v, want %v", c.lit, c.name, got, c.want)
		}
	}
}

// TestAppendUnquoted holds the decoder to encoding/json.
func TestAppendUnquoted(t *testing.T) {
	for _, lit := range []string{
		`""`, `"plain"`, `"\"\\\/\b\f\n\r\t"`, `"\u0041\u00e9\u4e2d"`, `"\ud83d\ude00"`,
		`"\ud83d"`, `"\ude00"`, `"\ud83dx"`, `"\ud83d\u0041"`, "\"\xff\xfe\"", "\"ok\xe2\x82\"", `"mixed é \u00e9"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(lit), &want); err != nil {
			t.Fatalf("%s: %v", lit, err)
		}
		if got := appendUnquoted(nil, []byte(lit[1:len(lit)-1])); string(got) != want {
			t.Errorf("appendUnquoted(%s) = %q, want %q", lit, got, want)
		}
	}
}

func TestSkipSpace(t *testing.T) {
	if got := skipSpace([]byte(" \t\r\nx"), 0); got != 4 {
		t.Errorf("skipSpace = %d", got)
	}
	if got := skipSpace([]byte("\v x"), 0); got != 0 {
		t.Errorf("vertical tab is not JSON whitespace: %d", got)
	}
}
