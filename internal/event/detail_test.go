package event

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// refCompactObject is the implementation appendCompactObject replaced
// (json.Compact, then a depth scan), kept as the reference it must match.
func refCompactObject(s string) ([]byte, bool) {
	t := strings.TrimLeft(s, " \t\r\n")
	if t == "" || t[0] != '{' {
		return nil, false
	}
	var b bytes.Buffer
	b.Grow(len(s))
	if err := json.Compact(&b, []byte(s)); err != nil {
		return nil, false
	}
	if refDepth(b.Bytes()) > maxDetailDepth {
		return nil, false
	}
	return b.Bytes(), true
}

// refDepth is the deepest nesting of objects and arrays in valid compact JSON.
func refDepth(js []byte) int {
	d, maxd, inStr := 0, 0, false
	for i := 0; i < len(js); i++ {
		c := js[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			d++
			maxd = max(maxd, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return maxd
}

// compactCases are Details with the compact form expected ("" when refused),
// each an edge of json.Valid's grammar, json.Compact's output or the depth
// limit.
var compactCases = []struct{ in, out string }{
	{`{}`, `{}`},
	{" \t\r\n{ \t\r\n} \t\r\n", `{}`},
	{`{"a":1}`, `{"a":1}`},
	{` { "a" : [ 1 , 2 ] , "b" : { } , "c" : [ ] } `, `{"a":[1,2],"b":{},"c":[]}`},
	{`{"a":"x y\tz"}`, `{"a":"x y\tz"}`},                           // white space inside strings stays
	{"{\"a\":\"x \xff\xfe y\"}", "{\"a\":\"x \xff\xfe y\"}"},       // invalid UTF-8: valid JSON to encoding/json, copied as is
	{"{\"\xed\xa0\x80\":\"\xc0\"}", "{\"\xed\xa0\x80\":\"\xc0\"}"}, // surrogate and overlong encodings likewise
	{`{"a":"\ud800"}`, `{"a":"\ud800"}`},                           // lone surrogate escape: syntax is fine
	{`{"a":"\"\\\/\b\f\n\r\t\u00e9\uABCD"}`, `{"a":"\"\\\/\b\f\n\r\t\u00e9\uABCD"}`},
	{`{"a":[true,false,null]}`, `{"a":[true,false,null]}`},
	{`{"n":[0,-0,1,-1,10,1.5,-1.5e10,1E+2,1e-2,0.0,123456789012345678901234567890]}`, `{"n":[0,-0,1,-1,10,1.5,-1.5e10,1E+2,1e-2,0.0,123456789012345678901234567890]}`},
	{`{"a":{"b":{"c":[{"d":[[],[{}]]}]}}}`, `{"a":{"b":{"c":[{"d":[[],[{}]]}]}}}`},
	{`{"a":1,"a":2}`, `{"a":1,"a":2}`}, // duplicate names are valid JSON
	{`{"a":` + strings.Repeat(`[`, 999) + strings.Repeat(`]`, 999) + `}`, `{"a":` + strings.Repeat(`[`, 999) + strings.Repeat(`]`, 999) + `}`},
	{strings.Repeat(`{"a":`, 1000) + `1` + strings.Repeat(`}`, 1000), strings.Repeat(`{"a":`, 1000) + `1` + strings.Repeat(`}`, 1000)},

	// Refused.
	{``, ``},
	{` `, ``},
	{`[]`, ``},
	{`"{}"`, ``},
	{`null`, ``},
	{`1`, ``},
	{`{`, ``},
	{`}`, ``},
	{`{}}`, ``},
	{`{} {}`, ``},
	{`{} x`, ``},
	{"{}\x00", ``},
	{"\v{}", ``}, // only space, tab, CR and LF are JSON white space
	{"{}\f", ``},
	{"\u00a0{}", ``},
	{`{"a"}`, ``},
	{`{"a":}`, ``},
	{`{"a" 1}`, ``},
	{`{a:1}`, ``},
	{`{'a':1}`, ``},
	{`{"a":1,}`, ``},
	{`{,"a":1}`, ``},
	{`{"a":1 "b":2}`, ``},
	{`{"a":[1,]}`, ``},
	{`{"a":[,1]}`, ``},
	{`{"a":[1 2]}`, ``},
	{`{"a":[}`, ``},
	{`{"a":{]}`, ``},
	{`{"a":[1}`, ``},
	{`{"a":{"b":1]}`, ``},
	{`{1:1}`, ``},
	{`{"a":01}`, ``},
	{`{"a":-01}`, ``},
	{`{"a":+1}`, ``},
	{`{"a":.5}`, ``},
	{`{"a":1.}`, ``},
	{`{"a":1.e2}`, ``},
	{`{"a":1e}`, ``},
	{`{"a":1e+}`, ``},
	{`{"a":-}`, ``},
	{`{"a":0x1}`, ``},
	{`{"a":NaN}`, ``},
	{`{"a":Infinity}`, ``},
	{`{"a":tru}`, ``},
	{`{"a":True}`, ``},
	{`{"a":nul}`, ``},
	{`{"a":truex}`, ``},
	{`{"a":nullnull}`, ``},
	{`{"a":"x}`, ``},
	{`{"a":"\x"}`, ``},
	{`{"a":"\'"}`, ``},
	{`{"a":"\u12"}`, ``},
	{`{"a":"\u12G4"}`, ``},
	{`{"a":"\U1234"}`, ``},
	{`{"a":"\`, ``},
	{"{\"a\":\"\t\"}", ``}, // raw control characters
	{"{\"a\":\"\n\"}", ``},
	{"{\"a\":\"\x1f\"}", ``},
	{"{\"a\x00\":1}", ``},
	{`{"a":` + strings.Repeat(`[`, 1000) + strings.Repeat(`]`, 1000) + `}`, ``},
	{strings.Repeat(`{"a":`, 1001) + `1` + strings.Repeat(`}`, 1001), ``},
	{`{"a":` + strings.Repeat(`[`, 20000), ``},
}

func TestAppendCompactObject(t *testing.T) {
	for _, c := range compactCases {
		name := c.in
		if len(name) > 60 {
			name = name[:60] + "..."
		}
		got, ok := appendCompactObject(nil, c.in)
		want, wantOK := refCompactObject(c.in)
		if ok != (c.out != "") || string(got) != c.out {
			t.Errorf("%q: got %q %v, want %q", name, got, ok, c.out)
		}
		if ok != wantOK || !bytes.Equal(got, want) {
			t.Errorf("%q: got %q %v, reference %q %v", name, got, ok, want, wantOK)
		}
	}
}

// The destination keeps what it held, on success and on refusal.
func TestAppendCompactObjectAppends(t *testing.T) {
	dst := []byte("prefix")
	got, ok := appendCompactObject(dst, ` { "a" : 1 } `)
	if !ok || string(got) != `prefix{"a":1}` {
		t.Errorf("got %q %v", got, ok)
	}
	got, ok = appendCompactObject(dst, ` { "a" : 1 `)
	if ok || string(got) != "prefix" {
		t.Errorf("refused: got %q %v", got, ok)
	}
}

func TestAppendCompactObjectAllocs(t *testing.T) {
	d := detail1K()
	dst := make([]byte, 0, 2*len(d))
	n := testing.AllocsPerRun(100, func() {
		var ok bool
		if dst, ok = appendCompactObject(dst[:0], d); !ok {
			t.Fatal("refused")
		}
	})
	if n != 0 {
		t.Errorf("appendCompactObject allocates %v times with room in dst", n)
	}
}

// FuzzCompactObject holds appendCompactObject to the implementation it
// replaced: the same verdict and the same bytes for every input, and json.Valid
// agreeing whenever it accepts.
func FuzzCompactObject(f *testing.F) {
	for _, c := range compactCases {
		f.Add(c.in)
	}
	f.Add(detail1K())
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := appendCompactObject([]byte("p"), s)
		want, wantOK := refCompactObject(s)
		if ok != wantOK {
			t.Fatalf("%q: accepted %v, reference %v", s, ok, wantOK)
		}
		if !ok {
			if string(got) != "p" {
				t.Fatalf("%q: refused but dst changed to %q", s, got)
			}
			return
		}
		if string(got[1:]) != string(want) {
			t.Fatalf("%q: compacted to %q, reference %q", s, got[1:], want)
		}
		if !json.Valid([]byte(s)) {
			t.Fatalf("%q: accepted but not json.Valid", s)
		}
	})
}

// detail1K is a Detail of 1 KB as applications send them: compact, nested
// a few levels, mostly short strings and numbers.
func detail1K() string {
	d := `{"orderId":"7f4c1e2a-9b3d-4c5e-8f6a-1b2c3d4e5f60","status":"PLACED","placedAt":"2026-11-22T09:07:21.123Z",` +
		`"customer":{"id":"cus_41f0a9","tier":"gold","email":"someone@example.com","address":{"line1":"1 Main St","city":"Springfield","zip":"12345","country":"US"}},` +
		`"items":[{"sku":"SKU-0001","name":"Widget \"Pro\"","qty":2,"price":19.99,"tags":["tools","sale"]},` +
		`{"sku":"SKU-0002","name":"Gadget","qty":1,"price":249.5,"tags":[]},{"sku":"SKU-0003","name":"Caf\u00e9 beans","qty":3,"price":12.0,"tags":["food"]}],` +
		`"totals":{"subtotal":326.48,"tax":26.12,"shipping":0,"total":352.6,"currency":"USD"},"gift":false,"coupon":null,` +
		`"notes":"Leave at the door, ring twice.\nThanks!","metadata":{"channel":"web","sessionId":"s-8c1d2e3f","experiments":["checkout-v2","free-shipping"],"score":0.87}`
	for len(d) < 1020 {
		d += `,"x":1`
	}
	return d + `}`
}

// BenchmarkCompactObject compares the replaced implementation (json.Compact
// plus a depth scan) with appendCompactObject on a 1 KB Detail, compact and
// indented, and as Check calls it (a fresh buffer per Detail).
func BenchmarkCompactObject(b *testing.B) {
	compact := detail1K()
	var ind bytes.Buffer
	if err := json.Indent(&ind, []byte(compact), "", "  "); err != nil {
		b.Fatal(err)
	}
	for _, in := range []struct{ name, s string }{{"compact", compact}, {"indented", ind.String()}} {
		b.Run(in.name+"/before", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := refCompactObject(in.s); !ok {
					b.Fatal("refused")
				}
			}
		})
		b.Run(in.name+"/after", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			b.ReportAllocs()
			dst := make([]byte, 0, len(in.s))
			for b.Loop() {
				var ok bool
				if dst, ok = appendCompactObject(dst[:0], in.s); !ok {
					b.Fatal("refused")
				}
			}
		})
		b.Run(in.name+"/after-fresh-buffer", func(b *testing.B) {
			b.SetBytes(int64(len(in.s)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := appendCompactObject(make([]byte, 0, len(in.s)), in.s); !ok {
					b.Fatal("refused")
				}
			}
		})
	}
}
