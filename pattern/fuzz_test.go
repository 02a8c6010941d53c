package pattern

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestReferenceAgrees checks the reference matcher itself against the
// AWS-validated corpus and the operator table, so the differential fuzz
// test compares against something trustworthy.
func TestReferenceAgrees(t *testing.T) {
	for _, c := range loadConformance(t) {
		if c.want == "reject" {
			continue
		}
		got, err := refMatch(c.pattern, c.event)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != (c.want == "match") {
			t.Errorf("reference disagrees with AWS on %s", c.name)
		}
	}
	for _, c := range operatorCases {
		got, err := refMatch([]byte(c.pattern), []byte(c.event))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("reference disagrees with table on %s", c.name)
		}
	}
}

// gen turns fuzzer bytes into choices; once the bytes run out it keeps
// returning zero, which picks the first (simplest) option.
type gen struct {
	b []byte
}

func (g *gen) n(k int) int {
	if len(g.b) == 0 || k <= 1 {
		return 0
	}
	v := int(g.b[0])
	g.b = g.b[1:]
	return v % k
}

var (
	genKeys    = []string{"a", "b", "c", "a.b", "d"}
	genStrings = []string{"x", "X", "xy", "", "straße", "STRASSE", "10.0.0.1", "10.0.1.7", "2001:db8::1", "a*b", "ab", "ba", "null", "1"}
	genNumbers = []string{"0", "1", "300", "3e2", "300.0", "-1.5", "0.1", "0.10", "12345678901234567890123", "1e400", "-0"}
)

func (g *gen) scalar() string {
	switch g.n(5) {
	case 0, 1:
		return strconvQuote(genStrings[g.n(len(genStrings))])
	case 2:
		return genNumbers[g.n(len(genNumbers))]
	case 3:
		return []string{"true", "false", "null"}[g.n(3)]
	}
	return strconvQuote(genStrings[g.n(len(genStrings))])
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (g *gen) event(depth int) string {
	var sb strings.Builder
	sb.WriteString("{")
	n := 1 + g.n(4)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(strconvQuote(genKeys[g.n(len(genKeys))]))
		sb.WriteString(":")
		sb.WriteString(g.eventValue(depth))
	}
	sb.WriteString("}")
	return sb.String()
}

