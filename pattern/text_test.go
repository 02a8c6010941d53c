package pattern

import (
	"testing"
)

func TestFoldCase(t *testing.T) {
	pairs := [][2]string{
		{"straße", "STRASSE"},
		{"Straße", "strasse"},
		{"ẞ", "ss"},
		{"ǅ", "ǆ"},
		{"ΣΊΣΥΦΟΣ", "σίσυφος"},
		{"ﬁle", "FILE"},
		{"ABC", "abc"},
		{"\xff", "\xff"},
	}
	for _, p := range pairs {
		a, b := foldCase(nil, []byte(p[0])), foldCase(nil, []byte(p[1]))
		if string(a) != string(b) {
			t.Errorf("fold(%q) = %q, fold(%q) = %q", p[0], a, p[1], b)
		}
	}
	if string(foldCase(nil, []byte("abc"))) == string(foldCase(nil, []byte("abd"))) {
		t.Error("different strings fold equal")
	}
}

func TestWildcardMatch(t *testing.T) {
	cases := []struct {
		pattern, value string
		want           bool
	}{
		{"*", "", true},
		{"*", "anything", true},
		{"a*", "a", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "acb", false},
		{"*ab*ab*", "abab", true},
		{"*ab*ab*", "aba", false},
		{`a\*b`, "a*b", true},
		{`a\\b`, `a\b`, true},
		{`a\\*`, `a\xyz`, true},
		{"", "", true},
		{"", "a", false},
	}
	for _, c := range cases {
		w := parseWildcard(c.pattern)
		if got := w.match([]byte(c.value)); got != c.want {
			t.Errorf("wildcard %q on %q = %v", c.pattern, c.value, got)
		}
		if got := refWildcard(c.pattern, c.value); got != c.want {
			t.Errorf("reference wildcard %q on %q = %v", c.pattern, c.value, got)
		}
	}
}

// TestWildcardComplexity pins the measure on the patterns that calibrate
// the limit: AWS accepts the first group and rejects the last.
func TestWildcardComplexity(t *testing.T) {
	cases := []struct {
		pattern string
		want    int
	}{
		{"/Users/*/doc.txt", 3},
		{"arn:aws:events:us-east-1:*:event-bus/*", 4},
		{"*/dir/*", 4},
		{"/Users/*/dir/dir/dir/dir/dir/doc.txt", 8}, // AWS accepts (corpus)
		{"*:*:*:*:*:event-bus/*", 12},               // AWS rejects (corpus)
	}
	for _, c := range cases {
		w := parseWildcard(c.pattern)
		if got := w.complexity(); got != c.want {
			t.Errorf("complexity(%q) = %d, want %d", c.pattern, got, c.want)
		}
	}
	if maxWildcardComplexity < 8 || maxWildcardComplexity >= 12 {
		t.Fatalf("limit %d does not separate the AWS-validated cases", maxWildcardComplexity)
	}
}

func TestParseIP(t *testing.T) {
	cases := []struct {
		in     string
		ok, v4 bool
	}{
		{"10.0.0.1", true, true},
		{"255.255.255.255", true, true},
		{"010.0.0.1", true, true}, // Java accepts leading zeros as decimal
		{"256.0.0.1", false, false},
		{"10.0.0", false, false},
		{"10.0.0.1.2", false, false},
		{"::1", true, false},
		{"2001:DB8::1", true, false},
		{"2001:db8::g", false, false},
		{"::ffff:1.2.3.4", false, false}, // not matched by Event Ruler's pattern
		{"", false, false},
		{"abc", false, false},
	}
	for _, c := range cases {
		_, v4, ok := parseIP([]byte(c.in))
		if ok != c.ok || ok && v4 != c.v4 {
			t.Errorf("parseIP(%q) = v4 %v ok %v", c.in, v4, ok)
		}
	}
}

func TestJSON5(t *testing.T) {
	in := `// c
{ "a": "x/*y*/z", /* gone */ "b": [1, 2,], "c": "//", }`
	want := `
{ "a": "x/*y*/z",  "b": [1, 2], "c": "//" }`
	if got := string(json5ToJSON([]byte(in))); got != want {
		t.Fatalf("got %q", got)
	}
}

// TestLexerPositions pins Jackson's line and column on multi-line input.
func TestLexerPositions(t *testing.T) {
	_, err := Compile([]byte("{\n  \"a\": [1],\n  \"b\": x\n}"))
	want := "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"{\n  \"a\": [1],\n  \"b\": x\n}\"; line: 3, column: 9]"
	if err == nil || err.Error() != want {
		t.Fatalf("got %q", err)
	}
}

// TestTrailingContentIgnored: like Event Ruler, only the first JSON value
// is read.
func TestTrailingContentIgnored(t *testing.T) {
	p := mustCompile(t, `{"a":["x"]} trailing`)
	if ok, _ := p.Match([]byte(`{"a":"x"}`)); !ok {
		t.Fatal("no match")
	}
}

func TestPatternString(t *testing.T) {
	src := `{"a":["x"]}`
	if got := mustCompile(t, src).String(); got != src {
		t.Fatalf("String() = %q", got)
	}
}
