package transform

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidJSON(t *testing.T) {
	cases := []string{
		`{}`, `[]`, `""`, `0`, `-0`, `1.5`, `-1.5e-3`, `1E+2`, `true`, `false`, `null`,
		` {"a" : [1, {"b": null}], "c": "\u00e9\n"} `,
		`[[[[[[[[[[]]]]]]]]]]`, `{"a":{"b":{"c":{}}}}`, `["a","b",]`, `[,]`, `{,}`, `{"a"}`,
		`{"a":}`, `{"a" 1}`, `{1:2}`, `[1 2]`, `01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `0x1`,
		`tru`, `nulll`, `True`, `"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"a\tb\"", "\"\x00\"",
		`"\/"`, `{"a":1}}`, `[1]]`, `}`, ``, ` `, `"a" "b"`, `{"a":1,"a":2}`, "\"\xff\"",
		strings.Repeat("[", 1000) + strings.Repeat("]", 1000),
		strings.Repeat("[", 1000) + strings.Repeat("]", 999),
	}
	for _, c := range cases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%q) = %v, encoding/json says %v", c, got, want)
		}
	}
}

func TestValidPrefix(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{`"a"`, true},
		{`"a" trailing text`, true},
		{`"a"x`, true},
		{"\"line 1\"\n\"line 2\"", true},
		{`"instance "i-0123456789" is in RUNNING"`, true},
		{`{"a":1} and more`, true},
		{`[1] more`, true},
		{`  "lead"`, true},
		{`12 items`, true},
		{`12`, true},
		{`12items`, false},
		{`12"x"`, false},
		{`true`, true},
		{`true!`, true},
		{`true x`, true},
		{`truex`, false},
		{`true_`, false},
		{`null1`, false},
		{`[HIGH] single list item`, false},
		{`0a787ecb-4015 user id`, false},
		{`{acc_id:1}`, false},
		{`"unterminated`, false},
		{``, false},
		{`   `, false},
	}
	for _, c := range cases {
		if got := validPrefix([]byte(c.in)); got != c.want {
			t.Errorf("validPrefix(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestValidValueOffsets(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{`1 2`, 1},
		{`{"a":[1]}x`, 9},
		{`"s"x`, 3},
		{`-0.5e10,`, 7},
		{`[1,`, -1},
	}
	for _, c := range cases {
		if got := validValue([]byte(c.in), 0); got != c.want {
			t.Errorf("validValue(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}