func (g *gen) eventValue(depth int) string {
	k := g.n(6)
	if depth > 3 {
		k = 0
	}
	switch k {
	case 3:
		return g.event(depth + 1)
	case 4, 5:
		var parts []string
		for i := g.n(4); i > 0; i-- {
			parts = append(parts, g.eventValue(depth+1))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return g.scalar()
}

func (g *gen) condition() string {
	s := func() string { return strconvQuote(genStrings[g.n(len(genStrings))]) }
	num := func() string { return genNumbers[g.n(7)] } // finite ones
	switch g.n(16) {
	case 0, 1, 2:
		return g.scalar()
	case 3:
		return `{"prefix":` + s() + `}`
	case 4:
		return `{"suffix":` + s() + `}`
	case 5:
		return `{"equals-ignore-case":` + s() + `}`
	case 6:
		return `{"prefix":{"equals-ignore-case":` + s() + `}}`
	case 7:
		return `{"wildcard":` + []string{`"*"`, `"a*"`, `"*b"`, `"x*y"`, `"a\\*b"`, `""`, `"*a*"`}[g.n(7)] + `}`
	case 8:
		ops := []string{`["=",%s]`, `["<",%s]`, `[">=",%s]`, `[">",%s,"<=",1000]`}
		return `{"numeric":` + fmt.Sprintf(ops[g.n(len(ops))], num()) + `}`
	case 9:
		return `{"exists":` + []string{"true", "false"}[g.n(2)] + `}`
	case 10:
		return `{"cidr":` + []string{`"10.0.0.0/24"`, `"10.0.0.0/8"`, `"2001:db8::/32"`}[g.n(3)] + `}`
	case 11:
		return `{"anything-but":` + s() + `}`
	case 12:
		return `{"anything-but":[` + num() + `,` + num() + `]}`
	case 13:
		op := []string{"prefix", "suffix", "equals-ignore-case"}[g.n(3)]
		v := s()
		if (op == "prefix" || op == "suffix") && v == `""` {
			v = `"x"`
		}
		return `{"anything-but":{"` + op + `":` + v + `}}`
	case 14:
		return `{"anything-but":{"wildcard":["*y","x*"]}}`
	}
	return `{"exactly":` + s() + `}`
}

func (g *gen) pattern(depth int) string {
	var parts []string
	for i := 1 + g.n(3); i > 0; i-- {
		key := strconvQuote(genKeys[g.n(len(genKeys))])
		switch k := g.n(6); {
		case k == 4 && depth < 2:
			parts = append(parts, key+":"+g.pattern(depth+1))
		case k == 5 && depth < 2:
			parts = append(parts, `"$or":[`+g.pattern(depth+1)+","+g.pattern(depth+1)+"]")
		default:
			var conds []string
			for j := 1 + g.n(3); j > 0; j-- {
				conds = append(conds, g.condition())
			}
			parts = append(parts, key+":["+strings.Join(conds, ",")+"]")
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// FuzzMatch generates patterns and an event from the fuzzer's bytes and
// compares Pattern.Match, and a Matcher holding all the patterns (so that
// they share conditions and key slots), with the reference matcher.
func FuzzMatch(f *testing.F) {
	for _, seed := range []string{"", "\x01\x02\x03", "\x04\x05\x06\x07\x08\x09", "\xff\xfe\xfd\xfc\xfb\xfa\xf9", "\x05\x03\x04\x05\x02\x01\x00\x07"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		pats := []string{g.pattern(0), g.pattern(0), g.pattern(0)}
		ev := g.event(0)
		checkDifferential(t, pats, ev)
	})
}

func checkDifferential(t *testing.T, pats []string, ev string) {
	evTree, err := refDecode([]byte(ev))
	if err != nil || refHasDuplicateKeys(evTree) {
		return
	}
	m := NewMatcher()
	want := map[string]bool{}
	for i, pat := range pats {
		p, err := Compile([]byte(pat))
		if err != nil {
			continue // generated combinations may be invalid (e.g. mixed anything-but)
		}
		w, err := refMatch([]byte(pat), []byte(ev))
		if err != nil {
			t.Fatalf("reference: %v", err)
		}
		got, err := p.Match([]byte(ev))
		if err != nil {
			t.Fatalf("Match: %v\nevent: %s", err, ev)
		}
		if got != w {
			t.Fatalf("Match = %v, reference = %v\npattern: %s\nevent:   %s", got, w, pat, ev)
		}
		name := fmt.Sprint(i)
		m.Add(name, p)
		want[name] = w
	}
	names, err := m.Match([]byte(ev))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, n := range names {
		got[n] = true
	}
	for name, w := range want {
		if got[name] != w {
			t.Fatalf("Matcher says pattern %s = %v, reference = %v\npatterns: %q\nevent:   %s", name, got[name], w, pats, ev)
		}
	}
}

// FuzzCompile feeds arbitrary bytes to Compile and, when they compile, an
// arbitrary event to Match: neither may panic, and errors must be typed.
func FuzzCompile(f *testing.F) {
	for _, c := range rejectCases {
		f.Add([]byte(c.pattern), []byte(`{"a":1}`))
	}
	for _, c := range operatorCases {
		f.Add([]byte(c.pattern), []byte(c.event))
	}
	f.Fuzz(func(t *testing.T, pat, ev []byte) {
		p, err := Compile(pat)
		if err != nil {
			if _, ok := err.(*CompileError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		p.Match(ev)
		m := NewMatcher()
		m.Add("x", p)
		m.Match(ev)
	})
}
