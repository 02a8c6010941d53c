package transform

import (
	"strings"
	"testing"
)

const pathEvent = `{"version":"0","id":"e1","detail-type":"Order Placed","source":"shop",
 "account":"111111111111","time":"2026-01-01T12:00:00Z","region":"us-east-1",
 "resources":["arn:a","arn:b"],
 "detail":{"order":{"id":42,"items":[{"sku":"A","qty":1},{"sku":"B","qty":2},{"sku":"C"}],"paid":true,"note":null},
  "a.b":"dotted","@timestamp":"t","a/b":"slashed","with space":1,"it's":"q","名前":"unicode",
  "esc\u0061ped":"decoded key","dup":1,"dup":{"x":2},"empty":{},"none":[]}}`

func TestPath(t *testing.T) {
	cases := []struct {
		path string
		want string // "" when the path has no value
	}{
		{`$`, strings.TrimSpace(pathEvent)},
		{`$.id`, `"e1"`},
		{`$.detail-type`, `"Order Placed"`},
		{`$.resources`, `["arn:a","arn:b"]`},
		{`$.resources[1]`, `"arn:b"`},
		{`$.resources[2]`, ``},
		{`$.detail.order.id`, `42`},
		{`$.detail.order.paid`, `true`},
		{`$.detail.order.note`, `null`},
		{`$.detail.order.items[0].sku`, `"A"`},
		{`$.detail.order.items[2].qty`, ``},
		{`$.detail['order']['items'][1]["sku"]`, `"B"`},
		{`$.detail['a.b']`, `"dotted"`},
		{`$.detail.a.b`, ``}, // dots are steps: "a" does not exist
		{`$.detail.@timestamp`, `"t"`},
		{`$.detail.a/b`, `"slashed"`},
		{`$.detail['with space']`, `1`},
		{`$.detail['it\'s']`, `"q"`},
		{`$.detail.名前`, `"unicode"`},
		{`$.detail.escaped`, `"decoded key"`},
		{`$.detail.dup`, `{"x":2}`}, // the last occurrence wins
		{`$.detail.dup.x`, `2`},
		{`$.detail.empty`, `{}`},
		{`$.detail.none`, `[]`},
		{`$.detail.none[0]`, ``},
		{`$.detail.missing`, ``},
		{`$.detail.missing.deeper`, ``},
		{`$.id.deeper`, ``},
		{`$.resources.x`, ``},
		{`$.detail[0]`, ``},
		// Wildcards: a JSON array of the matches, in document order.
		{`$.resources[*]`, `["arn:a","arn:b"]`},
		{`$.detail.order.items[*].sku`, `["A","B","C"]`},
		{`$.detail.order.items[*].qty`, `[1,2]`},
		{`$.detail.order.*`, `[42,[{"sku":"A","qty":1},{"sku":"B","qty":2},{"sku":"C"}],true,null]`},
		{`$.detail.order.items.*.sku`, `["A","B","C"]`},
		{`$.detail.missing[*]`, `[]`},
		{`$.detail.empty.*`, `[]`},
		{`$.id[*]`, `[]`},
	}
	for _, c := range cases {
		if !ValidPath(c.path) {
			t.Errorf("ValidPath(%q) = false", c.path)
			continue
		}
		raw, ok := Path([]byte(pathEvent), c.path)
		if got := string(raw); ok != (c.want != "") || got != c.want {
			t.Errorf("Path(%q) = %q, %v; want %q", c.path, got, ok, c.want)
		}
	}
}

func TestValidPath(t *testing.T) {
	cases := []struct {
		path string
		ok   bool
	}{
		{`$`, true},
		{`$.detail`, true},
		{`$.detail-type`, true},
		{`$.detail.a_b-c/d`, true},
		{`$.detail[0]`, true},
		{`$.detail[123456789]`, true},
		{`$.detail[1234567890]`, false},
		{`$.detail[*]`, true},
		{`$.detail.*`, true},
		{`$['detail']`, true},
		{`$["detail"]`, true},
		{`$['a\'b']`, true},
		{``, false},
		{`detail`, false},
		{`$.`, false},
		{`$..detail`, false},
		{`$.detail.`, false},
		{`$.detail[`, false},
		{`$.detail[]`, false},
		{`$.detail[-1]`, false},
		{`$.detail[0:2]`, false},
		{`$.detail[?(@.x)]`, false},
		{`$.detail['a','b']`, false},
		{`$.detail['unterminated]`, false},
		{`$.de tail`, false},
		{`$.a*`, false},
		{`$detail`, false},
		{"$.\xff", false},
	}
	for _, c := range cases {
		if got := ValidPath(c.path); got != c.ok {
			t.Errorf("ValidPath(%q) = %v, want %v", c.path, got, c.ok)
		}
	}
}

