package server_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/switchyard-dev/switchyard/internal/server"
	"github.com/switchyard-dev/switchyard/internal/testwait"
)

// TestAPIDestinationAuth: BASIC, API_KEY and OAuth client credentials as
// the endpoint sees them, with AWS's headers.
func TestAPIDestinationAuth(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000020", "x", "")
	ctx := context.Background()

	t.Run("basic and api key", func(t *testing.T) {
		rc := newReceiver(t, nil)
		basic := apiDest(t, eb, "basic", rc.URL()+"/basic", 0, &eventbridge.CreateConnectionInput{
			AuthorizationType: types.ConnectionAuthorizationTypeBasic,
			AuthParameters: &types.CreateConnectionAuthRequestParameters{
				BasicAuthParameters: &types.CreateConnectionBasicAuthRequestParameters{Username: aws.String("alice"), Password: aws.String("s3cr3t!")},
			},
		})
		key := apiDest(t, eb, "key", rc.URL()+"/key", 0, &eventbridge.CreateConnectionInput{
			AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
			AuthParameters: &types.CreateConnectionAuthRequestParameters{
				ApiKeyAuthParameters: &types.CreateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("x-api-key"), ApiKeyValue: aws.String("k-123")},
			},
		})
		rule(t, eb, "", "auth", `{"source":["auth"]}`, target("basic", basic), target("key", key))
		id := put1(t, eb, entry("", "auth", "d", `{}`))
		rc.waitHits(t, 2)
		b, k := rc.byPath("/basic"), rc.byPath("/key")
		if len(b) != 1 || len(k) != 1 {
			t.Fatalf("hits %v", rc.Hits())
		}
		if got, want := b[0].Header.Get("Authorization"), "Basic "+base64.StdEncoding.EncodeToString([]byte("alice:s3cr3t!")); got != want {
			t.Errorf("basic: Authorization %q, want %q", got, want)
		}
		if got := k[0].Header.Get("X-Api-Key"); got != "k-123" || k[0].Header.Get("Authorization") != "" {
			t.Errorf("api key: %q, Authorization %q", got, k[0].Header.Get("Authorization"))
		}
		for _, h := range []hit{b[0], k[0]} {
			if h.Method != "POST" || h.Header.Get("User-Agent") != "Amazon/EventBridge/ApiDestinations" ||
				h.Header.Get("Content-Type") != "application/json; charset=utf-8" || eventID(t, h.Body) != id {
				t.Errorf("%s: %s %v %s", h.Path, h.Method, h.Header, h.Body)
			}
		}
	})

	t.Run("oauth", func(t *testing.T) {
		var fetches atomic.Int32
		var tokenReqMu sync.Mutex
		var tokenReq url.Values
		var tokenAuth string
		tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := fetches.Add(1)
			_ = r.ParseForm()
			tokenReqMu.Lock()
			tokenReq, tokenAuth = r.PostForm, r.Header.Get("Authorization")
			tokenReqMu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n)
		}))
		t.Cleanup(tokens.Close)
		var reject atomic.Value // the token the endpoint refuses
		reject.Store("")
		rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "Bearer "+reject.Load().(string) {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.WriteHeader(http.StatusOK)
		})
		dest := apiDest(t, eb, "oauth", rc.URL()+"/oauth", 0, &eventbridge.CreateConnectionInput{
			AuthorizationType: types.ConnectionAuthorizationTypeOauthClientCredentials,
			AuthParameters: &types.CreateConnectionAuthRequestParameters{
				OAuthParameters: &types.CreateConnectionOAuthRequestParameters{
					AuthorizationEndpoint: aws.String(tokens.URL + "/token"),
					HttpMethod:            types.ConnectionOAuthHttpMethodPost,
					ClientParameters:      &types.CreateConnectionOAuthClientRequestParameters{ClientID: aws.String("cid"), ClientSecret: aws.String("csecret")},
				},
			},
		})
		d, err := eb.DescribeConnection(ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("oauth-conn")})
		if err != nil || d.ConnectionState != types.ConnectionStateAuthorized {
			t.Fatalf("connection: %v %v", d.ConnectionState, err)
		}
		tokenReqMu.Lock()
		if tokenReq.Get("grant_type") != "client_credentials" || tokenAuth != "Basic "+base64.StdEncoding.EncodeToString([]byte("cid:csecret")) {
			t.Errorf("token request: %v, Authorization %q", tokenReq, tokenAuth)
		}
		tokenReqMu.Unlock()
		rule(t, eb, "", "oauth", `{"source":["oauth"]}`, target("t", dest))
		for i := range 2 {
			put1(t, eb, entry("", "oauth", "d", `{}`))
			hits := rc.waitHits(t, i+1)
			if got := hits[i].Header.Get("Authorization"); got != "Bearer tok-1" {
				t.Errorf("event %d: Authorization %q", i, got)
			}
		}
		if n := fetches.Load(); n != 1 {
			t.Errorf("token fetched %d times, want once and reused", n)
		}
		// The endpoint now refuses tok-1: 401, a new token, the same event again.
		reject.Store("tok-1")
		id := put1(t, eb, entry("", "oauth", "d", `{"n":3}`))
		hits := rc.waitHits(t, 4)
		if hits[2].Header.Get("Authorization") != "Bearer tok-1" || hits[3].Header.Get("Authorization") != "Bearer tok-2" ||
			eventID(t, hits[2].Body) != id || eventID(t, hits[3].Body) != id {
			t.Errorf("after 401: %q then %q", hits[2].Header.Get("Authorization"), hits[3].Header.Get("Authorization"))
		}
		if n := fetches.Load(); n != 2 {
			t.Errorf("token fetched %d times, want 2", n)
		}
		put1(t, eb, entry("", "oauth", "d", `{"n":4}`))
		if h := rc.waitHits(t, 5)[4]; h.Header.Get("Authorization") != "Bearer tok-2" {
			t.Errorf("new token not reused: %q", h.Header.Get("Authorization"))
		}
	})
}

