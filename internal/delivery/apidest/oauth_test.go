package apidest

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// tokenServer is a real authorization endpoint issuing tok-1, tok-2, ...
type tokenServer struct {
	*httptest.Server
	mu        sync.Mutex
	fetches   []seen
	expiresIn string // JSON value; "" omits expires_in
	status    int
	raw       string // when set, sent instead of a token
}

func newTokenServer(t *testing.T) *tokenServer {
	t.Helper()
	ts := &tokenServer{expiresIn: "3600", status: 200}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ts.mu.Lock()
		ts.fetches = append(ts.fetches, seen{Method: r.Method, Header: r.Header.Clone(), Body: string(b), Query: r.URL.RawQuery})
		n, exp, status, raw := len(ts.fetches), ts.expiresIn, ts.status, ts.raw
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if raw != "" {
			io.WriteString(w, raw)
			return
		}
		body := fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer"`, n)
		if exp != "" {
			body += `,"expires_in":` + exp
		}
		io.WriteString(w, body+"}")
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) count() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.fetches)
}

func (ts *tokenServer) oauth() *OAuth {
	return &OAuth{
		Endpoint: ts.URL + "/oauth/token?tenant=t1", Method: "POST",
		ClientID: "client_id", ClientSecret: "client-secret-value",
		Params: Params{
			Headers: []KV{{"oauthheader", "value2"}},
			Query:   []KV{{"oauthquery", "value3"}},
			Body:    []KV{{"oauthbody", "value1"}, {"audience", "https://api"}},
		},
	}
}

// bearerServer answers 200 to "Bearer <good>" and 401 to anything else;
// good == "" accepts every token.
func bearerServer(t *testing.T, good func() string) *recorder {
	t.Helper()
	dst := newRecorder(t)
	dst.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if g := good(); g != "" && r.Header.Get("Authorization") != "Bearer "+g {
			io.Copy(io.Discard, r.Body)
			dst.mu.Lock()
			dst.reqs = append(dst.reqs, seen{Header: r.Header.Clone()})
			dst.mu.Unlock()
			w.WriteHeader(http.StatusUnauthorized)
			return true
		}
		return false
	}
	return dst
}

func oauthRequest(dstURL string, o *OAuth) Request {
	return post(dstURL, Auth{Type: AuthOAuth, OAuth: o})
}

func TestOAuthTokenRequest(t *testing.T) {
	ts := newTokenServer(t)
	c := New(Options{})
	tok, exp, err := c.FetchToken(context.Background(), "", *ts.oauth())
	if err != nil || tok != "tok-1" {
		t.Fatalf("FetchToken = %q, %v", tok, err)
	}
	if d := time.Until(exp); d < 3590*time.Second || d > 3600*time.Second {
		t.Errorf("expiry in %v", d)
	}
	f := ts.fetches[0]
	if f.Method != "POST" {
		t.Errorf("method %s", f.Method)
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("client_id:client-secret-value"))
	for k, v := range map[string]string{
		"Authorization": wantAuth, "Oauthheader": "value2",
		"Content-Type": "application/x-www-form-urlencoded", "User-Agent": DefaultUserAgent,
	} {
		if got := f.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if f.Query != "oauthquery=value3&tenant=t1" {
		t.Errorf("query %q", f.Query)
	}
	form, _ := url.ParseQuery(f.Body)
	want := url.Values{"grant_type": {"client_credentials"}, "oauthbody": {"value1"}, "audience": {"https://api"}}
	if form.Encode() != want.Encode() {
		t.Errorf("form %q, want %q", f.Body, want.Encode())
	}
	if strings.Contains(f.Body, "secret") || strings.Contains(f.Query, "secret") {
		t.Error("client secret sent outside the Authorization header")
	}
}

func TestOAuthTokenRequestGETAndGrantOverride(t *testing.T) {
	ts := newTokenServer(t)
	o := ts.oauth()
	o.Method = "get"
	o.Params.Body = append(o.Params.Body, KV{"grant_type", "custom"})
	if _, _, err := New(Options{}).FetchToken(context.Background(), "", *o); err != nil {
		t.Fatal(err)
	}
	f := ts.fetches[0]
	q, _ := url.ParseQuery(f.Query)
	if f.Method != "GET" || f.Body != "" || q.Get("grant_type") != "custom" || q.Get("oauthbody") != "value1" || q.Get("tenant") != "t1" {
		t.Errorf("GET token request: %s query %q body %q", f.Method, f.Query, f.Body)
	}
}

func TestOAuthCachesOneTokenForManyInvocations(t *testing.T) {
	ts := newTokenServer(t)
	dst := bearerServer(t, func() string { return "tok-1" })
	c := New(Options{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if res := c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth())); res.Err != nil {
				t.Error(res.Err)
			}
		})
	}
	wg.Wait()
	if n := ts.count(); n != 1 {
		t.Errorf("%d token fetches for 20 invocations", n)
	}
	if dst.count() != 20 {
		t.Errorf("%d requests reached the destination", dst.count())
	}
	wantCommon(t, dst.last(t), event)
}

