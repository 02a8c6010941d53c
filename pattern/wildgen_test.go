package pattern

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// Generators and the one-operand reference for the wildcard automaton's
// tests (wildindex_test.go) and its fuzz test.

// globMatch reports whether value matches the wildcard operand as written
// in a pattern (with \* and \\ escapes), by dynamic programming over the
// operand's items and the value's bytes.
func globMatch(operand, value string) bool {
	var items []int // byte, or -1 for '*'
	for i := 0; i < len(operand); i++ {
		switch c := operand[i]; c {
		case '*':
			items = append(items, -1)
		case '\\':
			i++
			items = append(items, int(operand[i]))
		default:
			items = append(items, int(c))
		}
	}
	// ok[j]: items[:i] match value[:j]
	ok := make([]bool, len(value)+1)
	ok[0] = true
	for _, it := range items {
		next := make([]bool, len(value)+1)
		for j := 0; j <= len(value); j++ {
			if it == -1 {
				next[j] = ok[j] || j > 0 && next[j-1]
			} else {
				next[j] = j > 0 && ok[j-1] && int(value[j-1]) == it
			}
		}
		ok = next
	}
	return ok[len(value)]
}

// jsonString quotes s for JSON, leaving bytes that are not valid UTF-8 as
// they are (json.Marshal would replace them), so that tests can feed the
// matcher such bytes.
func jsonString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&sb, `\u%04x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// wildRule is one generated rule: operands on field f, positive or inside
// anything-but.
type wildRule struct {
	operands []string
	except   bool
}

func (r wildRule) pattern() string {
	qs := make([]string, len(r.operands))
	for i, o := range r.operands {
		qs[i] = jsonString(o)
	}
	if r.except {
		return `{"f":[{"anything-but":{"wildcard":[` + strings.Join(qs, ",") + `]}}]}`
	}
	conds := make([]string, len(qs))
	for i, q := range qs {
		conds[i] = `{"wildcard":` + q + `}`
	}
	return `{"f":[` + strings.Join(conds, ",") + `]}`
}

// matches is the rule's meaning for a string value.
func (r wildRule) matches(v string) bool {
	for _, o := range r.operands {
		if globMatch(o, v) {
			return !r.except
		}
	}
	return r.except
}

// wildTokens are the operand pieces the generator draws from: a small
// alphabet, so that operands of different rules overlap and share pieces,
// with multi-byte UTF-8 and the escapes.
var wildTokens = []string{"a", "b", "a", "b", "ab", "ba", "é", "日", `\*`, `\\`, "x"}

// randOperand draws an operand with stars at the start, end or middle,
// never two in a row (which the compiler rejects).
func randOperand(r *rand.Rand) string {
	var sb strings.Builder
	star := false
	for n := r.IntN(6); n >= 0; n-- {
		if !star && r.IntN(3) == 0 {
			sb.WriteByte('*')
			star = true
			continue
		}
		sb.WriteString(wildTokens[r.IntN(len(wildTokens))])
		star = false
	}
	return sb.String()
}

// randValue draws a value from the alphabet of the operands, sometimes by
// filling an operand's stars so that it matches.
func randValue(r *rand.Rand, operands []string) string {
	if len(operands) > 0 && r.IntN(2) == 0 {
		o := operands[r.IntN(len(operands))]
		var sb strings.Builder
		for i := 0; i < len(o); i++ {
			switch o[i] {
			case '*':
				for n := r.IntN(3); n > 0; n-- {
					sb.WriteString(wildTokens[r.IntN(len(wildTokens))])
				}
			case '\\':
				i++
				sb.WriteByte(o[i])
			default:
				sb.WriteByte(o[i])
			}
		}
		return sb.String()
	}
	alphabet := []string{"a", "b", "é", "日", "*", `\`, "x", "\xc3"}
	var sb strings.Builder
	for n := r.IntN(12); n > 0; n-- {
		sb.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	return sb.String()
}

// TestWildcardMatchGlob checks the per-operand matcher against globMatch.
func TestWildcardMatchGlob(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		o := randOperand(r)
		v := randValue(r, []string{o})
		if got, want := func() bool { w := parseWildcard(o); return w.match([]byte(v)) }(), globMatch(o, v); got != want {
			t.Fatalf("wildcard %q on %q = %v, want %v", o, v, got, want)
		}
	}
}

// FuzzWildIndex: rules of wildcard operands, positive or inside
// anything-but, drawn from the fuzzer's bytes over a small alphabet (so
// that pieces are shared and overlap), against values drawn the same way;
// the Matcher must agree with globMatch for every rule.
func FuzzWildIndex(f *testing.F) {
	for _, seed := range []string{"", "\x05\x01\x02\x03", "\x10\x07\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09", "\xff\x80\x40\x20\x10\x08\x04\x02\x01"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		tokens := []string{"a", "b", "ab", "aa", "é", `\*`, `\\`}
		operand := func() string {
			var sb strings.Builder
			star := false
			for n := g.n(7); n >= 0; n-- {
				if !star && g.n(3) == 0 {
					sb.WriteByte('*')
					star = true
					continue
				}
				sb.WriteString(tokens[g.n(len(tokens))])
				star = false
			}
			return sb.String()
		}
		value := func() string {
			alphabet := []string{"a", "b", "*", `\`, "\xc3", "\xa9"}
			var sb strings.Builder
			for n := g.n(16); n > 0; n-- {
				sb.WriteString(alphabet[g.n(len(alphabet))])
			}
			return sb.String()
		}
		m := NewMatcher()
		var rules []wildRule
		for n := 1 + g.n(16); n > 0; n-- {
			rule := wildRule{except: g.n(5) == 0}
			for k := 1 + g.n(4); k > 0; k-- {
				rule.operands = append(rule.operands, operand())
			}
			p, err := Compile([]byte(rule.pattern()))
			if err != nil {
				continue
			}
			m.Add(fmt.Sprint(len(rules)), p)
			rules = append(rules, rule)
		}
		for k := 1 + g.n(4); k > 0; k-- {
			v := value()
			var want []string
			for i, rule := range rules {
				if rule.matches(v) {
					want = append(want, fmt.Sprint(i))
				}
			}
			slices.Sort(want)
			if got := sortedMatch(t, m, `{"f":`+jsonString(v)+`}`); !slices.Equal(got, want) {
				for i, rule := range rules {
					t.Logf("rule %d: %s", i, rule.pattern())
				}
				t.Fatalf("value %q: got %v, want %v", v, got, want)
			}
		}
	})
}
