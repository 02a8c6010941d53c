package target_test

// The plain-HTTP helpers are tested against local HTTP servers: the client
// really sends, the server sees what arrived. A signature is checked the
// way AWS checks it (targettest.VerifySignature).

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

func TestNewHTTPClient(t *testing.T) {
	var followed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/to" {
			followed.Add(1)
			return
		}
		http.Redirect(w, r, "/to", http.StatusFound)
	}))
	defer srv.Close()
	hc := target.NewHTTPClient(3 * time.Second)
	if hc.Timeout != 3*time.Second {
		t.Errorf("timeout %v", hc.Timeout)
	}
	if tr, ok := hc.Transport.(*http.Transport); !ok || tr.MaxIdleConnsPerHost != 64 {
		t.Errorf("transport %#v", hc.Transport)
	}
	resp, err := hc.Get(srv.URL + "/from")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || followed.Load() != 0 {
		t.Fatalf("status %d, /to called %d times: the redirect was followed", resp.StatusCode, followed.Load())
	}
	// Through SendHTTP the redirect is a failure, not retried.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/from", strings.NewReader("{}"))
	res, _, _ := target.SendHTTP(context.Background(), hc, req, "X", 0)
	if res.Err == nil || res.Retryable || res.Code != target.CodeSDKClientError || followed.Load() != 0 {
		t.Errorf("redirect: %+v, /to called %d times", res, followed.Load())
	}
}

// answering is a server that answers every request with status and body.
func answering(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSendHTTPSuccess(t *testing.T) {
	hc := target.NewHTTPClient(5 * time.Second)
	long := strings.Repeat("y", 2000)
	for _, tc := range []struct {
		status    int
		body      string
		maxAnswer int
		answer    string
		complete  bool
	}{
		{200, `{"data":1}`, 1 << 20, `{"data":1}`, true},
		{201, long, 100, long[:100], false},
		{200, long[:100], 100, long[:100], true}, // exactly the limit: whole
		{204, "", 0, "", true},
		{202, "accepted", 0, "", false}, // the answer not wanted, but there was one
	} {
		srv := answering(t, tc.status, tc.body)
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
		res, answer, complete := target.SendHTTP(context.Background(), hc, req, "X", tc.maxAnswer)
		if res.Err != nil || string(answer) != tc.answer || complete != tc.complete {
			t.Errorf("%d %d bytes, max %d: %+v, answer %d bytes, complete %v; want %d bytes, complete %v",
				tc.status, len(tc.body), tc.maxAnswer, res, len(answer), complete, len(tc.answer), tc.complete)
		}
	}
}

func TestSendHTTPFailures(t *testing.T) {
	hc := target.NewHTTPClient(5 * time.Second)
	long := strings.Repeat("x", 2000)
	// 'é' is two bytes: after the leading 'a', the 512th byte cut falls
	// inside one.
	runes := "a" + strings.Repeat("é", 400)
	for _, tc := range []struct {
		status    int
		body      string
		retryable bool
		code      string
		msg       string
	}{
		{429, `{"message":"Too Many Requests"}`, true, target.CodeThrottling, `Svc answered 429 Too Many Requests: {"message":"Too Many Requests"}`},
		{500, " \n{\"m\":1}\n", true, target.CodeSDKClientError, `Svc answered 500 Internal Server Error: {"m":1}`},
		{503, "", true, target.CodeSDKClientError, "Svc answered 503 Service Unavailable"},
		{502, long, true, target.CodeSDKClientError, "Svc answered 502 Bad Gateway: " + long[:512] + "..."},
		{500, runes, true, target.CodeSDKClientError, "Svc answered 500 Internal Server Error: " + runes[:511] + "..."},
		{401, "", false, target.CodeNoPermissions, "Svc answered 401 Unauthorized"},
		{403, `{"message":"Missing Authentication Token"}`, false, target.CodeNoPermissions, `Svc answered 403 Forbidden: {"message":"Missing Authentication Token"}`},
		{404, "nope", false, target.CodeNoResource, "Svc answered 404 Not Found: nope"},
		{408, "", false, target.CodeTimeout, "Svc answered 408 Request Timeout"},
		{400, "bad", false, target.CodeSDKClientError, "Svc answered 400 Bad Request: bad"},
		{413, "", false, target.CodeSDKClientError, "Svc answered 413 Request Entity Too Large"},
	} {
		srv := answering(t, tc.status, tc.body)
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
		res, answer, complete := target.SendHTTP(context.Background(), hc, req, "Svc", 1<<20)
		if res.Err == nil || res.Retryable != tc.retryable || res.Code != tc.code || answer != nil || complete {
			t.Errorf("%d: %+v, answer %q, complete %v; want retryable=%v code=%s", tc.status, res, answer, complete, tc.retryable, tc.code)
			continue
		}
		if msg := res.Err.Error(); msg != tc.msg || !utf8.ValidString(msg) {
			t.Errorf("%d: message\n %q\nwant\n %q", tc.status, msg, tc.msg)
		}
	}
}

// TestSendHTTPReusesConnections: a failed answer is read to its end (up to
// a bound), so the next request to the host reuses the connection.
func TestSendHTTPReusesConnections(t *testing.T) {
	var dials atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, strings.Repeat("z", 200<<10))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	hc := target.NewHTTPClient(5 * time.Second)
	for range 3 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
		if res, _, _ := target.SendHTTP(context.Background(), hc, req, "X", 0); res.Err == nil || !res.Retryable {
			t.Fatalf("%+v", res)
		}
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d connections for 3 requests, want 1", n)
	}
}

