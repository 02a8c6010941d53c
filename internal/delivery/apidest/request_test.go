package apidest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

const event = `{"version":"0","id":"e1","detail-type":"t","source":"s","detail":{"a":[1, 2]}}`

func post(url string, a Auth) Request {
	return Request{
		Conn: Connection{Key: "conn", Auth: a},
		Dest: Destination{Key: "dest", Endpoint: url, Method: "POST"},
		Body: []byte(event),
	}
}

// wantCommon checks the headers EventBridge documents for every request.
func wantCommon(t *testing.T, s seen, body string) {
	t.Helper()
	for k, v := range map[string]string{
		"User-Agent":      "Amazon/EventBridge/ApiDestinations",
		"Content-Type":    "application/json; charset=utf-8",
		"Range":           "bytes=0-1048575",
		"Accept-Encoding": "gzip,deflate",
		"Connection":      "close",
	} {
		if got := s.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if !s.Close {
		t.Error("server did not see Connection: close")
	}
	if s.Body != body || s.Length != int64(len(body)) {
		t.Errorf("body %q (Content-Length %d), want %q", s.Body, s.Length, body)
	}
}

func TestAuthHeaders(t *testing.T) {
	cases := []struct {
		name       string
		auth       Auth
		authHeader string
		check      func(*testing.T, seen)
	}{
		{"basic", Auth{Type: AuthBasic, Username: "user", Password: "p:ss"}, "Authorization", func(t *testing.T, s seen) {
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:p:ss"))
			if got := s.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization = %q, want %q", got, want)
			}
		}},
		{"api key", Auth{Type: AuthAPIKey, APIKeyName: "x-api-key", APIKeyValue: "secret"}, "X-Api-Key", func(t *testing.T, s seen) {
			if got := s.Header.Get("X-Api-Key"); got != "secret" {
				t.Errorf("x-api-key = %q", got)
			}
			if _, ok := s.Header["Authorization"]; ok {
				t.Error("API key auth sent an Authorization header")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := newRecorder(t)
			c := New(Options{})
			r := post(dst.URL, tc.auth)
			r.TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
			res := c.Invoke(context.Background(), r)
			if res.Err != nil || res.Status != 200 || res.Retryable || res.Code != "" {
				t.Fatalf("result %+v", res)
			}
			s := dst.last(t)
			wantCommon(t, s, event)
			if got := s.Header.Get("X-Amzn-Trace-Id"); got != r.TraceHeader {
				t.Errorf("trace header %q", got)
			}
			tc.check(t, s)
			// Nothing else is sent (Host travels outside Header).
			var names []string
			for k := range s.Header {
				names = append(names, k)
			}
			slices.Sort(names)
			want := []string{"Accept-Encoding", "Connection", "Content-Length", "Content-Type", "Range", "User-Agent", "X-Amzn-Trace-Id"}
			want = append(want, tc.authHeader)
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("headers %v\nwant    %v", names, want)
			}
			if s.Host != strings.TrimPrefix(dst.URL, "http://") {
				t.Errorf("Host %q", s.Host)
			}
		})
	}
}

func TestNoTraceHeaderWhenEmpty(t *testing.T) {
	dst := newRecorder(t)
	New(Options{}).Invoke(context.Background(), post(dst.URL, Auth{Type: AuthAPIKey, APIKeyName: "k", APIKeyValue: "v"}))
	if _, ok := dst.last(t).Header["X-Amzn-Trace-Id"]; ok {
		t.Error("X-Amzn-Trace-Id sent without a trace")
	}
}