// TestAPIDestinationParameters: connection and target HTTP parameters
// merged (the connection wins), path wildcards with a literal and a
// dynamic value.
func TestAPIDestinationParameters(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000021", "x", "")
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "p", rc.URL()+"/a/*/b/*?fixed=1", 0, &eventbridge.CreateConnectionInput{
		AuthorizationType: types.ConnectionAuthorizationTypeApiKey,
		AuthParameters: &types.CreateConnectionAuthRequestParameters{
			ApiKeyAuthParameters: &types.CreateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("X-Key"), ApiKeyValue: aws.String("kv")},
			InvocationHttpParameters: &types.ConnectionHttpParameters{
				HeaderParameters: []types.ConnectionHeaderParameter{
					{Key: aws.String("X-Conn"), Value: aws.String("conn")},
					{Key: aws.String("X-Both"), Value: aws.String("from-connection"), IsValueSecret: true},
				},
				QueryStringParameters: []types.ConnectionQueryStringParameter{{Key: aws.String("q"), Value: aws.String("conn")}},
			},
		},
	})
	rule(t, eb, "", "p", `{"source":["p"]}`, types.Target{Id: aws.String("t"), Arn: aws.String(dest),
		HttpParameters: &types.HttpParameters{
			PathParameterValues:   []string{"lit", "$.detail.x"},
			HeaderParameters:      map[string]string{"X-Target": "t", "X-Both": "from-target", "X-Dyn": "$.detail.x", "X-Src": "$.source"},
			QueryStringParameters: map[string]string{"q": "target", "tq": "$.detail.x", "n": "$.detail.n"},
		},
		InputPath: aws.String("$.detail"),
	})
	put1(t, eb, entry("", "p", "d", `{"x":"v 1/2","n":7}`))
	h := rc.waitHits(t, 1)[0]
	if h.Path != "/a/lit/b/v%201%2F2" {
		t.Errorf("path %s", h.Path)
	}
	q, _ := url.ParseQuery(h.Query)
	if q.Get("fixed") != "1" || q.Get("q") != "conn" || len(q["q"]) != 1 || q.Get("tq") != "v 1/2" || q.Get("n") != "7" {
		t.Errorf("query %s", h.Query)
	}
	for k, v := range map[string]string{"X-Conn": "conn", "X-Both": "from-connection", "X-Target": "t", "X-Dyn": "v 1/2", "X-Src": "p", "X-Key": "kv"} {
		if got := h.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	// Dynamic values read the original event; the body is the transformed one.
	if string(h.Body) != `{"x":"v 1/2","n":7}` {
		t.Errorf("body %s", h.Body)
	}
}

