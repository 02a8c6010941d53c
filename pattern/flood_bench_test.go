package pattern

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The wildcard flood reproduces a production incident: every rule of a bus
// filled to the API's 4,096-character pattern limit with wildcard operands
// on one field, and events whose value for that field is a long string.
// Before the shared wildcard automaton (wildindex.go) each operand was
// searched for in the value on its own, so one event cost rules x operands x
// value length.

// maxPatternChars is EventBridge's limit on the length of an event pattern
// (enforced by the API layer, not by this package).
const maxPatternChars = 4096

// floodPattern returns rule r's pattern: as many operands "*<r>x<i>*y"
// (i = 0, 1, ...) on detail.s as fit in maxPatternChars, and their number.
func floodPattern(r int) (string, int) {
	const head, tail = `{"detail":{"s":[`, `]}}`
	var sb strings.Builder
	sb.WriteString(head)
	n := 0
	for {
		op := fmt.Sprintf(`{"wildcard":"*%dx%d*y"}`, r, n)
		sep := 0
		if n > 0 {
			sep = 1
		}
		if sb.Len()+sep+len(op)+len(tail) > maxPatternChars {
			break
		}
		if sep == 1 {
			sb.WriteByte(',')
		}
		sb.WriteString(op)
		n++
	}
	sb.WriteString(tail)
	return sb.String(), n
}

// floodEvent returns an event whose detail.s is size random lowercase
// letters, with 'x' and 'y' more frequent than the others, ending in 'y'.
// The seed is fixed so runs compare. The final 'y' matters: it satisfies
// every operand's literal suffix, so a per-operand matcher cannot reject
// the value early and must search the whole string for each middle piece,
// as in the incident's profile (all time in wildcard.match -> indexBytes).
// No operand matches: the middle pieces contain digits.
func floodEvent(size int) []byte {
	rng := rand.New(rand.NewPCG(20261122, 1))
	s := make([]byte, size)
	for i := range s {
		switch k := rng.IntN(32); {
		case k < 3:
			s[i] = 'x'
		case k < 6:
			s[i] = 'y'
		default:
			s[i] = byte('a' + rng.IntN(26))
		}
	}
	if size > 0 {
		s[size-1] = 'y'
	}
	return []byte(`{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Flood",` +
		`"source":"switchyard.bench","account":"123456789012","time":"2026-11-22T10:00:00Z",` +
		`"region":"us-east-1","resources":[],"detail":{"kind":"text","s":"` + string(s) + `"}}`)
}

// floodMatcher builds a Matcher with rules 1..n of floodPattern.
func floodMatcher(tb testing.TB, n int) (*Matcher, int) {
	m := NewMatcher()
	operands := 0
	for r := 1; r <= n; r++ {
		src, k := floodPattern(r)
		m.Add(fmt.Sprintf("rule-%d", r), mustCompile(tb, src))
		operands += k
	}
	return m, operands
}

// BenchmarkWildcardFlood: the incident (300 rules, a 200 KB value), a
// variant that the per-operand matcher could finish in reasonable time, and
// the incident's rules against a small value. One event per iteration.
func BenchmarkWildcardFlood(b *testing.B) {
	for _, c := range []struct {
		rules, size int
		name        string
	}{
		{30, 20 << 10, "rules=30/value=20KB"},
		{300, 200 << 10, "rules=300/value=200KB"},
		{300, 100, "rules=300/value=100B"},
	} {
		b.Run(c.name, func(b *testing.B) {
			m, operands := floodMatcher(b, c.rules)
			ev := floodEvent(c.size)
			dst, err := m.MatchAppend(nil, []byte(`{}`)) // build outside the timer
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(ev)))
			b.ReportAllocs()
			for b.Loop() {
				dst, err = m.MatchAppend(dst[:0], ev)
				if err != nil || len(dst) != 0 {
					b.Fatal(dst, err)
				}
			}
			b.ReportMetric(float64(operands), "operands")
		})
	}
}

// BenchmarkWildcardFloodRebuild: the copy-on-write rebuild that the first
// Match after a change pays, with the 300 rules of the incident.
func BenchmarkWildcardFloodRebuild(b *testing.B) {
	m, _ := floodMatcher(b, 300)
	src, _ := floodPattern(301)
	p := mustCompile(b, src)
	ev := []byte(`{"detail":{"s":"short"}}`)
	b.ReportAllocs()
	for b.Loop() {
		m.Add("changed", p)
		if _, err := m.Match(ev); err != nil {
			b.Fatal(err)
		}
	}
}

// wildcardRules makes n single-operand wildcard rules on properties.STREET
// from the corpus's street names, in four shapes: "*MID*", "PRE*", "*SUF"
// and "PRE*SUF".
func wildcardRules(events [][]byte, n int) []string {
	rules := make([]string, 0, n)
	for i := 0; len(rules) < n; i++ {
		st := fieldValue(events[i%len(events)], `"STREET": "`)
		if len(st) < 4 {
			continue
		}
		var op string
		switch k := len(st) / 2; i % 4 {
		case 0:
			op = "*" + st[1:k+1] + "*"
		case 1:
			op = st[:k] + "*"
		case 2:
			op = "*" + st[k:]
		default:
			op = st[:2] + "*" + st[len(st)-2:]
		}
		rules = append(rules, fmt.Sprintf(`{"properties":{"STREET":[{"wildcard":%q}]}}`, op))
	}
	return rules
}

// BenchmarkCitylotsWildcards: wildcard rules on one citylots field, from a
// few (checked one by one) to many (one automaton).
func BenchmarkCitylotsWildcards(b *testing.B) {
	events := citylots(b)
	for _, n := range []int{4, 50, 500} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := matcherFor(b, wildcardRules(events, n))
			m.Match(events[0]) // build outside the timer
			runCorpus(b, m, events)
		})
	}
}