func TestMergePrecedence(t *testing.T) {
	dst := newRecorder(t)
	r := post(dst.URL+"/p", Auth{
		Type: AuthAPIKey, APIKeyName: "Api", APIKeyValue: "key",
		Invocation: Params{
			Headers: []KV{{"X-Shared", "conn"}, {"X-Conn", "c"}, {"Content-Length", "9999"}},
			Query:   []KV{{"shared", "conn"}, {"cq", "1"}},
			Body:    []KV{{"detail", "replaced"}, {"extra", "x"}},
		},
	})
	r.Target = TargetParams{
		Headers: map[string]string{"x-shared": "target", "X-Target": "t", "Api": "not-the-key"},
		Query:   map[string]string{"shared": "target", "tq": "2"},
	}
	res := New(Options{}).Invoke(context.Background(), r)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	s := dst.last(t)
	for k, v := range map[string]string{"X-Shared": "conn", "X-Conn": "c", "X-Target": "t", "Api": "key"} {
		if got := s.Header.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want [%q]", k, got, v)
		}
	}
	if s.Query != "cq=1&shared=conn&tq=2" {
		t.Errorf("query %q", s.Query)
	}
	want := `{"version":"0","id":"e1","detail-type":"t","source":"s","detail":"replaced","extra":"x"}`
	if s.Body != want || s.Length != int64(len(want)) {
		t.Errorf("body %s (length %d)\nwant %s", s.Body, s.Length, want)
	}
}

func TestPathWildcards(t *testing.T) {
	dst := newRecorder(t)
	r := post(dst.URL+"/orders/*/items/*", Auth{Type: AuthAPIKey, APIKeyName: "k", APIKeyValue: "v"})
	r.Target.PathParameterValues = []string{"a b", "c/d?e*", "ignored"}
	if res := New(Options{}).Invoke(context.Background(), r); res.Err != nil {
		t.Fatal(res.Err)
	}
	if got, want := dst.last(t).URI, "/orders/a%20b/items/c%2Fd%3Fe%2A"; got != want {
		t.Errorf("request URI %q, want %q", got, want)
	}

	r.Target.PathParameterValues = []string{"only-one"}
	res := New(Options{}).Invoke(context.Background(), r)
	if res.Retryable || res.Code != target.CodeInvalidParameter || !errors.Is(res.Err, ErrInvalidRequest) {
		t.Errorf("too few path values: %+v", res)
	}
	if dst.count() != 1 {
		t.Error("a request with unfilled wildcards was sent")
	}
}

func TestQueryEncoding(t *testing.T) {
	dst := newRecorder(t)
	r := post(dst.URL+"/q?fixed=1", Auth{Type: AuthBasic, Username: "u", Password: "p",
		Invocation: Params{Query: []KV{{"multi", "1"}, {"multi", "2"}}}})
	r.Target.Query = map[string]string{"sp ace": "a b&c=d", "uni": "é/?", "multi": "target"}
	if res := New(Options{}).Invoke(context.Background(), r); res.Err != nil {
		t.Fatal(res.Err)
	}
	if got, want := dst.last(t).Query, "fixed=1&multi=1&multi=2&sp+ace=a+b%26c%3Dd&uni=%C3%A9%2F%3F"; got != want {
		t.Errorf("query %q\nwant  %q", got, want)
	}

	// Without parameters the endpoint's query is sent as written.
	r = post(dst.URL+"/q?b=2&a=1", Auth{Type: AuthBasic})
	New(Options{}).Invoke(context.Background(), r)
	if got := dst.last(t).Query; got != "b=2&a=1" {
		t.Errorf("query %q", got)
	}
}

func TestMethodsAndBody(t *testing.T) {
	dst := newRecorder(t)
	for _, m := range []string{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "post"} {
		r := post(dst.URL, Auth{Type: AuthBasic, Username: "u"})
		r.Dest.Method = m
		if res := New(Options{}).Invoke(context.Background(), r); res.Err != nil {
			t.Fatalf("%s: %v", m, res.Err)
		}
		s := dst.last(t)
		if s.Method != strings.ToUpper(m) {
			t.Errorf("method %q, want %q", s.Method, m)
		}
		wantBody := event
		if m == "GET" || m == "HEAD" {
			wantBody = ""
		}
		if s.Body != wantBody {
			t.Errorf("%s: body %q", m, s.Body)
		}
	}
	// An empty body still has a Content-Length on POST.
	r := post(dst.URL, Auth{Type: AuthBasic})
	r.Body = nil
	New(Options{}).Invoke(context.Background(), r)
	if s := dst.last(t); s.Length != 0 || s.Header.Get("Content-Length") != "0" && s.Length != 0 {
		t.Errorf("empty POST: length %d", s.Length)
	}
}

