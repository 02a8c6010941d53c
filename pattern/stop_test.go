package pattern

import (
	"slices"
	"strings"
	"testing"
)

// scanNames matches ev against a machine directly, reporting whether the
// scan stopped early.
func scanNames(mc *machine, ev []byte) (names []string, stopped bool, err error) {
	st := mc.get()
	defer mc.put(st)
	if err := st.scan(ev); err != nil {
		return nil, st.stopped, err
	}
	names = st.collect(nil)
	slices.Sort(names)
	return names, st.stopped, nil
}

// stopAndFull builds the machine of the named patterns twice, once with
// the early stop and once scanning everything.
func stopAndFull(t testing.TB, pats []string) (stop, full *machine) {
	var rules []compiledRule
	for i, pat := range pats {
		p, err := Compile([]byte(pat))
		if err != nil {
			continue
		}
		rules = append(rules, compiledRule{name: string(rune('0' + i)), branches: p.branches})
	}
	stop, full = buildMachine(rules), buildMachine(rules)
	full.fullScan = true
	return stop, full
}

// TestEarlyStop: the scan stops in front of an unused container only when
// nothing after it can change a result, and tries only once every used
// step of the current object has been seen. Each case is checked against the
// expected answer, a full scan, and whether the scan should stop.
func TestEarlyStop(t *testing.T) {
	cases := []struct {
		name, pattern, event string
		want, stops          bool
	}{
		{"nothing used after", `{"k":["v"]}`, `{"k":"v","x":{"y":[1,2]}}`, true, true},
		{"nothing used after, no match", `{"k":["w"]}`, `{"k":"v","x":{"y":[1,2]}}`, false, true},
		{"used key after unused subtree", `{"k":["v"]}`, `{"x":{"y":1},"k":"v"}`, true, false},
		{"used key after unused array", `{"k":["v"]}`, `{"x":[[1],{"k":2}],"k":"v"}`, true, false},
		{"dotted key after", `{"a":{"b":["v"]}}`, `{"a":{"b":"w"},"x":[1],"a.b":"v"}`, true, false},
		{"dotted pattern, nested event after", `{"a.b":["v"]}`, `{"x":[1],"a":{"b":"v"}}`, true, false},
		{"dotted key inside nested object after", `{"a":{"b":{"c":["v"]}}}`, `{"a":{"x":[1],"b.c":"v"}}`, true, false},
		{"dotted root key after nested subtree", `{"a":{"b":{"c":["v"]}}}`, `{"a":{"b":{"x":[1]}},"a.b.c":"v"}`, true, false},
		{"dotted key with unused first step", `{"k":["v"]}`, `{"k":"v","x":[1],"kk.k":"w"}`, true, true},
		{"duplicate key after", `{"k":["v"]}`, `{"k":"w","x":[1],"k":"v"}`, true, false},
		{"duplicate object key after", `{"a":{"b":["v"],"c":["w"]}}`, `{"a":{"b":"v"},"x":{},"a":{"c":"w"}}`, true, false},
		{"exists false, field after", `{"k":[{"exists":false}]}`, `{"x":{"y":1},"k":1}`, false, false},
		{"exists false, field absent: no attempt", `{"k":[{"exists":false}]}`, `{"j":1,"x":{"y":1}}`, true, false},
		{"exists false, field before", `{"k":[{"exists":false}]}`, `{"k":1,"x":{"y":1}}`, false, true},
		{"exists false, nested field after", `{"a":{"k":[{"exists":false}]}}`, `{"a":{"x":[1],"k":1}}`, false, false},
		{"exists false, dotted after", `{"a":{"k":[{"exists":false}]}}`, `{"a":{"x":[1]},"a.k":1}`, false, false},
		{"anything-but, field after", `{"k":[{"anything-but":"v"}]}`, `{"x":[1],"k":"w"}`, true, false},
		{"anything-but, field missing: no attempt", `{"k":[{"anything-but":"v"}]}`, `{"j":"w","x":[1]}`, false, false},
		{"$or with absent alternative", `{"$or":[{"k":["v"]},{"j":[{"exists":false}]}]}`, `{"k":"w","x":[1],"j":1}`, false, false},
		{"$or, absent alternative holds: no attempt", `{"$or":[{"k":["v"]},{"j":[{"exists":false}]}]}`, `{"k":"w","x":[1]}`, true, false},
		{"$or, both fields seen", `{"$or":[{"k":["v"]},{"j":[{"exists":false}]}]}`, `{"j":1,"k":"v","x":[1]}`, true, true},
		{"$or, both fields seen, no match", `{"$or":[{"k":["v"]},{"j":[{"exists":false}]}]}`, `{"j":1,"k":"w","x":[1]}`, false, true},
		{"unseen root key, stop in nested object", `{"a":{"b":["v"]},"c":["w"]}`, `{"a":{"b":"v","x":[1]},"d":2}`, false, true},
		{"array consistency, other element after", `{"a":{"b":["x"],"c":["y"]}}`, `{"a":[{"b":"x","z":{}},{"c":"y"}]}`, false, false},
		{"array consistency, same element after", `{"a":{"b":["x"],"c":["y"]}}`, `{"a":[{"b":"x","z":{},"c":"y"}]}`, true, false},
		{"array element after unused container", `{"a":["v"]}`, `{"a":[{"x":[1]},"v"]}`, true, false},
		{"escaped key after", `{"k":["v"]}`, `{"x":[1],"\u006b":"v"}`, true, false},
		{"escaped dot after", `{"a":{"b":["v"]}}`, `{"x":[1],"a\u002eb":"v"}`, true, false},
		{"used name only inside the skipped value", `{"k":["v"]}`, `{"x":{"k":"v"}}`, false, false},
		{"used name only in a string after", `{"k":["v"]}`, `{"x":[1],"y":"k"}`, false, false},
		{"stop inside nested object", `{"a":{"b":["v"]},"c":["w"]}`, `{"c":"w","a":{"b":"v","x":[1]},"d":2}`, true, true},
		{"no stop inside nested object, root key after", `{"a":{"b":["v"]},"c":["w"]}`, `{"a":{"b":"v","x":[1]},"c":"w"}`, true, false},
		{"no stop after a blocking key is passed twice", `{"k":["v"]}`, `{"x":[1],"y":[2],"k":"w","z":{"k":1},"k":"v"}`, true, false},
		{"stop after the last used key", `{"k":["v"]}`, `{"x":[1],"k":"v","z":{"q":1},"w":[{"k":"w"}]}`, true, false},
		{"stop after the last used key 2", `{"k":["v"]}`, `{"x":[1],"k":"v","z":{"q":1},"w":[{"j":"w"}]}`, true, true},
		{"malformed after stop", `{"k":["v"]}`, `{"k":"v","x":[1,}`, true, true},
		{"malformed tail after stop", `{"k":["v"]}`, `{"k":"v","x":{}} trailing`, true, true},
		{"malformed truncated after stop", `{"k":["v"]}`, `{"k":"v","x":{"y":1`, true, true},
	}
	for _, c := range cases {
		stop, full := stopAndFull(t, []string{c.pattern})
		got, stopped, err := scanNames(stop, []byte(c.event))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if (len(got) > 0) != c.want || stopped != c.stops {
			t.Errorf("%s: match %v stopped %v, want %v %v", c.name, len(got) > 0, stopped, c.want, c.stops)
		}
		if strings.Contains(c.name, "malformed") {
			continue
		}
		fgot, fstopped, err := scanNames(full, []byte(c.event))
		if err != nil || fstopped || !slices.Equal(got, fgot) {
			t.Errorf("%s: full scan %v %v %v, early stop %v", c.name, fgot, fstopped, err, got)
		}
		p := mustCompile(t, c.pattern)
		if ok, err := p.Match([]byte(c.event)); err != nil || ok != c.want {
			t.Errorf("%s: Pattern.Match = %v, %v", c.name, ok, err)
		}
	}
}