func TestOAuthFetchTokenSeedsCache(t *testing.T) {
	ts := newTokenServer(t)
	dst := bearerServer(t, func() string { return "tok-1" })
	c := New(Options{})
	if _, _, err := c.FetchToken(context.Background(), "conn", *ts.oauth()); err != nil {
		t.Fatal(err)
	}
	c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
	if ts.count() != 1 {
		t.Errorf("%d fetches", ts.count())
	}
	c.Forget("conn")
	res := c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
	// tok-2 is refused by this destination, and so is the retry's tok-3.
	if ts.count() != 3 || res.Status != 401 || res.Retryable {
		t.Errorf("after Forget: %d fetches, %+v", ts.count(), res)
	}
}

func TestOAuthRefreshesBeforeExpiry(t *testing.T) {
	ts := newTokenServer(t)
	ts.expiresIn = `"300"` // a string, as some servers send it
	dst := bearerServer(t, func() string { return "" })
	synctest.Test(t, func(t *testing.T) {
		c := New(Options{})
		invoke := func() {
			if res := c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth())); res.Err != nil {
				t.Fatal(res.Err)
			}
		}
		invoke()
		time.Sleep(239 * time.Second) // 61 s of life left: keep
		invoke()
		if n := ts.count(); n != 1 {
			t.Fatalf("%d fetches with 61 s left", n)
		}
		time.Sleep(2 * time.Second) // 59 s left: refresh
		invoke()
		if n := ts.count(); n != 2 {
			t.Fatalf("%d fetches with 59 s left", n)
		}
		if got := dst.last(t).Header.Get("Authorization"); got != "Bearer tok-2" {
			t.Errorf("after refresh sent %q", got)
		}
	})
}

func TestOAuthShortLivedToken(t *testing.T) {
	ts := newTokenServer(t)
	ts.expiresIn = "20" // shorter than the 60 s margin: refresh at half life
	dst := bearerServer(t, func() string { return "" })
	synctest.Test(t, func(t *testing.T) {
		c := New(Options{})
		c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
		time.Sleep(9 * time.Second)
		c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
		if ts.count() != 1 {
			t.Fatalf("%d fetches before half life", ts.count())
		}
		time.Sleep(2 * time.Second)
		c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
		if ts.count() != 2 {
			t.Fatalf("%d fetches after half life", ts.count())
		}
	})
}

func TestOAuthWithoutExpiryKeptUntil401(t *testing.T) {
	ts := newTokenServer(t)
	ts.expiresIn = ""
	var mu sync.Mutex
	good := "tok-1"
	dst := bearerServer(t, func() string { mu.Lock(); defer mu.Unlock(); return good })
	synctest.Test(t, func(t *testing.T) {
		c := New(Options{})
		c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
		time.Sleep(48 * time.Hour)
		c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
		if ts.count() != 1 {
			t.Fatalf("%d fetches", ts.count())
		}
		mu.Lock()
		good = "tok-2"
		mu.Unlock()
		if res := c.Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth())); res.Err != nil {
			t.Fatal(res.Err)
		}
		if ts.count() != 2 {
			t.Fatalf("%d fetches after a 401", ts.count())
		}
	})
}

