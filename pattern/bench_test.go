package pattern

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
)

// The benchmarks read the citylots-shaped corpus produced by
// ../shared/tools/citylots-gen (gzip, one JSON event per line) from the
// path in SWITCHYARD_CITYLOTS, and fall back to the 400-event sample in
// testdata so that `go test ./...` never needs the large file.

var (
	corpusOnce   sync.Once
	corpusEvents [][]byte
	corpusBytes  int64
	corpusErr    error
)

func citylots(b *testing.B) [][]byte {
	corpusOnce.Do(func() {
		path := os.Getenv("SWITCHYARD_CITYLOTS")
		if path == "" {
			path = "testdata/citylots-sample.jlines.gz"
		}
		f, err := os.Open(path)
		if err != nil {
			corpusErr = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			corpusErr = err
			return
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			corpusEvents = append(corpusEvents, append([]byte(nil), line...))
			corpusBytes += int64(len(line))
		}
		corpusErr = sc.Err()
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusEvents
}

// operatorRules holds five rules per operator type, as in the issue.
var operatorRules = []struct {
	name  string
	rules []string
}{
	{"exact", []string{
		`{"properties":{"STREET":["CRANLEIGH"]}}`,
		`{"properties":{"STREET":["LOMBARD"]}}`,
		`{"properties":{"STREET":["UNION"]}}`,
		`{"properties":{"STREET":["MARKET"]}}`,
		`{"properties":{"ST_TYPE":["AVE"]}}`,
	}},
	{"prefix", []string{
		`{"properties":{"STREET":[{"prefix":"AC"}]}}`,
		`{"properties":{"STREET":[{"prefix":"BUR"}]}}`,
		`{"properties":{"STREET":[{"prefix":"LO"}]}}`,
		`{"properties":{"MAPBLKLOT":[{"prefix":"56"}]}}`,
		`{"properties":{"BLKLOT":[{"prefix":"387"}]}}`,
	}},
	{"suffix", []string{
		`{"properties":{"STREET":[{"suffix":"RD"}]}}`,
		`{"properties":{"STREET":[{"suffix":"ON"}]}}`,
		`{"properties":{"STREET":[{"suffix":"ST"}]}}`,
		`{"properties":{"LOT_NUM":[{"suffix":"2"}]}}`,
		`{"properties":{"MAPBLKLOT":[{"suffix":"042"}]}}`,
	}},
	{"equals-ignore-case", []string{
		`{"properties":{"STREET":[{"equals-ignore-case":"cranleigh"}]}}`,
		`{"properties":{"STREET":[{"equals-ignore-case":"Lombard"}]}}`,
		`{"properties":{"STREET":[{"equals-ignore-case":"union"}]}}`,
		`{"properties":{"STREET":[{"equals-ignore-case":"market"}]}}`,
		`{"properties":{"ST_TYPE":[{"equals-ignore-case":"ave"}]}}`,
	}},
	{"prefix-suffix-ignore-case", []string{
		`{"properties":{"STREET":[{"prefix":{"equals-ignore-case":"ac"}}]}}`,
		`{"properties":{"STREET":[{"prefix":{"equals-ignore-case":"bur"}}]}}`,
		`{"properties":{"STREET":[{"suffix":{"equals-ignore-case":"rd"}}]}}`,
		`{"properties":{"STREET":[{"suffix":{"equals-ignore-case":"on"}}]}}`,
		`{"properties":{"ST_TYPE":[{"prefix":{"equals-ignore-case":"a"}}]}}`,
	}},
	{"wildcard", []string{
		`{"properties":{"STREET":[{"wildcard":"*N*ER"}]}}`,
		`{"properties":{"STREET":[{"wildcard":"L*D"}]}}`,
		`{"properties":{"STREET":[{"wildcard":"*ION"}]}}`,
		`{"properties":{"MAPBLKLOT":[{"wildcard":"56*42"}]}}`,
		`{"properties":{"BLKLOT":[{"wildcard":"*0*"}]}}`,
	}},
	{"numeric", []string{
		`{"geometry":{"coordinates":[{"numeric":[">",-122.5,"<",-122.49]}]}}`,
		`{"geometry":{"coordinates":[{"numeric":[">=",37.79]}]}}`,
		`{"geometry":{"coordinates":[{"numeric":["<",-122.51]}]}}`,
		`{"geometry":{"coordinates":[{"numeric":["=",0]}]}}`,
		`{"geometry":{"coordinates":[{"numeric":[">",37.7,"<=",37.71]}]}}`,
	}},
	{"anything-but", []string{
		`{"properties":{"STREET":[{"anything-but":["CRANLEIGH","LOMBARD"]}]}}`,
		`{"properties":{"STREET":[{"anything-but":"UNION"}]}}`,
		`{"properties":{"ST_TYPE":[{"anything-but":["ST","AVE"]}]}}`,
		`{"properties":{"ODD_EVEN":[{"anything-but":"O"}]}}`,
		`{"properties":{"LOT_NUM":[{"anything-but":["001","002"]}]}}`,
	}},
	{"anything-but-variants", []string{
		`{"properties":{"STREET":[{"anything-but":{"prefix":"L"}}]}}`,
		`{"properties":{"STREET":[{"anything-but":{"suffix":"ON"}}]}}`,
		`{"properties":{"STREET":[{"anything-but":{"equals-ignore-case":["union","lombard"]}}]}}`,
		`{"properties":{"STREET":[{"anything-but":{"wildcard":"*N*"}}]}}`,
		`{"properties":{"ST_TYPE":[{"anything-but":{"prefix":"A"}}]}}`,
	}},
	{"exists", []string{
		`{"properties":{"ST_TYPE":[{"exists":true}]}}`,
		`{"properties":{"ST_TYPE":[{"exists":false}]}}`,
		`{"properties":{"NOPE":[{"exists":false}]}}`,
		`{"properties":{"STREET":[{"exists":true}]}}`,
		`{"geometry":{"type":[{"exists":true}]}}`,
	}},
	{"cidr", []string{
		`{"properties":{"STREET":[{"cidr":"10.0.0.0/8"}]}}`,
		`{"properties":{"MAPBLKLOT":[{"cidr":"192.168.0.0/16"}]}}`,
		`{"properties":{"BLKLOT":[{"cidr":"2001:db8::/32"}]}}`,
		`{"properties":{"LOT_NUM":[{"cidr":"172.16.0.0/12"}]}}`,
		`{"properties":{"ST_TYPE":[{"cidr":"10.1.0.0/16"}]}}`,
	}},
	{"or", []string{
		`{"$or":[{"properties":{"STREET":["CRANLEIGH"]}},{"properties":{"ST_TYPE":["AVE"]}}]}`,
		`{"properties":{"$or":[{"STREET":["LOMBARD"]},{"ODD_EVEN":["E"]}]}}`,
		`{"$or":[{"properties":{"STREET":[{"prefix":"UN"}]}},{"geometry":{"type":["MultiPolygon"]}}]}`,
		`{"properties":{"$or":[{"STREET":["MARKET"]},{"LOT_NUM":["001"]}]}}`,
		`{"$or":[{"properties":{"BLOCK_NUM":["5675"]}},{"properties":{"FROM_ST":["969"]}}]}`,
	}},
	{"deep-coordinates", []string{
		`{"geometry":{"coordinates":[-122.497355374210898]}}`,
		`{"geometry":{"coordinates":[37.747402478562002]}}`,
		`{"geometry":{"type":["Polygon"],"coordinates":[0]}}`,
		`{"geometry":{"coordinates":[{"exists":true}]}}`,
		`{"geometry":{"coordinates":[-122.5]}}`,
	}},
}

func readGzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func matcherFor(b *testing.B, rules []string) *Matcher {
	m := NewMatcher()
	for i, r := range rules {
		p, err := Compile([]byte(r))
		if err != nil {
			b.Fatalf("%s: %v", r, err)
		}
		m.Add(fmt.Sprintf("r%d", i), p)
	}
	return m
}

// runCorpus matches events round-robin, one per iteration, and reports
// events/s and matches per event alongside ns/op.
func runCorpus(b *testing.B, m *Matcher, events [][]byte) {
	var dst []string
	matches := 0
	n := 0
	b.SetBytes(corpusBytes / int64(len(events)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var err error
		dst, err = m.MatchAppend(dst[:0], events[n%len(events)])
		if err != nil {
			b.Fatal(err)
		}
		matches += len(dst)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(matches)/float64(n), "matches/event")
}

// BenchmarkCitylotsOperators: five rules of each operator type.
func BenchmarkCitylotsOperators(b *testing.B) {
	events := citylots(b)
	for _, set := range operatorRules {
		b.Run(set.name, func(b *testing.B) {
			runCorpus(b, matcherFor(b, set.rules), events)
		})
	}
}

// scaleRules makes n property-only rules from the corpus's own values:
// exact MAPBLKLOT values, MAPBLKLOT prefixes combined with a STREET, and
// equals-ignore-case STREETs combined with an exact BLKLOT. Rules made from
// the first n events match those events; beyond the corpus size, values get
// a suffix so that rules stay distinct (and mostly do not match).
func scaleRules(events [][]byte, n int) []string {
	rules := make([]string, 0, n)
	for i := 0; len(rules) < n; i++ {
		ev := events[i%len(events)]
		mapblklot := fieldValue(ev, `"MAPBLKLOT": "`)
		street := fieldValue(ev, `"STREET": "`)
		if i >= len(events) {
			mapblklot += fmt.Sprint(i / len(events))
		}
		switch i % 3 {
		case 0:
			rules = append(rules, fmt.Sprintf(`{"properties":{"MAPBLKLOT":[%q]}}`, mapblklot))
		case 1:
			rules = append(rules, fmt.Sprintf(`{"properties":{"MAPBLKLOT":[{"prefix":%q}],"STREET":[%q]}}`, mapblklot[:len(mapblklot)-1], street))
		default:
			rules = append(rules, fmt.Sprintf(`{"properties":{"BLKLOT":[%q],"STREET":[{"equals-ignore-case":%q}]}}`, mapblklot, street))
		}
	}
	return rules
}

func fieldValue(ev []byte, key string) string {
	i := bytes.Index(ev, []byte(key))
	if i < 0 {
		return "X"
	}
	rest := ev[i+len(key):]
	return string(rest[:bytes.IndexByte(rest, '"')])
}

// BenchmarkCitylotsRules: property-only rules at 10, 1,000 and 10,000.
func BenchmarkCitylotsRules(b *testing.B) {
	events := citylots(b)
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := matcherFor(b, scaleRules(events, n))
			m.Match(events[0]) // build outside the timer
			runCorpus(b, m, events)
		})
	}
}