func TestSendHTTPNoAnswer(t *testing.T) {
	hc := target.NewHTTPClient(5 * time.Second)
	u := fmt.Sprintf("http://127.0.0.1:%d/", targettest.FreePort(t))
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader("{}"))
	if res, _, _ := target.SendHTTP(context.Background(), hc, req, "X", 0); res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Errorf("refused: %+v, want retryable CONNECTION_FAILURE", res)
	}

	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answer only once the client gave up
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	slow := target.NewHTTPClient(100 * time.Millisecond)
	req, _ = http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
	if res, _, _ := target.SendHTTP(context.Background(), slow, req, "X", 0); res.Err == nil || !res.Retryable || res.Code != target.CodeTimeout {
		t.Errorf("no answer in time: %+v, want retryable TIMEOUT", res)
	}
}

func TestSignHTTP(t *testing.T) {
	srv := targettest.NewStandIn(t, nil)
	c := targettest.Clients(srv.URL)
	body := []byte(`{"query":"mutation M { m }","variables":{}}`)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql?x=a%20b", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if res, ok := c.SignHTTP(context.Background(), req, body, "appsync", "eu-central-1", ""); !ok || res.Err != nil {
		t.Fatalf("SignHTTP: %+v", res)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	rec := srv.Requests()[0]
	targettest.VerifySignature(t, rec, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, "appsync", "eu-central-1")
}

// TestSignHTTPNoCredentials: without credentials nothing is signed, and
// the target is not called.
func TestSignHTTPNoCredentials(t *testing.T) {
	c := target.NewFromConfig(aws.Config{Region: "us-east-1"}, target.Options{})
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/", nil)
	res, ok := c.SignHTTP(context.Background(), req, nil, "execute-api", "us-east-1", "")
	if ok || res.Err == nil || res.Retryable || res.Code != target.CodeNoPermissions || req.Header.Get("Authorization") != "" {
		t.Errorf("%+v, ok=%v, Authorization %q", res, ok, req.Header.Get("Authorization"))
	}
}

// TestSignHTTPRoleRefused: a role STS refuses to assume is NO_PERMISSIONS,
// not retried, and the request is not signed.
func TestSignHTTPRoleRefused(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/not-trusted"
	sts := targettest.FaultEndpoint(t, targettest.Query, targettest.Fault{Status: http.StatusForbidden, Code: "AccessDenied",
		Message: "User is not authorized to perform: sts:AssumeRole"})
	c := target.NewFromConfig(targettest.Config(sts.URL), target.Options{Endpoints: map[string]string{"*": sts.URL}, AssumeRoles: true})
	req, _ := http.NewRequest(http.MethodPost, sts.URL+"/hook", nil)
	res, ok := c.SignHTTP(context.Background(), req, nil, "execute-api", "us-east-1", role)
	if ok || res.Err == nil || res.Retryable || res.Code != target.CodeNoPermissions || req.Header.Get("Authorization") != "" {
		t.Errorf("%+v, ok=%v, Authorization %q", res, ok, req.Header.Get("Authorization"))
	}
	asked := sts.Requests()
	if len(asked) != 1 {
		t.Fatalf("STS was asked %d times, want once", len(asked))
	}
	if f := asked[0].Form(); f.Get("Action") != "AssumeRole" || f.Get("RoleArn") != role {
		t.Errorf("STS was asked %v", f)
	}
}

// TestSignHTTPSTSDown: STS failing while a request is signed is retried,
// and the request is not sent unsigned.
func TestSignHTTPSTSDown(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer down.Close()
	c := target.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIABASE", "s", "")},
		target.Options{AssumeRoles: true, Endpoints: map[string]string{"sts": down.URL}})
	req, _ := http.NewRequest("POST", "http://127.0.0.1:1/x", nil)
	res, ok := c.SignHTTP(context.Background(), req, nil, "execute-api", "us-east-1", "arn:aws:iam::123456789012:role/r")
	if ok || !res.Retryable || req.Header.Get("Authorization") != "" {
		t.Errorf("STS down: ok %v, %+v, Authorization %q", ok, res, req.Header.Get("Authorization"))
	}
}
