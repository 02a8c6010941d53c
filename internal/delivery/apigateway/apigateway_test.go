package apigateway_test

// moto serves no execute-api invocation, so these tests stand up a local
// HTTP server in API Gateway's place: it records what it received and
// answers with the status the test chooses. The signature is checked the
// way AWS checks it: recomputed with the SDK's signer over the method,
// URL, body and the headers the Authorization header says were signed, as
// the server received them.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/apigateway"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// received is one request as the stand-in saw it.
type received struct {
	Method, RequestURI, Host, Path string
	Query                          url.Values
	Header                         http.Header
	Body                           []byte
}

// standIn records every request to its channel and answers status/body.
func standIn(t *testing.T, status int, body string) (*httptest.Server, chan received) {
	t.Helper()
	got := make(chan received, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- received{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Path: r.URL.EscapedPath(),
			Query: r.URL.Query(), Header: r.Header.Clone(), Body: b}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

const event = `{"version":"0","id":"e-1","detail-type":"Order","source":"shop","account":"123456789012","time":"2026-01-02T03:04:05Z","region":"eu-west-1","resources":[],"detail":{"id":"o-1","tenant":"acme","q":"red shoes","n":7,"note":"two\nlines"}}`

func request(t *testing.T, a string, hp *wire.HttpParameters) target.Request {
	t.Helper()
	parsed, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: parsed, Target: &wire.Target{Arn: aws.String(a), HttpParameters: hp},
		Payload: []byte(event), Event: []byte(event), EventID: "e-1"}
}

func one(t *testing.T, got chan received) received {
	t.Helper()
	select {
	case r := <-got:
		return r
	default:
		t.Fatal("the stand-in received no request")
		return received{}
	}
}

// verifySignature checks that rec carries a SigV4 signature by creds for
// service in region that is valid for what the server received.
func verifySignature(t *testing.T, rec received, creds aws.Credentials, service, region string) {
	t.Helper()
	auth := rec.Header.Get("Authorization")
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algo) {
		t.Fatalf("Authorization %q is not SigV4", auth)
	}
	fields := map[string]string{}
	for _, f := range strings.Split(strings.TrimPrefix(auth, algo), ", ") {
		k, v, _ := strings.Cut(f, "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[0] != creds.AccessKeyID || scope[2] != region || scope[3] != service || scope[4] != "aws4_request" {
		t.Fatalf("credential scope %q, want %s/<date>/%s/%s/aws4_request", fields["Credential"], creds.AccessKeyID, region, service)
	}
	when, err := time.Parse("20060102T150405Z", rec.Header.Get("X-Amz-Date"))
	if err != nil {
		t.Fatalf("X-Amz-Date: %v", err)
	}
	if scope[1] != when.Format("20060102") {
		t.Fatalf("scope date %s, X-Amz-Date %s", scope[1], when)
	}
	// Rebuild the request from what arrived, with only the signed headers.
	re, err := http.NewRequest(rec.Method, "http://"+rec.Host+rec.RequestURI, strings.NewReader(string(rec.Body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		switch h {
		case "host", "content-length":
			continue // from the URL and the body
		}
		for _, v := range rec.Header.Values(h) {
			re.Header.Add(h, v)
		}
	}
	sum := sha256.Sum256(rec.Body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, re, hex.EncodeToString(sum[:]), service, region, when); err != nil {
		t.Fatal(err)
	}
	if want := re.Header.Get("Authorization"); want != auth {
		t.Fatalf("signature does not verify:\n got  %s\n want %s", auth, want)
	}
}

var testCreds = aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}

func TestDeliverRequest(t *testing.T) {
	srv, got := standIn(t, 200, `{"ok":true}`)
	hp := &wire.HttpParameters{
		PathParameterValues:   []string{"$.detail.id", "a/b c"},
		HeaderParameters:      map[string]string{"X-Tenant": "$.detail.tenant", "X-Static": "fixed", "X-Count": "$.detail.n"},
		QueryStringParameters: map[string]string{"q": "$.detail.q", "mode": "fast"},
	}
	r := request(t, "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/PUT/orders/*/items/*", hp)
	r.TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	if res := apigateway.Deliver(context.Background(), targettest.Clients(srv.URL), r); res.Err != nil {
		t.Fatalf("Deliver: %+v", res)
	}
	rec := one(t, got)
	if rec.Method != "PUT" {
		t.Errorf("method %s, want PUT", rec.Method)
	}
	// The literal segments as the ARN spells them; the first "*" from the
	// event, the second literal and escaped into one segment.
	if want := "/prod/orders/o-1/items/a%2Fb%20c"; rec.Path != want {
		t.Errorf("path %s, want %s", rec.Path, want)
	}
	if rec.Query.Get("q") != "red shoes" || rec.Query.Get("mode") != "fast" || len(rec.Query) != 2 {
		t.Errorf("query %v", rec.Query)
	}
	if h := rec.Header; h.Get("X-Tenant") != "acme" || h.Get("X-Static") != "fixed" || h.Get("X-Count") != "7" {
		t.Errorf("headers %v", h)
	}
	if ct := rec.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if tr := rec.Header.Get("X-Amzn-Trace-Id"); tr != r.TraceHeader {
		t.Errorf("X-Amzn-Trace-Id %q, want %q", tr, r.TraceHeader)
	}
	if string(rec.Body) != event {
		t.Errorf("body %s", rec.Body)
	}
	verifySignature(t, rec, testCreds, "execute-api", "eu-west-1")
}

func TestDeliverAnyMethodIsPost(t *testing.T) {
	for _, a := range []string{
		"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/",
		"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/ANY",
	} {
		srv, got := standIn(t, 202, "")
		r := request(t, a, nil)
		r.Payload = []byte(`{"custom":"input"}`) // a transformed input is the body
		if res := apigateway.Deliver(context.Background(), targettest.Clients(srv.URL), r); res.Err != nil {
			t.Fatalf("%s: %+v", a, res)
		}
		rec := one(t, got)
		if rec.Method != "POST" || rec.Path != "/dev/" || rec.RequestURI != "/dev/" {
			t.Errorf("%s: %s %s", a, rec.Method, rec.RequestURI)
		}
		if string(rec.Body) != `{"custom":"input"}` {
			t.Errorf("%s: body %s", a, rec.Body)
		}
		if rec.Header.Get("X-Amzn-Trace-Id") != "" {
			t.Errorf("%s: a trace header without one to send", a)
		}
		verifySignature(t, rec, testCreds, "execute-api", "us-east-1")
	}
}

func TestDeliverHeaders(t *testing.T) {
	srv, got := standIn(t, 200, "")
	// Each forbidden key here is one Go would send as given (Host is not:
	// Go takes it from the URL; Authorization and X-Amz-Date are not: the
	// signer overwrites them), so only the filter keeps it from arriving.
	forbidden := map[string]string{
		"x-amzn-trace-id":  "forged",
		"X-Amz-Custom":     "forged",
		"X-Forwarded-For":  "10.0.0.1",
		"Via":              "1.1 proxy.example",
		"Max-Forwards":     "0",
		"Www-Authenticate": "Basic",
		"Content-Encoding": "gzip",
		"Connection":       "close",
		"Te":               "trailers",
		"Upgrade":          "h2c",
	}
	headers := map[string]string{"Content-Type": "text/plain"} // allowed: replaces ours
	for k, v := range forbidden {
		headers[k] = v
	}
	r := request(t, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/in", &wire.HttpParameters{HeaderParameters: headers})
	if res := apigateway.Deliver(context.Background(), targettest.Clients(srv.URL), r); res.Err != nil {
		t.Fatalf("%+v", res)
	}
	rec := one(t, got)
	if rec.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("Content-Type %q", rec.Header.Get("Content-Type"))
	}
	for k := range forbidden {
		if v := rec.Header.Values(k); len(v) > 0 {
			t.Errorf("the forbidden header %s was sent: %q", k, v)
		}
	}
	verifySignature(t, rec, testCreds, "execute-api", "us-east-1")
}

func TestDeliverStatuses(t *testing.T) {
	long := strings.Repeat("x", 2000)
	for _, tc := range []struct {
		status    int
		body      string
		ok        bool
		retryable bool
		code      string
	}{
		{200, `{}`, true, false, ""},
		{204, "", true, false, ""},
		{429, `{"message":"Too Many Requests"}`, false, true, target.CodeThrottling},
		{500, `{"message":"Internal server error"}`, false, true, target.CodeSDKClientError},
		{502, long, false, true, target.CodeSDKClientError},
		{503, "", false, true, target.CodeSDKClientError},
		{504, `{"message":"Endpoint request timed out"}`, false, true, target.CodeSDKClientError},
		{401, `{"message":"Unauthorized"}`, false, false, target.CodeNoPermissions},
		{403, `{"message":"Missing Authentication Token"}`, false, false, target.CodeNoPermissions},
		{404, `{"message":"Not Found"}`, false, false, target.CodeNoResource},
		{400, `{"message":"Invalid request body"}`, false, false, target.CodeSDKClientError},
		{408, "", false, false, target.CodeTimeout},
		{413, "", false, false, target.CodeSDKClientError},
		{302, "", false, false, target.CodeSDKClientError}, // not followed
	} {
		srv, got := standIn(t, tc.status, tc.body)
		res := apigateway.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/x", nil))
		one(t, got)
		if tc.ok {
			if res.Err != nil {
				t.Errorf("%d: %+v", tc.status, res)
			}
			continue
		}
		if res.Err == nil || res.Retryable != tc.retryable || res.Code != tc.code {
			t.Errorf("%d: got retryable=%v code=%s err=%v, want retryable=%v code=%s", tc.status, res.Retryable, res.Code, res.Err, tc.retryable, tc.code)
			continue
		}
		msg := res.Err.Error()
		if !strings.Contains(msg, fmt.Sprint(tc.status)) {
			t.Errorf("%d: message %q lacks the status", tc.status, msg)
		}
		if tc.body != "" && tc.body != long && !strings.Contains(msg, tc.body) {
			t.Errorf("%d: message %q lacks the answer", tc.status, msg)
		}
		if tc.body == long && (len(msg) > 700 || !strings.HasSuffix(msg, "...")) {
			t.Errorf("%d: the answer was not truncated: %d bytes", tc.status, len(msg))
		}
	}
}

func TestDeliverConnectionRefused(t *testing.T) {
	url := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	res := apigateway.Deliver(context.Background(), targettest.Clients(url), request(t, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/x", nil))
	if res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Fatalf("got %+v, want retryable CONNECTION_FAILURE", res)
	}
}

func TestDeliverNoAnswerInTime(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answer only once the client gave up
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res := apigateway.Deliver(ctx, targettest.Clients(srv.URL), request(t, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/x", nil))
	if res.Err == nil || !res.Retryable || res.Code != target.CodeTimeout {
		t.Fatalf("got %+v, want retryable TIMEOUT", res)
	}
}

func TestDeliverBadTargets(t *testing.T) {
	srv, got := standIn(t, 200, "")
	c := targettest.Clients(srv.URL)
	for _, tc := range []struct {
		arn  string
		hp   *wire.HttpParameters
		code string
	}{
		{"arn:aws:execute-api:us-east-1:123456789012:abc123", nil, target.CodeNoResource},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod", nil, target.CodeNoResource},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/FETCH/x", nil, target.CodeNoResource},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*/*", &wire.HttpParameters{PathParameterValues: []string{"one"}}, target.CodeInvalidParameter},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*", nil, target.CodeInvalidParameter},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*", &wire.HttpParameters{PathParameterValues: []string{"$.detail.missing"}}, target.CodeInvalidParameter},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/x", &wire.HttpParameters{HeaderParameters: map[string]string{"X-Note": "$.detail.note"}}, target.CodeInvalidParameter},
	} {
		res := apigateway.Deliver(context.Background(), c, request(t, tc.arn, tc.hp))
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s: got %+v, want %s not retried", tc.arn, res, tc.code)
		}
	}
	select {
	case r := <-got:
		t.Errorf("a bad target was called: %s %s", r.Method, r.RequestURI)
	default:
	}
}

// TestDeliverAsRole: with role assumption on, the request is signed with
// the credentials STS gave for the target's RoleArn (the stand-in answers
// STS's AssumeRole too).
func TestDeliverAsRole(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/eventbridge-invoke-api"
	assumed := make(chan string, 1)
	var api = make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/" { // STS, query protocol
			form, _ := url.ParseQuery(string(b))
			if form.Get("Action") != "AssumeRole" {
				http.Error(w, "unexpected STS call "+form.Get("Action"), 400)
				return
			}
			assumed <- form.Get("RoleArn")
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAROLEKEY</AccessKeyId><SecretAccessKey>rolesecret</SecretAccessKey><SessionToken>roletoken</SessionToken><Expiration>%s</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/eventbridge-invoke-api/switchyard</Arn><AssumedRoleId>AROA1:switchyard</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>`, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
			return
		}
		api <- received{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: b}
	}))
	defer srv.Close()
	c := target.NewFromConfig(targettest.Config(srv.URL), target.Options{Endpoints: map[string]string{"*": srv.URL}, AssumeRoles: true})
	r := request(t, "arn:aws:execute-api:ap-southeast-2:123456789012:abc123/prod/POST/hook", nil)
	r.Target.RoleArn = aws.String(role)
	if res := apigateway.Deliver(context.Background(), c, r); res.Err != nil {
		t.Fatalf("%+v", res)
	}
	select { // the stand-in answered STS before Deliver could return
	case got := <-assumed:
		if got != role {
			t.Errorf("assumed %q, want %q", got, role)
		}
	default:
		t.Fatal("STS AssumeRole was not called")
	}
	rec := one(t, api)
	if rec.Header.Get("X-Amz-Security-Token") != "roletoken" {
		t.Errorf("session token %q", rec.Header.Get("X-Amz-Security-Token"))
	}
	verifySignature(t, rec, aws.Credentials{AccessKeyID: "ASIAROLEKEY", SecretAccessKey: "rolesecret", SessionToken: "roletoken"}, "execute-api", "ap-southeast-2")
}
