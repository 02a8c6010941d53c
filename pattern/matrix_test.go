package pattern

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// matrixConditions and matrixValues form a cross product: every operator
// against every kind of event value, checked against the reference matcher
// through Pattern.Match and through one Matcher holding all conditions.
var matrixConditions = []string{
	`"abc"`, `""`, `"10.0.0.1"`, `"2001:db8::1"`, `300`, `0.1`, `-0`, `12345678901234567890123`,
	`true`, `false`, `null`,
	`{"exactly":"abc"}`, `{"prefix":"ab"}`, `{"prefix":""}`, `{"suffix":"bc"}`,
	`{"equals-ignore-case":"ABC"}`, `{"prefix":{"equals-ignore-case":"AB"}}`, `{"suffix":{"equals-ignore-case":"BC"}}`,
	`{"wildcard":"a*c"}`, `{"wildcard":"*"}`, `{"wildcard":"a\\*c"}`,
	`{"numeric":["=",300]}`, `{"numeric":[">",0,"<",1]}`, `{"numeric":["<=",-1]}`, `{"numeric":[">=",1e300]}`,
	`{"exists":true}`, `{"exists":false}`,
	`{"cidr":"10.0.0.0/8"}`, `{"cidr":"2001:db8::/48"}`,
	`{"anything-but":"abc"}`, `{"anything-but":["abc","x"]}`, `{"anything-but":300}`, `{"anything-but":[0.1,2]}`,
	`{"anything-but":{"prefix":"ab"}}`, `{"anything-but":{"suffix":["bc","zz"]}}`,
	`{"anything-but":{"equals-ignore-case":"ABC"}}`, `{"anything-but":{"wildcard":"*b*"}}`,
}

var matrixValues = []string{
	`"abc"`, `"ABC"`, `"ab"`, `""`, `"a*c"`, `"axyzc"`, `"10.0.0.1"`, `"10.200.0.9"`, `"2001:0db8:0::1"`,
	`300`, `3e2`, `300.0`, `0.1`, `0.10`, `0.5`, `-0`, `0`, `-5`, `1e301`, `12345678901234567890123`,
	`12345678901234567890124`, `true`, `false`, `null`, `[]`, `{}`, `{"x":1}`,
	`["abc","x"]`, `["x","y"]`, `[300,"abc"]`, `[[null]]`,
}

func TestOperatorMatrix(t *testing.T) {
	m := NewMatcher()
	pats := map[string]string{}
	for i, c := range matrixConditions {
		pat := `{"f":[` + c + `]}`
		p := mustCompile(t, pat)
		name := fmt.Sprint(i)
		pats[name] = pat
		m.Add(name, p)
	}
	for _, v := range matrixValues {
		for _, ev := range []string{`{"f":` + v + `,"g":1}`, `{"g":1}`} {
			names, err := m.Match([]byte(ev))
			if err != nil {
				t.Fatal(err)
			}
			for name, pat := range pats {
				want, err := refMatch([]byte(pat), []byte(ev))
				if err != nil {
					t.Fatal(err)
				}
				got, err := mustCompile(t, pat).Match([]byte(ev))
				if err != nil || got != want {
					t.Errorf("pattern %s event %s: Match = %v, %v; reference %v", pat, ev, got, err, want)
				}
				if slices.Contains(names, name) != want {
					t.Errorf("pattern %s event %s: Matcher = %v; reference %v", pat, ev, !want, want)
				}
			}
		}
	}
}

// TestMatcherChurn adds and deletes corpus patterns at random and checks,
// after each step, that the Matcher's answer for some corpus events equals
// the answers of the individual patterns.
func TestMatcherChurn(t *testing.T) {
	cases := loadConformance(t)
	var valid []conformanceCase
	for _, c := range cases {
		if c.want != "reject" {
			valid = append(valid, c)
		}
	}
	r := rand.New(rand.NewSource(9))
	m := NewMatcher()
	present := map[string]*Pattern{}
	for step := 0; step < 300; step++ {
		c := valid[r.Intn(len(valid))]
		if _, ok := present[c.name]; ok && r.Intn(2) == 0 {
			m.Delete(c.name)
			delete(present, c.name)
		} else {
			p := mustCompile(t, string(c.pattern))
			m.Add(c.name, p)
			present[c.name] = p
		}
		if m.Len() != len(present) {
			t.Fatalf("Len = %d, want %d", m.Len(), len(present))
		}
		ev := valid[r.Intn(len(valid))].event
		names, err := m.Match(ev)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for n, p := range present {
			if ok, _ := p.Match(ev); ok {
				want = append(want, n)
			}
		}
		slices.Sort(names)
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Fatalf("step %d: got %v, want %v", step, names, want)
		}
	}
}