// TestAPIDestinationRateLimit: at 1 invocation per second, 3 events are all
// delivered, the k-th (from 0) no sooner than k seconds after PutEvents.
// The exact spacing of the limiter is tested in package apidest, in a
// synctest bubble; here the times are taken at the receiver, where a busy
// machine delays each request by a different amount (gaps of 0.47 s were
// seen between requests sent 1 s apart), so only bounds that such delays
// cannot break are checked: a request cannot arrive before it is sent, and
// the k-th cannot be sent before k seconds after the call.
func TestAPIDestinationRateLimit(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000022", "x", "")
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "slow", rc.URL()+"/slow", 1, nil)
	rule(t, eb, "", "slow", `{"source":["slow"]}`, target("t", dest))
	before := time.Now()
	out := put(t, eb, entry("", "slow", "d", `{"n":1}`), entry("", "slow", "d", `{"n":2}`), entry("", "slow", "d", `{"n":3}`))
	if out.FailedEntryCount != 0 {
		t.Fatal(out.Entries)
	}
	hits := rc.waitHits(t, 3)
	ids := map[string]bool{}
	for _, h := range hits {
		ids[eventID(t, h.Body)] = true
	}
	for _, e := range out.Entries {
		if !ids[*e.EventId] {
			t.Errorf("event %s not delivered", *e.EventId)
		}
	}
	at := []time.Time{hits[0].At, hits[1].At, hits[2].At}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	for k := 1; k < 3; k++ {
		// 10 ms for the clock's granularity; no limit would put them all
		// within milliseconds of the call.
		if since := at[k].Sub(before); since < time.Duration(k)*time.Second-10*time.Millisecond {
			t.Errorf("request %d arrived %v after PutEvents at 1/s, want at least %ds", k+1, since, k)
		}
	}
	// The receiver sees the third request before the server counts its
	// answer: wait for the count.
	waitFor(t, "three deliveries counted", func() bool { return stats(t, s)["delivered"] == 3 })
	if st := stats(t, s); st["failed"] != 0 || st["delivered"] != 3 {
		t.Errorf("stats %v", st)
	}
}

// retryTarget is a target with a retry policy and a dead-letter queue.
func retryTarget(dest, account string, attempts int32) types.Target {
	return types.Target{Id: aws.String("t"), Arn: aws.String(dest),
		RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(attempts), MaximumEventAgeInSeconds: aws.Int32(60)},
		DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String("arn:aws:sqs:us-east-1:" + account + ":dlq")}}
}

// TestRetryThenDelivered: 500, 500, then 200: delivered once, after two
// retries.
func TestRetryThenDelivered(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000040", "x", "")
	rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	dest := apiDest(t, eb, "flaky", rc.URL()+"/flaky", 0, nil)
	rule(t, eb, "", "flaky", `{"source":["flaky"]}`, target("t", dest))
	id := put1(t, eb, entry("", "flaky", "d", `{}`))
	waitFor(t, "delivery", func() bool { return stats(t, s)["delivered"] == 1 })
	hits := rc.Hits()
	if len(hits) != 3 {
		t.Fatalf("%d requests, want 3", len(hits))
	}
	for _, h := range hits {
		if eventID(t, h.Body) != id {
			t.Errorf("retry carried %s", h.Body)
		}
	}
	st := stats(t, s)
	if st["retried"] < 2 || st["failed"] != 2 || st["invocations"] != 3 || st["dead_lettered"] != 0 || st["dropped"] != 0 {
		t.Errorf("stats %v", st)
	}
}

