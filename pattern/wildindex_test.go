package pattern

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Tests of the shared wildcard automaton (wildindex.go, wildmatch.go,
// aho.go). The reference for one operand is globMatch (wildgen_test.go), a
// dynamic program over bytes that shares nothing with the package;
// wildcard.match (the per-operand matcher the automaton replaced) is
// checked against it too.

// TestWildIndexRandom builds matchers of random rules whose operands
// overlap across rules, some positive and some inside anything-but, and
// compares every answer with the rules' meaning, for single values and
// arrays of values.
func TestWildIndexRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	heavy, few := 0, 0
	for round := range 300 {
		m := NewMatcher()
		var rules []wildRule
		var all []string
		n := r.IntN(12)
		if round%3 == 0 {
			n = 20 + r.IntN(30) // enough to share pieces between more than wildPullMax nodes
		}
		for i := n; i >= 0; i-- {
			var rule wildRule
			rule.except = r.IntN(4) == 0
			for k := 1 + r.IntN(5); k > 0; k-- {
				rule.operands = append(rule.operands, randOperand(r))
			}
			p, err := Compile([]byte(rule.pattern()))
			if err != nil {
				continue // too complex
			}
			m.Add(fmt.Sprint(len(rules)), p)
			rules = append(rules, rule)
			all = append(all, rule.operands...)
		}
		if len(rules) == 0 {
			continue
		}
		switch w := m.machine().fields[0].wild; {
		case w == nil:
			few++ // checked one by one (wildFewOperands)
		case w.nHeavy > 0:
			heavy++
		}
		for range 30 {
			vals := []string{randValue(r, all)}
			ev := `{"f":` + jsonString(vals[0]) + `}`
			if r.IntN(4) == 0 {
				vals = append(vals, randValue(r, all))
				ev = `{"f":[` + jsonString(vals[0]) + `,` + jsonString(vals[1]) + `]}`
			}
			var want []string
			for i, rule := range rules {
				if slices.ContainsFunc(vals, rule.matches) {
					want = append(want, fmt.Sprint(i))
				}
			}
			slices.Sort(want)
			if got := sortedMatch(t, m, ev); !slices.Equal(got, want) {
				for i, rule := range rules {
					t.Logf("rule %d: %s", i, rule.pattern())
				}
				t.Fatalf("round %d, event %s: got %v, want %v", round, ev, got, want)
			}
		}
	}
	if heavy == 0 || few == 0 {
		t.Errorf("rounds with a heavy piece: %d, with few operands: %d; a path went untested", heavy, few)
	}
}

