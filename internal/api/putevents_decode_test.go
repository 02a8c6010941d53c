package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
)

// checkDecodePutEvents is the property decodePutEvents must have: when it
// decodes, the result is json.Unmarshal's into a zero request (and decode's,
// the path it replaces), and both succeed; when it declines, it leaves the
// request untouched. It reports whether the fast path decoded.
func checkDecodePutEvents(t *testing.T, body []byte) bool {
	t.Helper()
	sentinel := wire.PutEventsRequest{EndpointId: ptr("sentinel")}
	got := sentinel
	if !decodePutEvents(body, &got) {
		if !reflect.DeepEqual(got, sentinel) {
			t.Fatalf("%q: declined but changed the request to %s", body, dump(got))
		}
		return false
	}
	var want wire.PutEventsRequest
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatalf("%q: decoded, but json.Unmarshal fails: %v\nfast path: %s", body, err, dump(got))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\nfast path    %s\njson.Unmarshal %s", body, dump(got), dump(want))
	}
	var viaDecode wire.PutEventsRequest
	if err := decode(body, &viaDecode); err != nil || !reflect.DeepEqual(viaDecode, want) {
		t.Fatalf("%q: decode gives %s, %v", body, dump(viaDecode), err)
	}
	return true
}

// dump shows a request with its pointers followed, Time included.
func dump(r wire.PutEventsRequest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{EndpointId:%s Entries(nil=%v):[", deref(r.EndpointId), r.Entries == nil)
	for _, e := range r.Entries {
		t := "<nil>"
		if e.Time != nil {
			t = e.Time.Time.String()
		}
		fmt.Fprintf(&b, "{Time:%s Source:%s DetailType:%s Detail:%s EventBusName:%s TraceHeader:%s Resources(nil=%v):%q}",
			t, deref(e.Source), deref(e.DetailType), deref(e.Detail), deref(e.EventBusName), deref(e.TraceHeader), e.Resources == nil, e.Resources)
	}
	b.WriteString("]}")
	return b.String()
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%q", *s)
}

var (
	sdkOnce   sync.Once
	sdkBodies [][]byte
	sdkErr    error
)

// sdkPutEventsBodies are PutEvents bodies as aws-sdk-go-v2 sends them,
// captured from the client itself: every entry member, Unicode, characters
// JSON escapes, and a Time with milliseconds.
func sdkPutEventsBodies(t testing.TB) [][]byte {
	sdkOnce.Do(func() {
		var mu sync.Mutex
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			sdkBodies = append(sdkBodies, b)
			mu.Unlock()
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = io.WriteString(w, `{"FailedEntryCount":0,"Entries":[]}`)
		}))
		defer srv.Close()
		c := eventbridge.New(eventbridge.Options{
			Region:       "us-east-1",
			Credentials:  credentials.NewStaticCredentialsProvider("000000000000", "secret", ""),
			BaseEndpoint: aws.String(srv.URL),
			Retryer:      aws.NopRetryer{},
		})
		tm := time.Date(2026, 11, 22, 9, 7, 21, 123e6, time.UTC)
		requests := [][]types.PutEventsRequestEntry{
			{{Source: aws.String("shop"), DetailType: aws.String("Order Placed"), Detail: aws.String(`{"orderId":"o-1","total":12.5}`)}},
			{{Source: aws.String("shop"), DetailType: aws.String("Order Placed"), Detail: aws.String(benchDetail(1024)),
				EventBusName: aws.String("orders"), Time: &tm, Resources: []string{"arn:aws:s3:::bucket/key", "r2"},
				TraceHeader: aws.String("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")}},
			{
				{Source: aws.String("café.source"), DetailType: aws.String("tab\tnewline\n<>&\u2028"), Detail: aws.String(`{"emoji":"🎉","quote":"\"","ctl":"\u0001","esc":"\\u00e9"}`)},
				{Source: aws.String("s"), DetailType: aws.String("d"), Detail: aws.String("{ \"pretty\" : [ 1 , 2 ] }"),
					EventBusName: aws.String("arn:aws:events:us-east-1:123456789012:event-bus/b"), Resources: []string{}},
			},
		}
		for _, entries := range requests {
			if _, err := c.PutEvents(context.Background(), &eventbridge.PutEventsInput{Entries: entries}); err != nil {
				sdkErr = err
				return
			}
		}
	})
	if sdkErr != nil {
		t.Fatal(sdkErr)
	}
	return sdkBodies
}