// TestDeadLetters: failures that end in the dead-letter queue, with AWS's
// message attributes; the server keeps serving meanwhile.
func TestDeadLetters(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	const acct = "100000000041"
	eb := client(s, acct, "x", "")
	ruleArn := func(name string) string { return "arn:aws:events:us-east-1:" + acct + ":rule/" + name }
	check := func(t *testing.T, dl deadLetter, rule, dest, code, exhausted, attempts string) {
		t.Helper()
		a := dl.Attributes
		t.Logf("dead letter attributes: %v", a)
		if a["RULE_ARN"] != ruleArn(rule) || a["TARGET_ARN"] != dest || a["RETRY_ATTEMPTS"] != attempts ||
			a["EXHAUSTED_RETRY_CONDITION"] != exhausted || a["ERROR_MESSAGE"] == "" || (code != "" && a["ERROR_CODE"] != code) || a["ERROR_CODE"] == "" {
			t.Errorf("dead letter attributes %v; want rule %s, code %s, exhausted %q, attempts %s", a, rule, code, exhausted, attempts)
		}
	}

	t.Run("503 always", func(t *testing.T) {
		t.Parallel()
		rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
		dest := apiDest(t, eb, "down", rc.URL()+"/down", 0, nil)
		rule(t, eb, "", "down", `{"source":["down"]}`, retryTarget(dest, acct, 1))
		id := put1(t, eb, entry("", "down", "d", `{"k":"v"}`))
		dl := deadLetterOf(t, s, id)
		check(t, dl, "down", dest, "", "MaximumRetryAttempts", "1")
		if n := len(rc.Hits()); n != 2 {
			t.Errorf("%d requests, want 2 (one retry)", n)
		}
		if eventID(t, dl.Event) != id || !json.Valid(dl.Event) {
			t.Errorf("dead letter event %s", dl.Event)
		}
	})

	t.Run("400 not retried", func(t *testing.T) {
		t.Parallel()
		rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadRequest) })
		dest := apiDest(t, eb, "bad", rc.URL()+"/bad", 0, nil)
		rule(t, eb, "", "bad", `{"source":["bad"]}`, retryTarget(dest, acct, 5))
		id := put1(t, eb, entry("", "bad", "d", `{}`))
		dl := deadLetterOf(t, s, id)
		check(t, dl, "bad", dest, "", "", "0")
		if n := len(rc.Hits()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})

	t.Run("oauth token endpoint down", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		down := "http://" + ln.Addr().String() + "/token"
		ln.Close() // nothing listens there any more
		rc := newReceiver(t, nil)
		dest := apiDest(t, eb, "oauth-down", rc.URL()+"/oauth-down", 0, &eventbridge.CreateConnectionInput{
			AuthorizationType: types.ConnectionAuthorizationTypeOauthClientCredentials,
			AuthParameters: &types.CreateConnectionAuthRequestParameters{
				OAuthParameters: &types.CreateConnectionOAuthRequestParameters{
					AuthorizationEndpoint: aws.String(down), HttpMethod: types.ConnectionOAuthHttpMethodPost,
					ClientParameters: &types.CreateConnectionOAuthClientRequestParameters{ClientID: aws.String("c"), ClientSecret: aws.String("s")},
				},
			},
		})
		d, err := eb.DescribeConnection(context.Background(), &eventbridge.DescribeConnectionInput{Name: aws.String("oauth-down-conn")})
		if err != nil || d.ConnectionState != types.ConnectionStateDeauthorized || aws.ToString(d.StateReason) == "" {
			t.Errorf("connection with its token endpoint down: %v %q %v", d.ConnectionState, aws.ToString(d.StateReason), err)
		}
		rule(t, eb, "", "oauth-down", `{"source":["oauth-down"]}`, retryTarget(dest, acct, 1))
		id := put1(t, eb, entry("", "oauth-down", "d", `{}`))
		dl := deadLetterOf(t, s, id)
		// A DEAUTHORIZED connection sends nothing (see TestDeauthorizedConnection).
		check(t, dl, "oauth-down", dest, "NO_PERMISSIONS", "", "0")
		if n := len(rc.Hits()); n != 0 {
			t.Errorf("the destination was called %d times without a token", n)
		}
	})

	t.Run("hangs", func(t *testing.T) {
		t.Parallel()
		release := make(chan struct{})
		rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		t.Cleanup(func() { close(release) }) // runs before the receiver closes
		ok := newReceiver(t, nil)
		dest := apiDest(t, eb, "hang", rc.URL()+"/hang", 0, nil)
		okDest := apiDest(t, eb, "fine", ok.URL()+"/fine", 0, nil)
		rule(t, eb, "", "hang", `{"source":["hang"]}`, retryTarget(dest, acct, 1))
		rule(t, eb, "", "fine", `{"source":["fine"]}`, target("t", okDest))
		id := put1(t, eb, entry("", "hang", "d", `{}`))
		rc.waitHits(t, 1)
		// While the attempt hangs, PutEvents is answered and other events
		// are delivered.
		for i := range 5 {
			put1(t, eb, entry("", "fine", "d", fmt.Sprintf(`{"n":%d}`, i)))
		}
		ok.waitHits(t, 5)
		dl := deadLetterOf(t, s, id)
		check(t, dl, "hang", dest, "TIMEOUT", "MaximumRetryAttempts", "1")
		if n := len(rc.Hits()); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})

	t.Run("garbage answer", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		var conns atomic.Int32
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				conns.Add(1)
				go func() {
					defer c.Close()
					_ = c.SetDeadline(time.Now().Add(10 * time.Second))
					br := bufio.NewReader(c)
					for { // the request head
						line, err := br.ReadString('\n')
						if err != nil || line == "\r\n" {
							break
						}
					}
					_, _ = c.Write([]byte("\x00\xffNOT HTTP AT ALL\r\n\r\n{{{"))
				}()
			}
		}()
		dest := apiDest(t, eb, "junk", "http://"+ln.Addr().String()+"/junk", 0, nil)
		rule(t, eb, "", "junk", `{"source":["junk"]}`, retryTarget(dest, acct, 0))
		id := put1(t, eb, entry("", "junk", "d", `{}`))
		dl := deadLetterOf(t, s, id)
		check(t, dl, "junk", dest, "", "MaximumRetryAttempts", "0")
		if conns.Load() < 1 {
			t.Error("the endpoint was never called")
		}
		// Still serving.
		put1(t, eb, entry("", "other", "d", `{}`))
	})
}