func TestInvalidConfigurations(t *testing.T) {
	dst := newRecorder(t)
	cases := map[string]func(*Request){
		"bad method":        func(r *Request) { r.Dest.Method = "GE T" },
		"bad endpoint":      func(r *Request) { r.Dest.Endpoint = "ftp://x/y" },
		"header injection":  func(r *Request) { r.Target.Headers = map[string]string{"X": "a\r\nEvil: 1"} },
		"bad header name":   func(r *Request) { r.Target.Headers = map[string]string{"X Y": "a"} },
		"bad api key name":  func(r *Request) { r.Conn.Auth = Auth{Type: AuthAPIKey, APIKeyName: "a:b", APIKeyValue: "v"} },
		"unknown auth":      func(r *Request) { r.Conn.Auth = Auth{Type: "NONE"} },
		"oauth without cfg": func(r *Request) { r.Conn.Auth = Auth{Type: AuthOAuth} },
		"colon in user":     func(r *Request) { r.Conn.Auth = Auth{Type: AuthBasic, Username: "a:b"} },
		"bad trace":         func(r *Request) { r.TraceHeader = "a\nb" },
	}
	for name, mutate := range cases {
		r := post(dst.URL, Auth{Type: AuthBasic, Username: "u"})
		mutate(&r)
		res := New(Options{}).Invoke(context.Background(), r)
		if res.Retryable || res.Code != target.CodeInvalidParameter || !errors.Is(res.Err, ErrInvalidRequest) {
			t.Errorf("%s: %+v", name, res)
		}
	}
	if dst.count() != 0 {
		t.Errorf("%d invalid requests were sent", dst.count())
	}
}

func TestMergeBody(t *testing.T) {
	params := []KV{{"k", "v"}, {"dup", "1"}, {"dup", "2"}}
	cases := []struct{ in, want string }{
		{"", `{"k":"v","dup":"2"}`},
		{"  \n", `{"k":"v","dup":"2"}`},
		{`{}`, `{"k":"v","dup":"2"}`},
		{`{"z":1,"k":{"old":true},"a":[1, 2]}`, `{"z":1,"a":[1, 2],"k":"v","dup":"2"}`},
		{` {"x":"\u00e9"} `, `{"x":"\u00e9","k":"v","dup":"2"}`},
		{`[1,2]`, `[1,2]`},
		{`"text"`, `"text"`},
		{`{"broken":`, `{"broken":`},
		{`{"a":1}{"b":2}`, `{"a":1}{"b":2}`},
		{`not json`, `not json`},
	}
	for _, tc := range cases {
		if got := string(mergeBody([]byte(tc.in), params)); got != tc.want {
			t.Errorf("mergeBody(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := string(mergeBody([]byte(event), nil)); got != event {
		t.Errorf("no params changed the body: %s", got)
	}
}

func FuzzMergeBody(f *testing.F) {
	for _, s := range []string{"", "{}", event, `{"k":1,"k":2}`, "[]", `"s"`, `{"a":{"k":"x"}}`} {
		f.Add(s, "k", "v")
	}
	f.Fuzz(func(t *testing.T, body, k, v string) {
		out := mergeBody([]byte(body), []KV{{k, v}})
		in := strings.TrimSpace(body)
		isObject := in == "" || (json.Valid([]byte(in)) && in[0] == '{')
		if !isObject {
			if string(out) != body {
				t.Fatalf("non-object body changed: %q -> %q", body, out)
			}
			return
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("merge of %q gave invalid JSON %q: %v", body, out, err)
		}
		if m[roundTrip(k)] != roundTrip(v) {
			t.Fatalf("merge of %q: %q = %v, want %q", body, k, m[k], v)
		}
	})
}

func TestRedirectNotFollowed(t *testing.T) {
	dst := newRecorder(t)
	dst.status = http.StatusMovedPermanently
	dst.header = http.Header{"Location": {"/elsewhere"}}
	res := New(Options{}).Invoke(context.Background(), post(dst.URL, Auth{Type: AuthBasic}))
	if res.Status != 301 || res.Retryable || dst.count() != 1 {
		t.Errorf("result %+v after %d requests", res, dst.count())
	}
}

// roundTrip is what a JSON string becomes after encoding/json has coerced
// its invalid UTF-8.
func roundTrip(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}