// TestWildIndexCases: hand-picked operands, alone and together in one
// Matcher, one rule per operand.
func TestWildIndexCases(t *testing.T) {
	operands := []string{
		"", "*", "a", "a*", "*a", "*a*", "a*b", "*a*b*", "ab*ab", "*ab*ab*",
		"aa*aa", "*aa*aa", "a*a*a", `a\*b`, `*\**`, `\\*`, `*\\`, "é*", "*日",
		"é*日", "*é*", "\xc3*", "*\xa9", "a*é*b", "abc", "*abc*", "*bc*", "*c",
	}
	values := []string{
		"", "a", "b", "aa", "ab", "ba", "aaa", "aaaa", "abab", "aba", "abcab",
		"a*b", "axb", `\`, `a\`, `\b`, "*", "é", "日", "é日", "éx日", "aéb",
		"abc", "xabcx", "xbc", "c", "\xc3", "é\xc3", "aabaa", "aaba",
	}
	m := NewMatcher()
	for i, o := range operands {
		m.Add(fmt.Sprint(i), mustCompile(t, `{"f":[{"wildcard":`+jsonString(o)+`}]}`))
	}
	for _, v := range values {
		var want []string
		for i, o := range operands {
			single := mustCompile(t, `{"f":[{"wildcard":`+jsonString(o)+`}]}`)
			ev := []byte(`{"f":` + jsonString(v) + `}`)
			got, err := single.Match(ev)
			if err != nil {
				t.Fatal(err)
			}
			if g := globMatch(o, v); got != g {
				t.Errorf("Pattern %q on %q = %v, want %v", o, v, got, g)
			}
			if got {
				want = append(want, fmt.Sprint(i))
			}
		}
		slices.Sort(want)
		if got := sortedMatch(t, m, `{"f":`+jsonString(v)+`}`); !slices.Equal(got, want) {
			t.Errorf("Matcher on %q: got %v, want %v", v, got, want)
		}
	}
}

// TestWildIndexHeavy: pieces and tails shared by more than wildPullMax
// operands (so reached nodes queue for them), overlapping occurrences, and
// a value where a piece occurs before the node waiting for it is reached.
func TestWildIndexHeavy(t *testing.T) {
	var rules []wildRule
	for i := range 3 * wildPullMax {
		rules = append(rules,
			wildRule{operands: []string{fmt.Sprintf("*%c*aa*z", 'a'+i)}},
			wildRule{operands: []string{fmt.Sprintf("%c*aa*aa", 'a'+i)}},
			wildRule{operands: []string{fmt.Sprintf("*%c*", 'A'+i)}},
		)
	}
	m := NewMatcher()
	for i, rule := range rules {
		m.Add(fmt.Sprint(i), mustCompile(t, rule.pattern()))
	}
	if w := m.machine().fields[0].wild; w.nHeavy == 0 || len(w.heavyTerms) == 0 {
		t.Fatalf("no heavy piece (%d) or tail (%d terminals)", w.nHeavy, len(w.heavyTerms))
	}
	for _, v := range []string{
		"aaz", "aaaz", "baaz", "aabaaz", "bcaaz", "baaaa", "baaa", "caaXaa", "aaaa",
		"bAaaz", "dxaaxaaz", "aaxbaa", "zbaaz", "b", "bz", "Bz", "ABCDEFGHIJKL",
	} {
		var want []string
		for i, rule := range rules {
			if rule.matches(v) {
				want = append(want, fmt.Sprint(i))
			}
		}
		slices.Sort(want)
		if got := sortedMatch(t, m, `{"f":`+jsonString(v)+`}`); !slices.Equal(got, want) {
			t.Errorf("on %q: got %v, want %v", v, got, want)
		}
	}
}

// TestWildIndexManyOperands: one rule with many operands, and the flood's
// rules (which share no piece: every piece is light) against values that
// contain some of their middle pieces.
func TestWildIndexManyOperands(t *testing.T) {
	src, n := floodPattern(7)
	m := NewMatcher()
	m.Add("7", mustCompile(t, src))
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"7x0y", true}, {"7x0", false}, {"q7x150qqy", true}, {"7x1607x0y", true},
		{"x7xy", false}, {fmt.Sprintf("7x%dy", n-1), true},
	} {
		got := len(sortedMatch(t, m, `{"detail":{"s":`+jsonString(c.v)+`}}`)) == 1
		if got != c.want {
			t.Errorf("%q: %v, want %v", c.v, got, c.want)
		}
	}

	m, _ = floodMatcher(t, 30)
	w := m.machine().fields[0].wild
	if w.nHeavy != 0 || len(w.heavyTerms) != len(w.opGroup) {
		t.Errorf("flood: %d heavy pieces, %d of %d terminals heavy", w.nHeavy, len(w.heavyTerms), len(w.opGroup))
	}
	if d := maxReports(&w.pieces); d > 3 {
		t.Errorf("flood: up to %d pieces end at one position", d)
	}
	v := "ab12x5cd3x40zz30x1y"
	var want []string
	for r := 1; r <= 30; r++ {
		_, k := floodPattern(r)
		for i := range k {
			if globMatch(fmt.Sprintf("*%dx%d*y", r, i), v) {
				want = append(want, fmt.Sprintf("rule-%d", r))
				break
			}
		}
	}
	slices.Sort(want)
	if got := sortedMatch(t, m, `{"detail":{"s":`+jsonString(v)+`}}`); !slices.Equal(got, want) || len(want) < 3 {
		t.Errorf("got %v, want %v", got, want)
	}
}

// maxReports is the largest number of pieces that end at one position of
// any value: the factor D of the scan's cost (see wildIndex).
func maxReports(a *pieceAC) int {
	best := 0
	for s := range a.piece {
		n := 0
		for r := a.report[s]; r >= 0; r = a.report[a.fail[r]] {
			n++
		}
		best = max(best, n)
	}
	return best
}

// TestPieceAC compares the pieces the automaton reports at each position
// with a search for every piece.
func TestPieceAC(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		seen := map[string]bool{}
		var pieces []string
		for n := 1 + r.IntN(8); n > 0; n-- {
			var sb strings.Builder
			for k := 1 + r.IntN(4); k > 0; k-- {
				sb.WriteByte("abc"[r.IntN(3)])
			}
			if p := sb.String(); !seen[p] {
				seen[p] = true
				pieces = append(pieces, p)
			}
		}
		a := buildPieceAC(pieces)
		var sb strings.Builder
		for k := r.IntN(30); k > 0; k-- {
			sb.WriteByte("abcd"[r.IntN(4)])
		}
		text := sb.String()
		s := int32(0)
		for j := 1; j <= len(text); j++ {
			s = a.step(s, text[j-1])
			var got, want []int32
			for x := a.report[s]; x >= 0; x = a.report[a.fail[x]] {
				got = append(got, a.piece[x])
			}
			for i, p := range pieces {
				if strings.HasSuffix(text[:j], p) {
					want = append(want, int32(i))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("pieces %q, text %q, at %d: got %v, want %v", pieces, text, j, got, want)
			}
		}
	}
}

// TestWildIndexWithOtherOperators: wildcards next to prefix, suffix and
// equals-ignore-case forms and anything-but lists on the same field.
func TestWildIndexWithOtherOperators(t *testing.T) {
	m := NewMatcher()
	for name, p := range map[string]string{
		"wc":       `{"f":[{"wildcard":"*ß*"}]}`,
		"pre-fold": `{"f":[{"prefix":{"equals-ignore-case":"STRASSE"}}]}`,
		"suf-fold": `{"f":[{"suffix":{"equals-ignore-case":"Ende"}}]}`,
		"eq-fold":  `{"f":[{"equals-ignore-case":"straße-ende"}]}`,
		"prefix":   `{"f":[{"prefix":"str"}]}`,
		"suffix":   `{"f":[{"suffix":"ende"}]}`,
		"ab-wc":    `{"f":[{"anything-but":{"wildcard":["*ß*","x*"]}}]}`,
		"ab-mixed": `{"f":[{"anything-but":{"wildcard":"*-*"}}],"g":[{"wildcard":"*-*"}]}`,
	} {
		m.Add(name, mustCompile(t, p))
	}
	for _, c := range []struct {
		ev   string
		want []string
	}{
		{`{"f":"straße-ende"}`, []string{"eq-fold", "pre-fold", "prefix", "suf-fold", "suffix", "wc"}},
		{`{"f":"STRASSE-ENDE"}`, []string{"ab-wc", "eq-fold", "pre-fold", "suf-fold"}},
		{`{"f":"xende","g":"a-b"}`, []string{"ab-mixed", "suf-fold", "suffix"}},
		{`{"f":"x-y","g":"a-b"}`, nil},
		{`{"f":7}`, []string{"ab-wc"}},
		{`{"f":["x","q"]}`, []string{"ab-wc"}},
	} {
		got := sortedMatch(t, m, c.ev)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.ev, got, c.want)
		}
	}
}

// TestWildIndexDelete: a deleted rule's operands leave the automaton, and
// a field left with wildFewOperands operands or fewer goes back to checking
// them one by one.
func TestWildIndexDelete(t *testing.T) {
	m := NewMatcher()
	m.Add("keep", mustCompile(t, `{"f":[{"wildcard":"*a*"},{"wildcard":"k*"},{"wildcard":"*k1"},{"wildcard":"*k2"}]}`))
	m.Add("gone", mustCompile(t, `{"f":[{"wildcard":"*a*"},{"wildcard":"*b*"},{"wildcard":"g*"}]}`))
	m.Add("except", mustCompile(t, `{"f":[{"anything-but":{"wildcard":["*c*","*d*"]}}]}`))
	operands := func() int {
		if w := m.machine().fields[0].wild; w != nil {
			return len(w.opGroup)
		}
		return -1
	}
	if got := sortedMatch(t, m, `{"f":"b"}`); !slices.Equal(got, []string{"except", "gone"}) {
		t.Fatalf("got %v", got)
	}
	if n := operands(); n != 8 {
		t.Fatalf("%d operands, want 8 (the shared *a* once)", n)
	}
	m.Delete("gone")
	if got := sortedMatch(t, m, `{"f":"b"}`); !slices.Equal(got, []string{"except"}) {
		t.Fatalf("after Delete: got %v", got)
	}
	if n := operands(); n != 6 {
		t.Fatalf("after Delete: %d operands, want 6", n)
	}
	m.Delete("except")
	if n := operands(); n != -1 {
		t.Fatalf("with %d operands left, the field still has an index of %d", wildFewOperands, n)
	}
	if got := sortedMatch(t, m, `{"f":"xk2"}`); !slices.Equal(got, []string{"keep"}) {
		t.Fatalf("unfolded: got %v", got)
	}
	m.Delete("keep")
	if w := m.machine().fields; len(w) != 0 {
		t.Fatalf("after deleting every rule: %d fields", len(w))
	}
	if got := sortedMatch(t, m, `{"f":"a"}`); len(got) != 0 {
		t.Fatalf("empty matcher: got %v", got)
	}
}

// TestConditionKeysUnambiguous: operands and exclusions containing NUL
// bytes are not confused with others (they shared a group when keys were
// joined with NUL separators).
func TestConditionKeysUnambiguous(t *testing.T) {
	m := NewMatcher()
	m.Add("star", mustCompile(t, `{"f":[{"wildcard":"a*b"}]}`))
	m.Add("nul", mustCompile(t, `{"f":[{"wildcard":"a\u0000b"}]}`))
	m.Add("ab-nul", mustCompile(t, `{"g":[{"anything-but":["a\u0000b"]}]}`))
	m.Add("ab-two", mustCompile(t, `{"g":[{"anything-but":["a","b"]}]}`))
	m.Add("ab-wc-nul", mustCompile(t, `{"h":[{"anything-but":{"wildcard":"a\u0000*"}}]}`))
	m.Add("ab-wc-two", mustCompile(t, `{"h":[{"anything-but":{"wildcard":["a","*"]}}]}`))
	for ev, want := range map[string][]string{
		`{"f":"axb"}`:       {"star"},
		`{"f":"a\u0000b"}`:  {"nul", "star"},
		`{"g":"a"}`:         {"ab-nul"},
		`{"g":"a\u0000b"}`:  {"ab-two"},
		`{"h":"a\u0000bc"}`: nil,
		`{"h":"b"}`:         {"ab-wc-nul"},
	} {
		if got := sortedMatch(t, m, ev); !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", ev, got, want)
		}
	}
}

// TestWildIndexNoAllocs: matching wildcard rules, with queued heavy pieces,
// anything-but exclusions and arrays, allocates nothing once warm.
func TestWildIndexNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector drops pooled scratch state at random")
	}
	m := NewMatcher()
	for i := range 2 * wildPullMax {
		m.Add(fmt.Sprint(i), mustCompile(t, fmt.Sprintf(`{"f":[{"wildcard":"*%c*aa*z"}]}`, 'a'+i)))
	}
	m.Add("ab", mustCompile(t, `{"f":[{"anything-but":{"wildcard":["*q*","b*"]}}]}`))
	m.Add("flood", mustCompile(t, func() string { s, _ := floodPattern(1); return s }()))
	ev := []byte(`{"f":["xbaaz","cqaaaaz","hhaaz"],"detail":{"s":"1x1y"}}`)
	dst := make([]string, 0, 16)
	dst, _ = m.MatchAppend(dst, ev)
	want := len(dst)
	allocs := testing.AllocsPerRun(200, func() {
		dst, _ = m.MatchAppend(dst[:0], ev)
	})
	if allocs != 0 {
		t.Fatalf("MatchAppend allocates %v times per event", allocs)
	}
	if len(dst) != want || want != 6 {
		t.Fatalf("got %v", dst)
	}
}

// TestWildIndexConcurrent: Match on wildcard rules while rules come and go
// (run with -race); rule "stable" always matches.
func TestWildIndexConcurrent(t *testing.T) {
	m := NewMatcher()
	m.Add("stable", mustCompile(t, `{"f":[{"wildcard":"*needle*"}]}`))
	ev := []byte(`{"f":"hay needle hay"}`)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []string
			for {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				dst, err = m.MatchAppend(dst[:0], ev)
				if err != nil || !slices.Contains(dst, "stable") {
					t.Errorf("Match = %v, %v", dst, err)
					return
				}
			}
		}()
	}
	for i := range 200 {
		name := fmt.Sprint("r", i%5)
		if i%3 == 2 {
			m.Delete(name)
		} else {
			m.Add(name, mustCompile(t, fmt.Sprintf(`{"f":[{"wildcard":"*ne*%d*"}]}`, i)))
		}
	}
	close(stop)
	wg.Wait()
}
