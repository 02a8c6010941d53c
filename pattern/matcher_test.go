package pattern

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func mustCompile(t testing.TB, s string) *Pattern {
	t.Helper()
	p, err := Compile([]byte(s))
	if err != nil {
		t.Fatalf("Compile(%s): %v", s, err)
	}
	return p
}

func sortedMatch(t testing.TB, m *Matcher, ev string) []string {
	t.Helper()
	names, err := m.Match([]byte(ev))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}

func TestMatcherAddReplaceDelete(t *testing.T) {
	m := NewMatcher()
	if got := sortedMatch(t, m, `{"a":"x"}`); len(got) != 0 {
		t.Fatalf("empty matcher matched %v", got)
	}
	m.Add("r1", mustCompile(t, `{"a":["x"]}`))
	m.Add("r2", mustCompile(t, `{"a":[{"prefix":"x"}]}`))
	m.Add("r3", mustCompile(t, `{"b":[{"exists":false}]}`))
	if m.Len() != 3 {
		t.Fatalf("Len = %d", m.Len())
	}
	if got := sortedMatch(t, m, `{"a":"x"}`); !slices.Equal(got, []string{"r1", "r2", "r3"}) {
		t.Fatalf("got %v", got)
	}
	m.Add("r1", mustCompile(t, `{"a":["y"]}`)) // replace
	if got := sortedMatch(t, m, `{"a":"x","b":1}`); !slices.Equal(got, []string{"r2"}) {
		t.Fatalf("after replace got %v", got)
	}
	m.Delete("r2")
	m.Delete("missing")
	if m.Len() != 2 {
		t.Fatalf("Len = %d", m.Len())
	}
	if got := sortedMatch(t, m, `{"a":"y"}`); !slices.Equal(got, []string{"r1", "r3"}) {
		t.Fatalf("after delete got %v", got)
	}
	if _, err := m.Match([]byte(`[1]`)); err == nil {
		t.Fatal("no error for non-object event")
	}
}

// TestMatcherOrOnce: a rule whose several $or branches match is reported
// once.
func TestMatcherOrOnce(t *testing.T) {
	m := NewMatcher()
	m.Add("or", mustCompile(t, `{"$or":[{"a":["x"]},{"b":["y"]},{"a":[{"prefix":"x"}]}]}`))
	if got := sortedMatch(t, m, `{"a":"x","b":"y"}`); !slices.Equal(got, []string{"or"}) {
		t.Fatalf("got %v", got)
	}
}

// TestMatcherSharedConditions: many rules sharing conditions and key slots
// must still be told apart.
func TestMatcherSharedConditions(t *testing.T) {
	m := NewMatcher()
	for i := 0; i < 50; i++ {
		m.Add(fmt.Sprintf("r%02d", i), mustCompile(t, fmt.Sprintf(`{"street":["MAIN"],"n":[%d]}`, i%5)))
	}
	m.Add("any", mustCompile(t, `{"street":["MAIN"]}`))
	got := sortedMatch(t, m, `{"street":"MAIN","n":3}`)
	if len(got) != 11 || got[0] != "any" || got[1] != "r03" || got[10] != "r48" {
		t.Fatalf("got %v", got)
	}
}

func TestMatchAppendNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector drops pooled scratch state at random")
	}
	m := NewMatcher()
	m.Add("a", mustCompile(t, `{"detail":{"state":["running"],"n":[{"numeric":[">",1]}]}}`))
	m.Add("b", mustCompile(t, `{"detail":{"items":{"k":["x"],"v":[1]}}}`))
	ev := []byte(`{"detail":{"state":"running","n":5,"items":[{"k":"x","v":1},{"k":"y","v":2}]}}`)
	dst := make([]string, 0, 4)
	dst, _ = m.MatchAppend(dst, ev) // build and warm the pool
	allocs := testing.AllocsPerRun(200, func() {
		dst, _ = m.MatchAppend(dst[:0], ev)
	})
	if allocs != 0 {
		t.Fatalf("MatchAppend allocates %v times per event", allocs)
	}
	if len(dst) != 2 {
		t.Fatalf("got %v", dst)
	}
}

// TestMatcherConcurrent runs Match in parallel with Add and Delete; run it
// with -race. Rule "stable" is never removed, so every Match must report it.
func TestMatcherConcurrent(t *testing.T) {
	m := NewMatcher()
	m.Add("stable", mustCompile(t, `{"a":["x"]}`))
	ev := []byte(`{"a":"x","b":"y"}`)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
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
	p := mustCompile(t, `{"b":["y"]}`)
	for i := 0; i < 300; i++ {
		name := fmt.Sprintf("r%d", i%7)
		if i%3 == 2 {
			m.Delete(name)
		} else {
			m.Add(name, p)
		}
	}
	close(stop)
	wg.Wait()
}

// TestPatternConcurrent: one Pattern used from many goroutines.
func TestPatternConcurrent(t *testing.T) {
	p := mustCompile(t, `{"a":{"b":["x"],"c":["y"]}}`)
	yes := []byte(`{"a":[{"b":"x","c":"y"}]}`)
	no := []byte(`{"a":[{"b":"x"},{"c":"y"}]}`)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if ok, _ := p.Match(yes); !ok {
					t.Error("no match")
					return
				}
				if ok, _ := p.Match(no); ok {
					t.Error("inconsistent array elements matched")
					return
				}
			}
		}()
	}
	wg.Wait()
}
