package pattern

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
)

// TestScanEscapes: keys and values with escapes are decoded before lookup
// and comparison.
func TestScanEscapes(t *testing.T) {
	cases := []matchCase{
		{"escaped key", `{"ké":["v"]}`, `{"k\u00e9":"v"}`, true},
		{"escaped value", `{"k":["a\"b"]}`, `{"k":"a\"b"}`, true},
		{"unicode value", `{"k":["é"]}`, `{"k":"\u00e9"}`, true},
		{"surrogate pair", `{"k":["😀"]}`, `{"k":"\ud83d\ude00"}`, true},
		{"slash escape", `{"k":["a/b"]}`, `{"k":"a\/b"}`, true},
		{"escaped dot key", `{"a":{"b":["v"]}}`, `{"a\u002eb":"v"}`, true},
		{"escaped quote in skipped value", `{"k":["v"]}`, `{"x":"\"}{[","k":"v"}`, true},
		{"backslash before quote in skipped", `{"k":["v"]}`, `{"x":"a\\","k":"v"}`, true},
		{"whitespace everywhere", `{"a":{"b":[1]}}`, " \n{ \"a\" :\t{ \"b\" :\r\n [ 1 ] } } \n", true},
		{"skipped nested containers", `{"k":["v"]}`, `{"x":{"y":[{"z":[[],{}]}]},"k":"v"}`, true},
		{"empty object and array", `{"k":[{"exists":false}]}`, `{"k":{},"j":[]}`, true},
	}
	for _, c := range cases {
		p := mustCompile(t, c.pattern)
		got, err := p.Match([]byte(c.event))
		if err != nil || got != c.want {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func TestScanDeepNesting(t *testing.T) {
	p := mustCompile(t, `{"k":["v"]}`)
	deep := `{"x":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `,"k":"v"}`
	if ok, err := p.Match([]byte(deep)); !ok || err != nil {
		t.Fatalf("deep skipped value: %v %v", ok, err)
	}
	deepPath := mustCompile(t, `{"a":{"a":{"a":["v"]}}}`)
	ev := strings.Repeat(`{"a":`, 3) + `"v"` + strings.Repeat("}", 3)
	if ok, err := deepPath.Match([]byte(ev)); !ok || err != nil {
		t.Fatalf("nested path: %v %v", ok, err)
	}
	arrays := `{"k":` + strings.Repeat("[", 200) + `"v"` + strings.Repeat("]", 200) + `}`
	if ok, err := p.Match([]byte(arrays)); !ok || err != nil {
		t.Fatalf("deep arrays on a field: %v %v", ok, err)
	}
}

// randomJSON builds a random JSON value for the skip tests.
func randomJSON(r *rand.Rand, depth int) any {
	switch k := r.Intn(7); {
	case k == 0 && depth < 4:
		m := map[string]any{}
		for i := r.Intn(4); i > 0; i-- {
			m[randomString(r)] = randomJSON(r, depth+1)
		}
		return m
	case k == 1 && depth < 4:
		var a []any
		for i := r.Intn(4); i > 0; i-- {
			a = append(a, randomJSON(r, depth+1))
		}
		return a
	case k == 2:
		return r.NormFloat64() * 1e6
	case k == 3:
		return []any{true, false, nil}[r.Intn(3)]
	}
	return randomString(r)
}

func randomString(r *rand.Rand) string {
	const alphabet = `ab"\{}[]:,. é/` + "\n\t\x01"
	runes := []rune(alphabet)
	var b strings.Builder
	for i := r.Intn(6); i > 0; i-- {
		b.WriteRune(runes[r.Intn(len(runes))])
	}
	return b.String()
}

// TestSkipValue: skipping any valid JSON value lands exactly on its end.
func TestSkipValue(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 3000; i++ {
		v, _ := json.Marshal(randomJSON(r, 0))
		doc := append(append([]byte{}, v...), " ,"...)
		end, err := skipValue(doc, 0)
		if err != nil || end != len(v) {
			t.Fatalf("skipValue(%s) = %d, %v; want %d", v, end, err, len(v))
		}
	}
}

// TestSkipPlain compares the word-at-a-time search with a byte loop.
func TestSkipPlain(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	alphabet := []byte("0123456789.-, eE\"[]{}\x02\x7f\xffabc")
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.Intn(40))
		for j := range b {
			b[j] = alphabet[r.Intn(len(alphabet))]
		}
		start := 0
		if len(b) > 0 {
			start = r.Intn(len(b) + 1)
		}
		want := start
		for want < len(b) && !skipEnd[b[want]] {
			want++
		}
		got := skipPlain(b, start)
		// skipPlain may stop early on 0x02 (harmless: the caller re-checks).
		if got > want || got < want && b[got] != 0x02 {
			t.Fatalf("skipPlain(%q, %d) = %d, want %d", b, start, got, want)
		}
	}
}

// TestMatchRandomEvents: scanning random valid events with several field
// kinds never errors, and agrees with the reference matcher.
func TestMatchRandomEvents(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	pats := []string{
		`{"a":[{"exists":true}]}`,
		`{"a":{"b":[{"exists":true}]}}`,
		`{"a":[{"anything-but":"x"}],"b":[{"exists":false}]}`,
		`{"a":[{"numeric":[">",0]}]}`,
	}
	for i := 0; i < 2000; i++ {
		obj := map[string]any{}
		for _, k := range []string{"a", "b", "a.b", "c"} {
			if r.Intn(2) == 0 {
				obj[k] = randomJSON(r, 1)
			}
		}
		ev, _ := json.Marshal(obj)
		for _, pat := range pats {
			p := mustCompile(t, pat)
			got, err := p.Match(ev)
			if err != nil {
				t.Fatalf("Match(%s): %v", ev, err)
			}
			want, err := refMatch([]byte(pat), ev)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("pattern %s event %s: got %v, reference %v", pat, ev, got, want)
			}
		}
	}
}