func TestOAuth401RefetchesAndRetriesOnce(t *testing.T) {
	for _, status := range []int{401, 407} {
		ts := newTokenServer(t)
		dst := newRecorder(t)
		var calls int
		var mu sync.Mutex
		dst.intercept = func(w http.ResponseWriter, r *http.Request) bool {
			io.Copy(io.Discard, r.Body)
			mu.Lock()
			calls++
			mu.Unlock()
			if r.Header.Get("Authorization") != "Bearer tok-2" {
				w.WriteHeader(status)
			}
			return true
		}
		res := New(Options{}).Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
		if res.Err != nil || res.Status != 200 || ts.count() != 2 || calls != 2 {
			t.Errorf("%d: %+v after %d fetches, %d calls", status, res, ts.count(), calls)
		}
	}

	// A destination that always refuses gets exactly two attempts.
	ts := newTokenServer(t)
	dst := bearerServer(t, func() string { return "never" })
	res := New(Options{}).Invoke(context.Background(), oauthRequest(dst.URL, ts.oauth()))
	if res.Status != 401 || res.Retryable || res.Code != target.CodeSDKClientError || dst.count() != 2 || ts.count() != 2 {
		t.Errorf("always 401: %+v, %d calls, %d fetches", res, dst.count(), ts.count())
	}
}

func TestOAuthTokenEndpointFailures(t *testing.T) {
	// Nothing listens on port 1; a port freed by closing a listener could
	// be taken by a parallel test's server before the call.
	closed := refusingURL
	cases := []struct {
		name      string
		setup     func(*tokenServer)
		endpoint  string
		retryable bool
		code      string
		sentinel  error
	}{
		{"down", nil, closed, true, target.CodeConnectionFailure, nil},
		{"garbage json", func(ts *tokenServer) { ts.raw = `{"access_token": tok` }, "", false, target.CodeSDKClientError, ErrTokenResponse},
		{"html", func(ts *tokenServer) { ts.raw = `<html>login</html>` }, "", false, target.CodeSDKClientError, ErrTokenResponse},
		{"no token", func(ts *tokenServer) { ts.raw = `{"token_type":"Bearer"}` }, "", false, target.CodeSDKClientError, ErrTokenResponse},
		{"number token", func(ts *tokenServer) { ts.raw = `{"access_token":42}` }, "", false, target.CodeSDKClientError, ErrTokenResponse},
		{"header injection", func(ts *tokenServer) { ts.raw = `{"access_token":"a\r\nX: y"}` }, "", false, target.CodeSDKClientError, ErrTokenResponse},
		{"bad credentials", func(ts *tokenServer) { ts.status = 401; ts.raw = `{"error":"invalid_client"}` }, "", false, target.CodeSDKClientError, ErrStatus},
		{"throttled", func(ts *tokenServer) { ts.status = 429 }, "", true, target.CodeThrottling, ErrStatus},
		{"server error", func(ts *tokenServer) { ts.status = 503 }, "", true, target.CodeSDKClientError, ErrStatus},
		{"bad method", func(ts *tokenServer) {}, "method", false, target.CodeInvalidParameter, ErrInvalidRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTokenServer(t)
			if tc.setup != nil {
				tc.setup(ts)
			}
			o := ts.oauth()
			switch tc.endpoint {
			case "":
			case "method":
				o.Method = "DELETE"
			default:
				o.Endpoint = tc.endpoint + "/token?key=query-secret"
			}
			dst := newRecorder(t)
			c := New(Options{})
			res := c.Invoke(context.Background(), oauthRequest(dst.URL, o))
			if res.Status != 0 || res.Retryable != tc.retryable || res.Code != tc.code || res.Err == nil {
				t.Errorf("result %+v", res)
			}
			if tc.sentinel != nil && !errors.Is(res.Err, tc.sentinel) {
				t.Errorf("error %v is not %v", res.Err, tc.sentinel)
			}
			if dst.count() != 0 {
				t.Error("destination called without a token")
			}
			if msg := res.Err.Error(); strings.Contains(msg, "secret") {
				t.Errorf("error leaks a secret: %s", msg)
			}
			_, _, err := c.FetchToken(context.Background(), "conn", *o)
			if err == nil || strings.Contains(err.Error(), "secret") {
				t.Errorf("FetchToken error %v", err)
			}
			// A failed fetch is not cached: the next attempt asks again.
			before := ts.count()
			c.Invoke(context.Background(), oauthRequest(dst.URL, o))
			if tc.endpoint == "" && ts.count() != before+1 {
				t.Error("failure was cached")
			}
		})
	}
}