// TestRetryLimitsFromTheEndpoint: Retry-After, the event's age, and
// targets that are gone.
func TestRetryLimitsFromTheEndpoint(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	const acct = "100000000042"
	eb := client(s, acct, "x", "")
	ctx := context.Background()

	t.Run("Retry-After -1 stops retries", func(t *testing.T) {
		t.Parallel()
		rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "-1")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		dest := apiDest(t, eb, "stop", rc.URL()+"/stop", 0, nil)
		rule(t, eb, "", "stop", `{"source":["stop"]}`, retryTarget(dest, acct, 5))
		id := put1(t, eb, entry("", "stop", "d", `{}`))
		dl := deadLetterOf(t, s, id)
		if a := dl.Attributes; a["RETRY_ATTEMPTS"] != "0" || a["ERROR_CODE"] != "THROTTLING" || a["EXHAUSTED_RETRY_CONDITION"] != "MaximumRetryAttempts" {
			t.Errorf("dead letter %v", a)
		}
		if n := len(rc.Hits()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})

	t.Run("Retry-After beyond the maximum age", func(t *testing.T) {
		t.Parallel()
		rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		dest := apiDest(t, eb, "later", rc.URL()+"/later", 0, nil)
		rule(t, eb, "", "later", `{"source":["later"]}`, retryTarget(dest, acct, 185)) // 60 s maximum age
		id := put1(t, eb, entry("", "later", "d", `{}`))
		dl := deadLetterOf(t, s, id)
		if a := dl.Attributes; a["RETRY_ATTEMPTS"] != "0" || a["EXHAUSTED_RETRY_CONDITION"] != "MaximumEventAgeInSeconds" {
			t.Errorf("dead letter %v", a)
		}
	})

	t.Run("API destination deleted", func(t *testing.T) {
		t.Parallel()
		rc := newReceiver(t, nil)
		dest := apiDest(t, eb, "gone", rc.URL()+"/gone", 0, nil)
		if _, err := eb.DeleteApiDestination(ctx, &eventbridge.DeleteApiDestinationInput{Name: aws.String("gone")}); err != nil {
			t.Fatal(err)
		}
		rule(t, eb, "", "gone", `{"source":["gone"]}`, retryTarget(dest, acct, 5))
		id := put1(t, eb, entry("", "gone", "d", `{}`))
		dl := deadLetterOf(t, s, id)
		if a := dl.Attributes; a["RETRY_ATTEMPTS"] != "0" || a["ERROR_CODE"] != "NO_RESOURCE" || a["TARGET_ARN"] != dest {
			t.Errorf("dead letter %v", a)
		}
		if len(rc.Hits()) != 0 {
			t.Error("delivered to a deleted destination")
		}
	})

	t.Run("trace header and constant input", func(t *testing.T) {
		t.Parallel()
		rc := newReceiver(t, nil)
		dest := apiDest(t, eb, "trace", rc.URL()+"/trace", 0, nil)
		rule(t, eb, "", "trace", `{"source":["trace"]}`, types.Target{Id: aws.String("t"), Arn: aws.String(dest),
			Input: aws.String(` {"fixed": [1, "two"]} `)})
		e := entry("", "trace", "d", `{"ignored":true}`)
		e.TraceHeader = aws.String("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
		put1(t, eb, e)
		h := rc.waitHits(t, 1)[0]
		if h.Header.Get("X-Amzn-Trace-Id") != *e.TraceHeader {
			t.Errorf("X-Amzn-Trace-Id %q", h.Header.Get("X-Amzn-Trace-Id"))
		}
		var v any
		if err := json.Unmarshal(h.Body, &v); err != nil || fmt.Sprint(v) != "map[fixed:[1 two]]" {
			t.Errorf("constant input delivered as %s", h.Body)
		}
	})
}

// TestAPIDestinationRateLimitBacklog: a backlog longer than one attempt's
// time limit at the destination's rate is still delivered, every event,
// at the rate. It takes over a minute: run it with SWITCHYARD_SLOW_TESTS=1.
func TestAPIDestinationRateLimitBacklog(t *testing.T) {
	if os.Getenv("SWITCHYARD_SLOW_TESTS") == "" {
		t.Skip("slow (75 s): set SWITCHYARD_SLOW_TESTS=1")
	}
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000023", "x", "")
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "backlog", rc.URL()+"/backlog", 1, nil)
	rule(t, eb, "", "backlog", `{"source":["backlog"]}`, target("t", dest))
	const n = 70
	for i := 0; i < n; i += 10 {
		var es []types.PutEventsRequestEntry
		for j := range 10 {
			es = append(es, entry("", "backlog", "d", fmt.Sprintf(`{"n":%d}`, i+j)))
		}
		if out := put(t, eb, es...); out.FailedEntryCount != 0 {
			t.Fatal(out.Entries)
		}
	}
	// At 1/s a delivery arrives every second: the wait goes on while they
	// do, and fails when they stop short of n.
	testwait.For(t, fmt.Sprintf("%d events delivered at 1/s", n), func() testwait.Status {
		got := len(rc.Hits())
		return testwait.Status{Done: got >= n, Progress: int64(got), Missing: fmt.Sprintf("%d of %d; stats %v", n-got, n, stats(t, s))}
	})
	t.Logf("stats %v", stats(t, s))
	time.Sleep(2 * time.Second) // would-be duplicates
	ids := map[string]int{}
	for _, h := range rc.Hits() {
		ids[eventID(t, h.Body)]++
	}
	if st := stats(t, s); len(ids) != n || len(rc.Hits()) != n || st["events_routed"] != n {
		t.Errorf("%d requests for %d events (%d distinct); stats %v", len(rc.Hits()), n, len(ids), st)
	}
}