// benchDetail is a Detail of n bytes as JSON in a JSON string carries it:
// mostly quoted names and short values.
func benchDetail(n int) string {
	var b strings.Builder
	b.WriteString(`{"kind":"load","customer":{"id":"cus_41f0a9","tier":"gold"},"items":[{"sku":"SKU-0001","qty":2,"price":19.99}]`)
	for i := 0; b.Len() < n-20; i++ {
		fmt.Fprintf(&b, `,"field%d":"value %d"`, i, i)
	}
	for b.Len() < n-1 {
		b.WriteByte(' ')
	}
	b.WriteByte('}')
	return b.String()
}

func TestDecodePutEventsSDK(t *testing.T) {
	for _, body := range sdkPutEventsBodies(t) {
		if !checkDecodePutEvents(t, body) {
			t.Errorf("the fast path declines an SDK body: %s", body)
		}
	}
}

// decodeCases are bodies with whether the fast path is expected to decode
// them; checkDecodePutEvents holds the result to encoding/json's either way.
var decodeCases = []struct {
	body string
	fast bool
}{
	{`{}`, true},
	{" \t\r\n{ \t\r\n} \t\r\n", true},
	{`{"Entries":[]}`, true},
	{`{"Entries":null}`, true},
	{`{"Entries":[null]}`, true},
	{`{"Entries":[{}]}`, true},
	{`{"Entries":[{"Source":"s","DetailType":"d","Detail":"{\"a\":1}","EventBusName":"b","TraceHeader":"t","Resources":["r1","r2"]}],"EndpointId":"e"}`, true},
	{`{ "Entries" : [ { "Source" : "s" , "Resources" : [ ] } , { } ] , "EndpointId" : null }`, true},
	{`{"Entries":[{"Source":null,"DetailType":null,"Detail":null,"EventBusName":null,"TraceHeader":null,"Resources":null,"Time":null}]}`, true},
	{`{"Entries":[{"Resources":["a",null,"b"]}]}`, true},
	// Time: numbers and strings as wire.Timestamp reads them.
	{`{"Entries":[{"Time":1767268800}]}`, true},
	{`{"Entries":[{"Time":1767268800.123}]}`, true},
	{`{"Entries":[{"Time":1.767268800123E9}]}`, true},
	{`{"Entries":[{"Time":-1}]}`, true},
	{`{"Entries":[{"Time":0}]}`, true},
	{`{"Entries":[{"Time":"2026-01-01T12:00:00Z"}]}`, true},
	{`{"Entries":[{"Time":"2026-01-01T12:00:00.5+02:00"}]}`, true},
	{`{"Entries":[{"Time":"2026-01-01"}]}`, true},
	{`{"Entries":[{"Time":"2026\u002d01-01"}]}`, true},
	{`{"Entries":[{"Time":1e12}]}`, false},        // out of range: an error
	{`{"Entries":[{"Time":"yesterday"}]}`, false}, // an error
	{`{"Entries":[{"Time":true}]}`, false},
	{`{"Entries":[{"Time":{}}]}`, false},
	{`{"Entries":[{"Time":[1]}]}`, false},
	{`{"Entries":[{"Time":1,"Time":null}]}`, true},
	{`{"Entries":[{"Time":null,"Time":2}]}`, true},
	// Strings as encoding/json unescapes them.
	{`{"EndpointId":"\"\\\/\b\f\n\r\t"}`, true},
	{`{"EndpointId":"\u00e9\u20AC\ud83c\udf89"}`, true},
	{`{"EndpointId":"\ud800"}`, true},        // lone high surrogate: U+FFFD
	{`{"EndpointId":"\udc00"}`, true},        // lone low surrogate
	{`{"EndpointId":"\ud800\u0041"}`, true},  // high surrogate then not a low one
	{`{"EndpointId":"\ud800\ud800"}`, true},  // two high surrogates
	{`{"EndpointId":"\udc00\ud800"}`, true},  // reversed pair
	{`{"EndpointId":"\ud800\udc00x"}`, true}, // a pair
	{`{"EndpointId":"\u0000"}`, true},
	{"{\"EndpointId\":\"\xff\xfe\"}", true},                     // invalid UTF-8
	{"{\"EndpointId\":\"\xed\xa0\x80\"}", true},                 // a surrogate encoded in UTF-8
	{"{\"EndpointId\":\"\xe2\x82\"}", true},                     // truncated sequence before the quote
	{"{\"EndpointId\":\"\xc0\xaf\xf4\x90\x80\x80\"}", true},     // overlong, beyond U+10FFFF
	{"{\"EndpointId\":\"caf\xc3\xa9 \xf0\x9f\x8e\x89\"}", true}, // valid UTF-8
	// Duplicates: last wins for strings; arrays merge in encoding/json.
	{`{"EndpointId":"a","EndpointId":"b"}`, true},
	{`{"EndpointId":"a","EndpointId":null}`, true},
	{`{"Entries":[{"Source":"a","Source":"b"}]}`, true},
	{`{"Entries":[{"Source":"a"}],"Entries":[{"Detail":"b"}]}`, false},
	{`{"Entries":[{"Resources":["a","b"],"Resources":[null]}]}`, false},
	// Names: exact only; case-insensitive matches go to encoding/json.
	{`{"entries":[{"Source":"s"}]}`, false},
	{`{"ENTRIES":[]}`, false},
	{`{"Entries":[{"source":"s"}]}`, false},
	{`{"Entries":[{"ſource":"s"}]}`, false}, // U+017F folds to s
	{`{"Entries":[{"Source":"s","DETAIL":"x"}]}`, false},
	{`{"\u0045ntries":[{"Source":"s"}]}`, true}, // escaped, but exactly Entries
	{`{"Entries":[{"Sourc\u0065":"s"}]}`, true},
	{`{"Entries":[{"Sources":"s","Source ":"t","Detai":"u"}]}`, true}, // unknown, skipped
	{`{"Source":"s","Unknown":{"a":[1,2,{"b":null}],"c":true,"d":false,"e":-1.5e-3}}`, true},
	{`{"Entries":[{"Extra":[[[[]]]],"Source":"s"}]}`, true},
	{`{"Entries":[{"Extra":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}]}`, false}, // deep: left to encoding/json
	// Wrong types: errors in encoding/json.
	{`{"Entries":{}}`, false},
	{`{"Entries":"x"}`, false},
	{`{"Entries":[1]}`, false},
	{`{"Entries":[[]]}`, false},
	{`{"Entries":[{"Source":1}]}`, false},
	{`{"Entries":[{"Source":true}]}`, false},
	{`{"Entries":[{"Source":{}}]}`, false},
	{`{"Entries":[{"Resources":"r"}]}`, false},
	{`{"Entries":[{"Resources":[1]}]}`, false},
	{`{"EndpointId":[]}`, false},
	// Not JSON, or not an object: decode's errors.
	{``, false},
	{`   `, false},
	{`null`, false},
	{`[]`, false},
	{`"x"`, false},
	{"\v{}", false}, // decode trims it (bytes.TrimSpace), json.Unmarshal would not: left to decode
	{"{}\u00a0", false},
	{`{} {}`, false},
	{`{}x`, false},
	{`{`, false},
	{`{"Entries":[}`, false},
	{`{"Entries":[{"Source":"s"},]}`, false},
	{`{"Entries":[{"Source":"s",}]}`, false},
	{`{"Entries":[{"Source" "s"}]}`, false},
	{`{"Entries":[{"Source":"s" "Detail":"d"}]}`, false},
	{`{"EndpointId":"\x"}`, false},
	{`{"EndpointId":"\u12"}`, false},
	{`{"EndpointId":"\ud800\u12"}`, false},
	{"{\"EndpointId\":\"\t\"}", false},
	{`{"X":01}`, false},
	{`{"X":1.}`, false},
	{`{"X":-}`, false},
	{`{"X":tru}`, false},
	{`{"X":nullx}`, false},
	{`{"X":[1 2]}`, false},
	{`{"X":{"a" 1}}`, false},
	{`{"X":{"a":1,}}`, false},
}