// stopKeys are the raw event keys of FuzzEarlyStop: used ones, dotted and
// escaped spellings of used paths, and keys no pattern uses ("z", "y.a").
var stopKeys = []string{`"a"`, `"b"`, `"c"`, `"a.b"`, `"d"`, `"z"`, `"\u0061"`, `"a\u002eb"`, `"y.a"`, `"b.c"`}

// stopEvent makes an object whose members are followed by an unused
// container and more members, so that the early stop is attempted with
// used keys, dotted keys, duplicates and escaped keys after it. The first
// members are the four plain keys the generated patterns can use at any
// level (in a rotated order), so that the scan has seen every used step
// and tries to stop in front of "z".
func (g *gen) stopEvent(depth int) string {
	var sb strings.Builder
	sb.WriteString("{")
	value := func() {
		if depth < 2 && g.n(3) == 0 {
			sb.WriteString(g.stopEvent(depth + 1))
		} else {
			sb.WriteString(g.eventValue(depth + 1))
		}
	}
	plain := []string{`"a"`, `"b"`, `"c"`, `"d"`}
	r := g.n(4)
	for i := range plain {
		sb.WriteString(plain[(r+i)%4] + ":")
		value()
		sb.WriteString(",")
	}
	for i := g.n(3); i > 0; i-- {
		sb.WriteString(stopKeys[g.n(len(stopKeys))] + ":")
		value()
		sb.WriteString(",")
	}
	sb.WriteString(`"z":`)
	if g.n(2) == 0 {
		sb.WriteString("[" + g.eventValue(2) + "]")
	} else {
		sb.WriteString(g.event(2))
	}
	for i := g.n(3); i > 0; i-- {
		sb.WriteString("," + stopKeys[g.n(len(stopKeys))] + ":")
		value()
	}
	sb.WriteString("}")
	return sb.String()
}

// FuzzEarlyStop compares matching with the early stop against a full scan
// (for every event, duplicate keys included) and against the reference
// matcher (events without duplicate keys), on events built to have used,
// dotted, duplicate and escaped keys after an unused container.
func FuzzEarlyStop(f *testing.F) {
	for _, seed := range []string{"", "\x01\x02\x03", "\x04\x05\x06\x07\x08\x09", "\xff\xfe\xfd\xfc\xfb\xfa\xf9", "\x05\x03\x04\x05\x02\x01\x00\x07\x02\x02\x02"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		pats := []string{g.pattern(0), g.pattern(0), g.pattern(0)}
		ev := g.stopEvent(0)
		stop, full := stopAndFull(t, pats)
		got, _, err := scanNames(stop, []byte(ev))
		if err != nil {
			t.Fatalf("early stop: %v\nevent: %s", err, ev)
		}
		want, _, err := scanNames(full, []byte(ev))
		if err != nil {
			t.Fatalf("full scan: %v\nevent: %s", err, ev)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("early stop %q, full scan %q\npatterns: %q\nevent:   %s", got, want, pats, ev)
		}
		checkDifferential(t, pats, ev)
	})
}
