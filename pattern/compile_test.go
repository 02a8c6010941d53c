package pattern

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
)

// branchShape renders branches as sorted "path=kinds" lists, to compare
// $or expansion with Event Ruler's documented results.
func branchShape(bs []branch) []string {
	var out []string
	for _, b := range bs {
		var fields []string
		for p, cs := range b {
			fields = append(fields, fmt.Sprintf("%s=%d", p, len(cs)))
		}
		sort.Strings(fields)
		out = append(out, strings.Join(fields, ","))
	}
	return out
}

func TestOrExpansion(t *testing.T) {
	cases := []struct {
		pattern string
		want    []string
	}{
		{`{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"namespace":["AWS/EC2","AWS/ES"]},{"scope":["Service"]}]}`,
			[]string{"metricName=2,source=1", "metricType=1,namespace=2,source=1", "scope=1,source=1"}},
		{`{"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}`,
			[]string{"detail.c-count=1", "detail.d-count=1", "detail.x-limit=1"}},
		// Fields after a $or apply to every alternative.
		{`{"$or":[{"a":[1]},{"b":[1]}],"c":[1]}`, []string{"a=1,c=1", "b=1,c=1"}},
		// Two $or at one level multiply.
		{`{"$or":[{"a":[1]},{"b":[1]}],"x":{"$or":[{"c":[1]},{"d":[1]}]}}`, []string{"a=1,x.c=1", "a=1,x.d=1", "b=1,x.c=1", "b=1,x.d=1"}},
		// Nested $or inside an alternative.
		{`{"$or":[{"a":[1]},{"$or":[{"b":[1]},{"c":[1]}]}]}`, []string{"a=1", "b=1", "c=1"}},
		// A path inside an alternative overrides the same path outside it.
		{`{"a":[1,2],"$or":[{"a":[3]},{"b":[1]}]}`, []string{"a=1", "a=2,b=1"}},
	}
	for _, c := range cases {
		bs, err := compileBranches([]byte(c.pattern))
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		got := branchShape(bs)
		sort.Strings(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s\n got %v\nwant %v", c.pattern, got, c.want)
		}
	}
}

// TestEventRulerOrExample is Event Ruler's documented $or example: rule 2
// expands to six branches and matches the event.
func TestEventRulerOrExample(t *testing.T) {
	rule := `{"detail":{"detail-type":["EC2 Instance State-change Notification"],"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],"info":{"state-status":["initializing","running"],"state-count":{"count":[100]}},"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]},"news":{"newsProviders":["p1","p2"],"$or":[{"newCondition1":["news111"]},{"newCondition2":["news222"]}]}}`
	event := `{"detail":{"detail-type":"EC2 Instance State-change Notification","resources":"arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000","info":{"state-status":"running","state-count":{"count":100}},"c-count":1,"d-count":8},"news":{"newsProviders":"p1","newCondition1":"news111","newCondition2":"news222"}}`
	bs, err := compileBranches([]byte(rule))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 6 {
		t.Fatalf("%d branches, want 6", len(bs))
	}
	if ok, err := mustCompile(t, rule).Match([]byte(event)); !ok || err != nil {
		t.Fatalf("Match = %v, %v", ok, err)
	}
}

func TestOrExpansionLimit(t *testing.T) {
	// Eleven two-way $or objects nested in separate fields: 2^11 branches.
	var parts []string
	for i := 0; i < 11; i++ {
		parts = append(parts, fmt.Sprintf(`"f%d":{"$or":[{"a":[1]},{"b":[1]}]}`, i))
	}
	_, err := Compile([]byte("{" + strings.Join(parts, ",") + "}"))
	if err == nil || !strings.Contains(err.Error(), "too complex") {
		t.Fatalf("got %v", err)
	}
}

func TestNormalizeExistsFalse(t *testing.T) {
	bs, err := compileBranches([]byte(`{"a":["x",{"exists":false}],"b":[{"exists":false}],"c":[1]}`))
	if err != nil {
		t.Fatal(err)
	}
	nbs := normalize(bs)
	if len(nbs) != 2 {
		t.Fatalf("%d branches, want 2", len(nbs))
	}
	var shapes []string
	for _, nb := range nbs {
		shapes = append(shapes, strings.Join(nb.paths, "+")+"|"+strings.Join(nb.absent, "+"))
	}
	sort.Strings(shapes)
	if !slices.Equal(shapes, []string{"a+c|b", "c|a+b"}) {
		t.Fatalf("got %v", shapes)
	}
}