func TestDecodePutEvents(t *testing.T) {
	for _, c := range decodeCases {
		if got := checkDecodePutEvents(t, []byte(c.body)); got != c.fast {
			t.Errorf("%q: fast path decoded %v, want %v", c.body, got, c.fast)
		}
	}
}

// FuzzDecodePutEvents holds decodePutEvents to encoding/json on arbitrary
// bodies (checkDecodePutEvents): whenever it decodes, its result is
// json.Unmarshal's.
func FuzzDecodePutEvents(f *testing.F) {
	for _, body := range sdkPutEventsBodies(f) {
		f.Add(body)
	}
	for _, c := range decodeCases {
		f.Add([]byte(c.body))
	}
	// Generated requests give the mutator well-formed structure to start
	// from, which it rarely builds from bytes.
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		f.Add(genRequest(r))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecodePutEvents(t, body)
	})
}

// putEventsBody is a request of n entries with Details of size bytes, as the
// SDK encodes it.
func putEventsBody(tb testing.TB, n, size int) []byte {
	tm := wire.Timestamp{Time: time.Date(2026, 11, 22, 9, 7, 21, 0, time.UTC)}
	req := wire.PutEventsRequest{}
	for range n {
		req.Entries = append(req.Entries, wire.PutEventsRequestEntry{
			Source: ptr("com.example.orders"), DetailType: ptr("Order Placed"), Detail: ptr(benchDetail(size)),
			EventBusName: ptr("orders"), Time: &tm, Resources: []string{"arn:aws:example:us-east-1:123456789012:order/o-1"},
		})
	}
	b, err := json.Marshal(req)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkDecodePutEvents decodes a request of 10 entries with 1 KB
// Details: before, encoding/json (decode); after, the fast path as the
// PutEvents operation runs it (decodeInput).
func BenchmarkDecodePutEvents(b *testing.B) {
	body := putEventsBody(b, 10, 1024)
	if !decodePutEvents(body, new(wire.PutEventsRequest)) {
		b.Fatal("the fast path declines the benchmark body")
	}
	b.Run("before", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var in wire.PutEventsRequest
			if err := decode(body, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("after", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var in wire.PutEventsRequest
			if err := decodeInput(body, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDecodePutEventsGenerated checks bodies built from the request's own
// grammar, with the variations the byte-level fuzzer rarely reaches: names
// in other cases and escaped, duplicates, values of the wrong type, escapes
// and invalid UTF-8 in strings, white space everywhere.
func TestDecodePutEventsGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	fast := 0
	for range n {
		body := genRequest(r)
		if checkDecodePutEvents(t, body) {
			fast++
		}
	}
	// Most generated bodies are well-formed requests: the fast path must
	// take a good share of them, or this test checks little.
	if fast < n/4 {
		t.Errorf("the fast path decoded only %d of %d generated bodies", fast, n)
	}
}

// genRequest writes a body from PutEventsRequest's grammar, with mostly the
// right names and types; about one in a hundred has a byte out of place.
func genRequest(r *rand.Rand) []byte {
	var b []byte
	ws := func() {
		if r.IntN(4) == 0 {
			b = append(b, " \t\r\n"[r.IntN(4)])
		}
	}
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	str := func() {
		b = append(b, '"')
		for range r.IntN(8) {
			switch r.IntN(12) {
			case 0:
				b = append(b, pick(`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`)...)
			case 1:
				b = append(b, pick(`\u00e9`, `\u0000`, `\ud83c\udf89`, `\ud800`, `\udc00`, `\ud800\u0041`, `\ud800\ud800`, `\uFFFD`, `\u20AC`)...)
			case 2:
				b = append(b, pick("\xff", "\xc3\xa9", "\xed\xa0\x80", "\xe2\x82", "\xf0\x9f\x8e\x89", "\xc0\xaf")...)
			case 3:
				if r.IntN(20) == 0 { // rarely invalid
					b = append(b, pick(`\x`, "\x01", `\u12`)...)
				}
			case 4:
				b = append(b, pick(`{\"a\":1}`, `2026-01-01T12:00:00Z`, `null`)...)
			default:
				b = append(b, "abcXYZ 0-:."[r.IntN(11)])
			}
		}
		b = append(b, '"')
	}
	num := func() {
		b = append(b, pick("0", "-1", "1767268800", "1767268800.123", "1.5e9", "-0", "1e12", "12.50", "1E+2")...)
	}
	var value func(depth int)
	value = func(depth int) {
		switch r.IntN(9) {
		case 0, 1:
			str()
		case 2:
			num()
		case 3:
			b = append(b, pick("true", "false", "null")...)
		case 4:
			if depth < 4 {
				b = append(b, '[')
				for i := range r.IntN(3) {
					if i > 0 {
						b = append(b, ',')
					}
					ws()
					value(depth + 1)
					ws()
				}
				b = append(b, ']')
				return
			}
			b = append(b, "[]"...)
		default:
			if depth < 4 {
				b = append(b, '{')
				for i := range r.IntN(3) {
					if i > 0 {
						b = append(b, ',')
					}
					ws()
					b = append(b, `"k`+string(rune('a'+r.IntN(3)))+`"`...)
					ws()
					b = append(b, ':')
					ws()
					value(depth + 1)
					ws()
				}
				b = append(b, '}')
				return
			}
			b = append(b, "{}"...)
		}
	}
	// name writes a member name: mostly one of names, sometimes in another
	// case, escaped, or unknown.
	name := func(names ...string) string {
		n0 := names[r.IntN(len(names))]
		n := n0
		switch r.IntN(30) {
		case 0:
			n = strings.ToLower(n)
		case 1:
			n = `\u00` + fmt.Sprintf("%x", n[0]) + n[1:]
		case 2:
			n = pick("Unknown", "X", "ſource", "Entry", n+"s")
		}
		b = append(b, '"')
		b = append(b, n...)
		b = append(b, '"')
		return n0
	}
	// member writes a value for a known member: mostly the right type.
	strOrNull := func() {
		switch r.IntN(30) {
		case 0:
			b = append(b, "null"...)
		case 1:
			value(3)
		default:
			str()
		}
	}
	entry := func() {
		if r.IntN(15) == 0 {
			b = append(b, "null"...)
			return
		}
		b = append(b, '{')
		for i := range r.IntN(8) {
			if i > 0 {
				b = append(b, ',')
			}
			ws()
			n := name("Source", "DetailType", "Detail", "EventBusName", "TraceHeader", "Resources", "Time")
			ws()
			b = append(b, ':')
			ws()
			switch n {
			case "Resources":
				switch r.IntN(10) {
				case 0:
					b = append(b, "null"...)
				case 1:
					value(3)
				default:
					b = append(b, '[')
					for j := range r.IntN(3) {
						if j > 0 {
							b = append(b, ',')
						}
						ws()
						strOrNull()
						ws()
					}
					b = append(b, ']')
				}
			case "Time":
				switch r.IntN(6) {
				case 0:
					b = append(b, "null"...)
				case 1:
					b = append(b, pick(`"2026-01-01T12:00:00Z"`, `"2026-01-01"`, `"20260101T120000Z"`, `"x"`, `true`, `{}`)...)
				default:
					num()
				}
			default:
				strOrNull()
			}
			ws()
		}
		b = append(b, '}')
	}
	ws()
	b = append(b, '{')
	for i := range r.IntN(4) {
		if i > 0 {
			b = append(b, ',')
		}
		ws()
		n := name("Entries", "Entries", "Entries", "EndpointId")
		ws()
		b = append(b, ':')
		ws()
		switch n {
		case "Entries":
			if r.IntN(10) == 0 {
				value(3)
				break
			}
			b = append(b, '[')
			for j := range r.IntN(4) {
				if j > 0 {
					b = append(b, ',')
				}
				ws()
				entry()
				ws()
			}
			b = append(b, ']')
		default:
			strOrNull()
		}
		ws()
	}
	b = append(b, '}')
	ws()
	if r.IntN(100) == 0 { // a byte out of place
		i := r.IntN(len(b))
		b[i] = "{}[],:\" x"[r.IntN(9)]
	}
	return b
}