func TestPathNotJSON(t *testing.T) {
	for _, ev := range []string{``, ` `, `{`, `{"a":`, `{"a" 1}`, `{"a":1,}`, `[1 2]`, `"`, `{"a":"\`, `nul`} {
		if raw, ok := Path([]byte(ev), `$.a`); ok {
			t.Errorf("Path(%q, $.a) = %q, true", ev, raw)
		}
	}
	if _, ok := Path([]byte(`{"a":1}`), `not a path`); ok {
		t.Error("invalid path found a value")
	}
}

func TestPathHugeEvent(t *testing.T) {
	// A 1 MiB detail with the wanted member last, and deep nesting that a
	// recursive scanner would pay for in stack.
	var b strings.Builder
	b.WriteString(`{"detail":{"pad":"`)
	b.WriteString(strings.Repeat("x", 1<<20))
	b.WriteString(`","deep":`)
	b.WriteString(strings.Repeat("[", 100000))
	b.WriteString(strings.Repeat("]", 100000))
	b.WriteString(`,"last":"found"}}`)
	raw, ok := Path([]byte(b.String()), "$.detail.last")
	if !ok || string(raw) != `"found"` {
		t.Fatalf("Path = %q, %v", raw, ok)
	}
}

// TestPathForDelivery covers the other users of Path: HttpParameters
// dynamic values, Kinesis PartitionKeyPath and SQS MessageGroupId read a
// value from the original event and use its text.
func TestPathForDelivery(t *testing.T) {
	ev := []byte(`{"id":"e-1","detail":{"customer":{"id":"c 9","tier":3,"vip":true,"tags":["a","b"],"addr":{"zip":"N1"}},"esc":"x\u0041\"y"}}`)
	cases := []struct{ path, text string }{
		{"$.id", "e-1"},
		{"$.detail.customer.id", "c 9"},
		{"$.detail.customer.tier", "3"},
		{"$.detail.customer.vip", "true"},
		{"$.detail.customer.tags", "[a,b]"},
		{"$.detail.customer.tags[1]", "b"},
		{"$.detail.customer.addr", "{zip:N1}"},
		{"$.detail.esc", `xA"y`},
		{"$.detail.customer.tags[*]", "[a,b]"},
	}
	for _, c := range cases {
		raw, ok := Path(ev, c.path)
		if !ok {
			t.Errorf("Path(%s) missing", c.path)
			continue
		}
		if got := string(AppendText(nil, raw)); got != c.text {
			t.Errorf("text of %s = %q, want %q", c.path, got, c.text)
		}
	}
}

// TestPathWildcardRepeatedKey pins down a choice the reference cannot
// check: inside a wildcard, every occurrence of a repeated key matches.
func TestPathWildcardRepeatedKey(t *testing.T) {
	ev := []byte(`{"a":[{"k":1,"k":2},{"k":3}],"o":{"x":1,"x":2}}`)
	for path, want := range map[string]string{
		"$.a[*].k": `[1,2,3]`,
		"$.o.*":    `[1,2]`,
		"$.o.x":    `2`,
		"$.a[1].k": `3`,
	} {
		if raw, ok := Path(ev, path); !ok || string(raw) != want {
			t.Errorf("Path(%s) = %s, %v; want %s", path, raw, ok, want)
		}
	}
}

func TestPathWhitespace(t *testing.T) {
	ev := []byte(" {\n \"a\" : [ 1 , { \"b\" :\t\"x\" } ] ,\r\n \"c\" : null } ")
	for path, want := range map[string]string{
		"$.a[1].b": `"x"`,
		"$.a[0]":   `1`,
		"$.c":      `null`,
		"$.a[1]":   `{ "b" :	"x" }`,
	} {
		if raw, ok := Path(ev, path); !ok || string(raw) != want {
			t.Errorf("Path(%s) = %q, %v; want %q", path, raw, ok, want)
		}
	}
}
