package pattern

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// loadConformance reads the AWS-validated corpus copied from
// ../shared/conformance/event-patterns into testdata/conformance.
func loadConformance(t testing.TB) []conformanceCase {
	t.Helper()
	files, err := filepath.Glob("testdata/conformance/*.json5")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	sort.Strings(files)
	var cases []conformanceCase
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json5")
		c, err := parseCase(name, src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cases = append(cases, c)
	}
	ev, err := os.ReadFile("testdata/conformance/complex_multi_key_event.json")
	if err != nil {
		t.Fatal(err)
	}
	pat, err := os.ReadFile("testdata/conformance/complex_multi_key_event_pattern.json")
	if err != nil {
		t.Fatal(err)
	}
	return append(cases, conformanceCase{name: "complex_multi_key_event", event: ev, pattern: pat, want: "match"})
}

func TestConformance(t *testing.T) {
	for _, c := range loadConformance(t) {
		t.Run(c.name, func(t *testing.T) {
			p, err := Compile(c.pattern)
			if c.want == "reject" {
				if err == nil {
					t.Fatalf("pattern accepted, AWS rejects it: %s", c.pattern)
				}
				if _, ok := err.(*CompileError); !ok {
					t.Fatalf("error %T, want *CompileError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Compile: %v\npattern: %s", err, c.pattern)
			}
			got, err := p.Match(c.event)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if got != (c.want == "match") {
				t.Fatalf("Match = %v, want %s\npattern: %s\nevent: %s", got, c.want, c.pattern, c.event)
			}
		})
	}
}

// TestConformanceMatcher adds every valid corpus pattern to one Matcher and
// checks each case's event against it: the case's own pattern must be among
// the results exactly when AWS says it matches, and every reported name
// must agree with that pattern's own Match.
func TestConformanceMatcher(t *testing.T) {
	cases := loadConformance(t)
	m := NewMatcher()
	compiled := map[string]*Pattern{}
	for _, c := range cases {
		if c.want == "reject" {
			continue
		}
		p, err := Compile(c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		compiled[c.name] = p
		m.Add(c.name, p)
	}
	if m.Len() != len(compiled) {
		t.Fatalf("Len = %d, want %d", m.Len(), len(compiled))
	}
	for _, c := range cases {
		if c.want == "reject" {
			continue
		}
		names, err := m.Match(c.event)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Errorf("%s: %q reported twice", c.name, n)
			}
			seen[n] = true
		}
		if seen[c.name] != (c.want == "match") {
			t.Errorf("%s: own pattern matched = %v, want %s", c.name, seen[c.name], c.want)
		}
		for n, p := range compiled {
			want, _ := p.Match(c.event)
			if seen[n] != want {
				t.Errorf("event of %s: Matcher says %s = %v, Pattern.Match says %v", c.name, n, seen[n], want)
			}
		}
	}
}