func TestOAuthWaiterSurvivesFetcherCancellation(t *testing.T) {
	release := make(chan struct{})
	var fetches int
	var mu sync.Mutex
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		fetches++
		n := fetches
		mu.Unlock()
		if n == 1 {
			select { // the first fetch hangs until its caller gives up
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		io.WriteString(w, `{"access_token":"ok","expires_in":3600}`)
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(func() { close(release) })
	dst := newRecorder(t)
	c := New(Options{})
	o := &OAuth{Endpoint: ts.URL, ClientID: "id", ClientSecret: "s"}

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan target.Result)
	go func() { first <- c.Invoke(ctx, oauthRequest(dst.URL, o)) }()
	for { // wait until the first fetch is at the server
		mu.Lock()
		n := fetches
		mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	second := make(chan target.Result)
	go func() { second <- c.Invoke(context.Background(), oauthRequest(dst.URL, o)) }()
	time.Sleep(20 * time.Millisecond) // let the second caller queue behind the fetch
	cancel()
	if res := <-first; res.Code != "" || !res.Retryable || !errors.Is(res.Err, context.Canceled) {
		t.Errorf("cancelled caller: %+v", res)
	}
	if res := <-second; res.Err != nil {
		t.Errorf("waiting caller: %+v", res)
	}
}

func TestParseTokenResponse(t *testing.T) {
	cases := []struct {
		in   string
		tok  string
		life time.Duration
		ok   bool
	}{
		{`{"access_token":"a","expires_in":3600}`, "a", time.Hour, true},
		{`{"access_token":"a","expires_in":"60"}`, "a", time.Minute, true},
		{`{"access_token":"a","expires_in":1.5}`, "a", 1500 * time.Millisecond, true},
		{`{"access_token":"a"}`, "a", 0, true},
		{`{"access_token":"a","expires_in":-5}`, "a", 0, true},
		{`{"access_token":"a","expires_in":null}`, "a", 0, true},
		{`{"access_token":"a","expires_in":"soon"}`, "a", 0, true},
		{`{"access_token":"a","expires_in":1e300}`, "a", maxTokenLife, true},
		{`{"access_token":""}`, "", 0, false},
		{`{"access_token":null}`, "", 0, false},
		{`[]`, "", 0, false},
		{``, "", 0, false},
		{`{"access_token":"a\u0000"}`, "", 0, false},
	}
	for _, tc := range cases {
		tok, life, err := parseTokenResponse([]byte(tc.in))
		if tok != tc.tok || life != tc.life || (err == nil) != tc.ok {
			t.Errorf("%s: %q %v %v", tc.in, tok, life, err)
		}
	}
}

func FuzzParseTokenResponse(f *testing.F) {
	for _, s := range []string{`{"access_token":"a","expires_in":3600}`, `{"access_token":"a","expires_in":"1e9"}`, `{}`, `null`, `{"access_token":"\r"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, life, err := parseTokenResponse(b)
		if err != nil {
			if tok != "" || life != 0 || !errors.Is(err, ErrTokenResponse) {
				t.Fatalf("error with values %q %v %v", tok, life, err)
			}
			return
		}
		if tok == "" || !target.ValidHeaderValue(tok) || life < 0 || life > maxTokenLife {
			t.Fatalf("accepted %q %v", tok, life)
		}
		time.Now().Add(life) // must not overflow
	})
}

func TestTokenCacheSweep(t *testing.T) {
	ts := newTokenServer(t)
	ts.expiresIn = "120"
	synctest.Test(t, func(t *testing.T) {
		c := New(Options{})
		for i := range 5 {
			c.FetchToken(context.Background(), fmt.Sprint("conn-", i), *ts.oauth())
		}
		c.tokens.invalidate("conn-0", "tok-1")
		time.Sleep(3 * time.Minute)
		c.FetchToken(context.Background(), "fresh", *ts.oauth())
		c.token(context.Background(), "fresh", *ts.oauth()) // runs the sweep
		c.tokens.mu.Lock()
		defer c.tokens.mu.Unlock()
		if len(c.tokens.m) != 1 || c.tokens.m["fresh"] == nil {
			t.Errorf("after sweep: %d entries", len(c.tokens.m))
		}
	})
}