// TestDeauthorizedConnection: nothing is sent through a deauthorized
// connection ("You must update any API destinations ... that use the
// de-authorized connection to use a different connection to successfully
// send requests", user guide); authorized again, it delivers.
func TestDeauthorizedConnection(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	const acct = "100000000043"
	eb := client(s, acct, "x", "")
	ctx := context.Background()
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "d", rc.URL()+"/x", 0, nil)
	if _, err := eb.DeauthorizeConnection(ctx, &eventbridge.DeauthorizeConnectionInput{Name: aws.String("d-conn")}); err != nil {
		t.Fatal(err)
	}
	rule(t, eb, "", "r", `{"source":["p"]}`, retryTarget(dest, acct, 5))
	id := put1(t, eb, entry("", "p", "d", `{}`))
	dl := deadLetterOf(t, s, id)
	if a := dl.Attributes; a["ERROR_CODE"] != "NO_PERMISSIONS" || a["RETRY_ATTEMPTS"] != "0" || a["TARGET_ARN"] != dest {
		t.Errorf("dead letter %v", a)
	}
	if h := rc.Hits(); len(h) != 0 {
		t.Fatalf("sent through a deauthorized connection: %v", h[0].Header)
	}
	if _, err := eb.UpdateConnection(ctx, &eventbridge.UpdateConnectionInput{Name: aws.String("d-conn"),
		AuthParameters: &types.UpdateConnectionAuthRequestParameters{
			BasicAuthParameters: &types.UpdateConnectionBasicAuthRequestParameters{Username: aws.String("u2"), Password: aws.String("p2")},
		}}); err != nil {
		t.Fatal(err)
	}
	id = put1(t, eb, entry("", "p", "d", `{}`))
	h := rc.waitHits(t, 1)[0]
	if eventID(t, h.Body) != id || h.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte("u2:p2")) {
		t.Errorf("after re-authorization: %v %s", h.Header, h.Body)
	}
}

// TestCloseWhileRateLimited: invocations waiting for their rate limit do not
// hold Close up: they are ended (their events go to the retry stream) and
// Close returns in time, cleanly.
func TestCloseWhileRateLimited(t *testing.T) {
	t.Parallel()
	s := startServer(t, server.Config{})
	eb := client(s, "100000000024", "x", "")
	rc := newReceiver(t, nil)
	dest := apiDest(t, eb, "slow", rc.URL()+"/slow", 1, nil)
	rule(t, eb, "", "slow", `{"source":["slow"]}`, target("t", dest))
	var es []types.PutEventsRequestEntry
	for i := range 10 {
		es = append(es, entry("", "slow", "d", fmt.Sprintf(`{"n":%d}`, i)))
	}
	put(t, eb, es...)
	put(t, eb, es...)
	rc.waitHits(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Errorf("Close: %v", err)
	}
	if n := len(rc.Hits()); n >= 20 {
		t.Errorf("all %d events delivered before Close returned: the test proves nothing", n)
	}
}
