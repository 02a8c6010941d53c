package transform

import (
	"testing"
)

func TestRenderModes(t *testing.T) {
	cases := []struct {
		raw                   string
		asJSON, inStr, asText string
	}{
		{`"text"`, `"text"`, `text`, `text`},
		{`"say \"hi\""`, `"say \"hi\""`, `say "hi"`, `say "hi"`},
		{`"a\nb\u00e9"`, `"a\nb\u00e9"`, "a\nbé", "a\nbé"},
		{`""`, `""`, ``, ``},
		{`12.50`, `12.50`, `12.50`, `12.50`},
		{`-1e3`, `-1e3`, `-1e3`, `-1e3`},
		{`true`, `true`, `true`, `true`},
		{`null`, `null`, `null`, `null`},
		{`{ "acc_id" : "0a787ecb-4015", "sf_id":"baz" }`, `{"acc_id":"0a787ecb-4015","sf_id":"baz"}`,
			`{"acc_id":"0a787ecb-4015","sf_id":"baz"}`, `{acc_id:0a787ecb-4015,sf_id:baz}`},
		{`["ACTIVE", "INACTIVE"]`, `["ACTIVE","INACTIVE"]`, `["ACTIVE","INACTIVE"]`, `[ACTIVE,INACTIVE]`},
		{`["HIGH"]`, `["HIGH"]`, `["HIGH"]`, `[HIGH]`},
		{`{"a":{"b":[1,{"c":"x y"}]},"d":[]}`, `{"a":{"b":[1,{"c":"x y"}]},"d":[]}`,
			`{"a":{"b":[1,{"c":"x y"}]},"d":[]}`, `{a:{b:[1,{c:x y}]},d:[]}`},
		{"[\n 1,\t2\r\n]", `[1,2]`, `[1,2]`, `[1,2]`},
		{`{"k\"q":"v"}`, `{"k\"q":"v"}`, `{"k\"q":"v"}`, `{k"q:v}`},
	}
	for _, c := range cases {
		raw := []byte(c.raw)
		if got := appendValue(nil, raw, asJSON); string(got) != c.asJSON {
			t.Errorf("asJSON(%s) = %s, want %s", c.raw, got, c.asJSON)
		}
		if got := appendValue(nil, raw, inString); string(got) != c.inStr {
			t.Errorf("inString(%s) = %s, want %s", c.raw, got, c.inStr)
		}
		if got := appendValue(nil, raw, asText); string(got) != c.asText {
			t.Errorf("asText(%s) = %s, want %s", c.raw, got, c.asText)
		}
	}
}

func TestAppendJSONKeepsStrings(t *testing.T) {
	// Whitespace inside strings, escaped quotes included, is kept.
	in := `{ "a b" : "c \" d" , "e" : [ " f " ] }`
	if got, want := string(appendJSON(nil, []byte(in))), `{"a b":"c \" d","e":[" f "]}`; got != want {
		t.Errorf("appendJSON = %s, want %s", got, want)
	}
	// Broken input does not panic and is copied through.
	for _, in := range []string{`"open`, `{"a":"b`, `\`, `"\`} {
		_ = appendJSON(nil, []byte(in))
		_ = appendText(nil, []byte(in))
	}
}
