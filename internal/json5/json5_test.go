package json5

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestToJSON(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"a": 1,}`, `{"a": 1}`},
		{"// c\n{\"a\": [1, 2, ],\n}", "\n{\"a\": [1, 2]}"},
		{`{/* x */"a": "*/dir/*"}`, `{"a": "*/dir/*"}`},
		{`{"a": "say \"//\", ok"}`, `{"a": "say \"//\", ok"}`},
		{`{"a": "x",` + "\n  // trailing\n}", `{"a": "x"}`},
	}
	for _, c := range cases {
		got := ToJSON([]byte(c.in))
		var g, w bytes.Buffer
		if err := json.Compact(&g, got); err != nil {
			t.Errorf("ToJSON(%q) is not JSON: %q", c.in, got)
			continue
		}
		_ = json.Compact(&w, []byte(c.want))
		if g.String() != w.String() {
			t.Errorf("ToJSON(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
