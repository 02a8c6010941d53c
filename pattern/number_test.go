package pattern

import (
	"math"
	"math/rand"
	"strconv"
	"testing"
)

func TestNumberValue(t *testing.T) {
	cases := []struct {
		text      string
		f         float64
		exact, ok bool
	}{
		{"0", 0, true, true},
		{"-0", 0, true, true},
		{"0.0", 0, true, true},
		{"300", 300, true, true},
		{"3.0e2", 300, true, true},
		{"3E+2", 300, true, true},
		{"300.000", 300, true, true},
		{"0.1", 0.1, true, true},
		{"0.10", 0.1, true, true},
		{"-1.5", -1.5, true, true},
		{"123456789012", 123456789012, true, true},
		{"9007199254740993", 9007199254740992, false, true}, // 2^53+1 rounds
		{"12345678901234567890123", 1.2345678901234568e22, false, true},
		{"1.2345678901234568e22", 1.2345678901234568e22, true, true},
		{"0.30000000000000004", 0.30000000000000004, true, true},
		{"0.300000000000000044", 0.30000000000000004, false, true},
		{"-122.497355374210898", -122.4973553742109, false, true},
		{"5e-324", 5e-324, true, true},
		{"1e400", 0, false, false},
		{"-1e400", 0, false, false},
	}
	for _, c := range cases {
		f, exact, ok := numberValue([]byte(c.text))
		if f != c.f || exact != c.exact || ok != c.ok {
			t.Errorf("numberValue(%s) = %v, %v, %v; want %v, %v, %v", c.text, f, exact, ok, c.f, c.exact, c.ok)
		}
	}
}

// TestFastFloat checks the cheap conversion against strconv: exact when it
// says so, within a few ulps otherwise.
func TestFastFloat(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	texts := []string{"0", "-0", "1", "-122.497355374210898", "37.747402478562002", "0.000033", "1e22", "1e23", "123456789012345678901234", "9007199254740993", "4.9e-10", "1E-5"}
	for i := 0; i < 20000; i++ {
		f := (r.Float64() - 0.5) * math.Pow(10, float64(r.Intn(40)-20))
		texts = append(texts, strconv.FormatFloat(f, 'g', -1, 64), strconv.FormatFloat(f, 'f', 18, 64), strconv.FormatFloat(f, 'e', r.Intn(20), 64))
	}
	for _, s := range texts {
		want, _ := strconv.ParseFloat(s, 64)
		got, precise, ok := fastFloat([]byte(s))
		if !ok {
			continue
		}
		if precise && got != want {
			t.Errorf("fastFloat(%s) = %v precise, want %v", s, got, want)
		}
		if math.Abs(got-want) > math.Abs(want)*4e-16 {
			t.Errorf("fastFloat(%s) = %v, want about %v", s, got, want)
		}
	}
}

// TestNumIndexBounds: values next to range bounds, written with more digits
// than float64 holds, land on the right side.
func TestNumIndexBounds(t *testing.T) {
	cases := []struct {
		pattern, value string
		want           bool
	}{
		{`[">",-122.497355374210898]`, "-122.497355374210880", true},
		{`[">",-122.497355374210898]`, "-122.497355374210897", false}, // same float64
		{`[">",-122.497355374210898]`, "-122.497355374210898", false},
		{`[">=",0.1]`, "0.100000000000000005551115123125782702118", true},
		{`["<",0.1]`, "0.0999999999999999999999", false}, // rounds to 0.1
		{`["=",5]`, "5.00000000000000000001", true},
		{`["<=",1e22]`, "10000000000000000000000.0000001", true},
		{`[">",0]`, "-0", false},
		{`[">=",0]`, "-0.0", true},
	}
	for _, c := range cases {
		p := mustCompile(t, `{"a":[{"numeric":`+c.pattern+`}]}`)
		for _, ev := range []string{`{"a":` + c.value + `}`, `{"a":[` + c.value + `]}`} {
			got, err := p.Match([]byte(ev))
			if err != nil || got != c.want {
				t.Errorf("numeric %s vs %s: got %v, %v; want %v", c.pattern, ev, got, err, c.want)
			}
		}
	}
}

func TestNumIndexOverlapping(t *testing.T) {
	m := NewMatcher()
	bounds := []string{`[">",0]`, `["<",10]`, `[">=",5,"<",7]`, `["=",5]`, `[">",6,"<=",100]`}
	for i, b := range bounds {
		m.Add(strconv.Itoa(i), mustCompile(t, `{"a":[{"numeric":`+b+`}]}`))
	}
	cases := map[string]string{"-1": "1", "0": "1", "1": "01", "5": "0123", "6": "012", "6.5": "0124", "7": "014", "10": "04", "100": "04", "101": "0"}
	for v, want := range cases {
		got := ""
		for _, n := range sortedMatch(t, m, `{"a":`+v+`}`) {
			got += n
		}
		if got != want {
			t.Errorf("value %s: got %q, want %q", v, got, want)
		}
	}
}