// BenchmarkPatternMatch: a single compiled pattern on a small event.
func BenchmarkPatternMatch(b *testing.B) {
	p, err := Compile([]byte(`{"source":["aws.ec2"],"detail":{"state":[{"anything-but":"pending"}],"count":[{"numeric":[">",3]}]}}`))
	if err != nil {
		b.Fatal(err)
	}
	ev := []byte(`{"version":"0","id":"1","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012","time":"2017-12-22T18:43:48Z","region":"us-west-1","resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1"],"detail":{"instance-id":"i-1","state":"terminated","count":5}}`)
	b.SetBytes(int64(len(ev)))
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := p.Match(ev); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkCompile measures compiling a mid-sized pattern.
func BenchmarkCompile(b *testing.B) {
	src := []byte(`{"source":["aws.ec2"],"detail":{"state":[{"anything-but":["pending","stopped"]}],"$or":[{"count":[{"numeric":[">",3,"<=",10]}]},{"ip":[{"cidr":"10.0.0.0/8"}]}],"name":[{"prefix":{"equals-ignore-case":"web"}},{"wildcard":"db-*-prod"}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatcherRebuild measures the copy-on-write rebuild that the first
// Match after a change pays, for 1,000 rules.
func BenchmarkMatcherRebuild(b *testing.B) {
	events := citylots(b)
	m := matcherFor(b, scaleRules(events, 1000))
	p := mustCompile(b, `{"properties":{"STREET":["CHANGED"]}}`)
	b.ReportAllocs()
	for b.Loop() {
		m.Add("changed", p)
		if _, err := m.Match(events[0]); err != nil {
			b.Fatal(err)
		}
	}
}