// TestConditionSharing: identical conditions in different rules share one
// group; different ones do not.
func TestConditionSharing(t *testing.T) {
	var rules []compiledRule
	for i, p := range []string{
		`{"a":["x"]}`, `{"a":["x"],"b":[1]}`, `{"a":[{"prefix":"x"}]}`,
		`{"a":[{"anything-but":["p","q"]}]}`, `{"a":[{"anything-but":["q","p"]}]}`,
		`{"b":[1]}`, `{"b":[1.0]}`, `{"b":[{"numeric":[">",1]}]}`,
	} {
		rules = append(rules, compiledRule{name: fmt.Sprint(i), branches: mustCompile(t, p).branches})
	}
	m := buildMachine(rules)
	// groups: a:"x", b:1 (shared by 1.0), a:prefix x, a:anything-but{p,q}, b:numeric
	if len(m.groups) != 5 {
		t.Fatalf("%d groups, want 5", len(m.groups))
	}
}

// TestKeySlotChoice: a branch is reached through its most selective slot.
func TestKeySlotChoice(t *testing.T) {
	var rules []compiledRule
	for i := 0; i < 10; i++ {
		p := fmt.Sprintf(`{"street":["MAIN"],"id":["%d"],"x":[{"exists":true}]}`, i)
		rules = append(rules, compiledRule{name: fmt.Sprint(i), branches: mustCompile(t, p).branches})
	}
	m := buildMachine(rules)
	for _, b := range m.branches {
		key := m.slots[b.slots[b.key]]
		g := key.groups[0]
		if len(m.groups[g].keyOf) != 1 {
			t.Fatalf("branch keyed on a shared group (%d branches)", len(m.groups[g].keyOf))
		}
	}
}

// TestNumIndexRandom compares the segment index with evaluating each range.
func TestNumIndexRandom(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	points := []float64{-10, -1, -0.5, 0, 0.5, 1, 2, 10, 1e9, math.Inf(1), math.Inf(-1)}
	for round := 0; round < 200; round++ {
		var rs []rangeTarget
		for i := r.Intn(8) + 1; i > 0; i-- {
			lo, hi := points[r.Intn(len(points))], points[r.Intn(len(points))]
			if lo > hi {
				lo, hi = hi, lo
			}
			rs = append(rs, rangeTarget{r: numRange{lo: lo, hi: hi, loOpen: r.Intn(2) == 0, hiOpen: r.Intn(2) == 0}, g: int32(len(rs))})
		}
		ix := buildNumIndex(rs)
		for _, v := range []float64{-11, -10, -5, -1, -0.75, -0.5, 0, 0.25, 0.5, 1, 1.5, 2, 5, 10, 1e9, 2e9, math.MaxFloat64} {
			k, _ := ix.segment(v)
			got := slices.Clone(ix.segs[k])
			var want []int32
			for _, rt := range rs {
				if rt.r.contains(v) {
					want = append(want, rt.g)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("value %v ranges %+v: got %v want %v", v, rs, got, want)
			}
		}
	}
}

func TestCIDRTable(t *testing.T) {
	cases := []struct {
		cidr, ip string
		want     bool
	}{
		{"10.0.0.0/8", "10.255.255.255", true},
		{"10.0.0.0/8", "11.0.0.0", false},
		{"10.0.0.0/31", "10.0.0.1", true},
		{"10.0.0.0/31", "10.0.0.2", false},
		{"192.168.1.129/25", "192.168.1.128", true}, // host bits of the operand ignored
		{"192.168.1.129/25", "192.168.1.127", false},
		{"0.0.0.0/0", "0.0.0.0", true},
		{"2001:db8::/32", "2001:db8:ffff::1", true},
		{"2001:db8::/32", "2001:db9::", false},
		{"2001:DB8::/32", "2001:db8::abcd", true},
		{"::/0", "ffff::", true},
		{"::/0", "1.2.3.4", false},
		{"2001:db8::/127", "2001:db8::1", true},
		{"2001:db8::/127", "2001:db8::2", false},
		{"10.0.0.0/24", "010.0.0.5", true},
		{"10.0.0.0/24", "10.0.0.5 ", false},
	}
	for _, c := range cases {
		p := mustCompile(t, `{"ip":[{"cidr":"`+c.cidr+`"}]}`)
		got, err := p.Match([]byte(`{"ip":"` + c.ip + `"}`))
		if err != nil || got != c.want {
			t.Errorf("%s contains %q: got %v, %v", c.cidr, c.ip, got, err)
		}
	}
}