func TestMatchErrorKinds(t *testing.T) {
	p := mustCompile(t, `{"a":["x"]}`)
	for _, ev := range []string{`[1]`, `"s"`, `12`, `true`, `null`} {
		if _, err := p.Match([]byte(ev)); err != ErrNotObject {
			t.Errorf("Match(%s) = %v, want ErrNotObject", ev, err)
		}
	}
	for _, ev := range []string{``, `   `, `x`, `{"a":"x"`, `{"a" "x"}`, `{"a":"x",}`, `{"a":["x",]}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":-}`, `{"a":1.}`, `{"a":1e}`} {
		if _, err := p.Match([]byte(ev)); err != ErrSyntax {
			t.Errorf("Match(%q) = %v, want ErrSyntax", ev, err)
		}
	}
}

// TestCitylotsDifferential runs the benchmark rule sets over the in-repo
// corpus sample through one Matcher per set and compares every answer with
// the reference matcher.
func TestCitylotsDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("slow reference matcher")
	}
	events := loadSample(t)
	if len(events) > 120 {
		events = events[:120]
	}
	sets := append([]struct {
		name  string
		rules []string
	}{}, operatorRules...)
	sets = append(sets, struct {
		name  string
		rules []string
	}{"scale", scaleRules(events, 60)})
	for _, set := range sets {
		m := NewMatcher()
		for i, r := range set.rules {
			m.Add(string(rune('A'+i)), mustCompile(t, r))
		}
		for _, ev := range events {
			names, err := m.Match(ev)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, n := range names {
				got[n] = true
			}
			for i, r := range set.rules {
				want, err := refMatch([]byte(r), ev)
				if err != nil {
					t.Fatal(err)
				}
				if got[string(rune('A'+i))] != want {
					t.Fatalf("%s rule %s on event %s: got %v, reference %v", set.name, r, ev[:80], !want, want)
				}
			}
		}
	}
}

func loadSample(t testing.TB) [][]byte {
	t.Helper()
	b, ok := t.(*testing.B)
	if ok {
		return citylots(b)
	}
	data := readGzip(t, "testdata/citylots-sample.jlines.gz")
	var out [][]byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 {
			out = append(out, line)
		}
	}
	return out
}
