package appsync_test

// moto serves no AppSync GraphQL endpoint, so these tests stand up a local
// HTTP server in AppSync's place: it records what it received and answers
// what the test chooses. The signature is checked the way AWS checks it:
// recomputed with the SDK's signer over the method, URL, body and the
// headers the Authorization header says were signed, as the server
// received them.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/appsync"
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

const (
	event     = `{"version":"0","id":"e-1","detail-type":"Message","source":"chat","account":"123456789012","time":"2026-01-02T03:04:05Z","region":"eu-west-1","resources":[],"detail":{"text":"hi"}}`
	operation = `mutation Publish($message: String!) { publish(message: $message) { message } }`
	apiARN    = "arn:aws:appsync:eu-west-1:123456789012:endpoints/graphql-api/abcdefghijklmnopqrstuvwxyz"
)

// request is a delivery of payload to the API a with the operation op.
func request(t *testing.T, a, op, payload string) target.Request {
	t.Helper()
	parsed, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	tg := &wire.Target{Arn: aws.String(a)}
	if op != "" {
		tg.AppSyncParameters = &wire.AppSyncParameters{GraphQLOperation: aws.String(op)}
	}
	return target.Request{ARN: parsed, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: "e-1", Custom: true}
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
	srv, got := standIn(t, 200, `{"data":{"publish":{"message":"hi"}}}`)
	r := request(t, apiARN, operation, `{"message": "hi", "n": [1, 2]}`)
	r.TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	if res := appsync.Deliver(context.Background(), targettest.Clients(srv.URL), r); res.Err != nil {
		t.Fatalf("Deliver: %+v", res)
	}
	rec := one(t, got)
	if rec.Method != "POST" || rec.RequestURI != "/graphql" {
		t.Errorf("%s %s, want POST /graphql", rec.Method, rec.RequestURI)
	}
	var body struct {
		Query     string `json:"query"`
		Variables any    `json:"variables"`
	}
	if err := json.Unmarshal(rec.Body, &body); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	want := map[string]any{"message": "hi", "n": []any{1.0, 2.0}}
	if body.Query != operation || !reflect.DeepEqual(body.Variables, want) {
		t.Errorf("body %s", rec.Body)
	}
	if ct := rec.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if tr := rec.Header.Get("X-Amzn-Trace-Id"); tr != r.TraceHeader {
		t.Errorf("X-Amzn-Trace-Id %q, want %q", tr, r.TraceHeader)
	}
	verifySignature(t, rec, testCreds, "appsync", "eu-west-1")
}

func TestDeliverAnswers(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		answer    string
		ok        bool
		retryable bool
		code      string
		inMessage string
	}{
		{"data", 200, `{"data":{"publish":{"message":"hi"}}}`, true, false, "", ""},
		{"empty errors", 200, `{"data":{"publish":null},"errors":[]}`, true, false, "", ""},
		{"not JSON", 200, `ok`, true, false, "", ""},
		{"resolver error", 200, `{"data":{"publish":null},"errors":[{"path":["publish"],"errorType":"DynamoDB:ConditionalCheckFailedException","message":"The conditional request failed"},{"message":"second"}]}`,
			false, false, target.CodeSDKClientError, "DynamoDB:ConditionalCheckFailedException: The conditional request failed (and 1 more)"},
		{"validation error", 200, `{"data":null,"errors":[{"errorType":"ValidationError","message":"Variable 'message' has an invalid value"}]}`,
			false, false, target.CodeSDKClientError, "Variable 'message' has an invalid value"},
		{"field not authorized", 200, `{"data":{"publish":null},"errors":[{"errorType":"Unauthorized","message":"Not Authorized to access publish on type Mutation"}]}`,
			false, false, target.CodeNoPermissions, "Not Authorized"},
		{"401", 401, `{"errors":[{"errorType":"UnauthorizedException","message":"Permission denied"}]}`, false, false, target.CodeNoPermissions, "401"},
		{"403", 403, `{"errors":[{"errorType":"UnauthorizedException","message":"Valid authorization header not provided."}]}`, false, false, target.CodeNoPermissions, "Valid authorization header"},
		{"400", 400, `{"errors":[{"errorType":"MalformedHttpRequestException","message":"Unable to parse GraphQL query."}]}`, false, false, target.CodeSDKClientError, "Unable to parse"},
		{"404", 404, `{"errors":[{"errorType":"NotFoundException"}]}`, false, false, target.CodeNoResource, "404"},
		{"429", 429, `{"errors":[{"errorType":"TooManyRequestsException"}]}`, false, true, target.CodeThrottling, "429"},
		{"500", 500, `{"errors":[{"errorType":"InternalFailure"}]}`, false, true, target.CodeSDKClientError, "InternalFailure"},
		{"503", 503, ``, false, true, target.CodeSDKClientError, "503"},
	} {
		srv, got := standIn(t, tc.status, tc.answer)
		res := appsync.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, apiARN, operation, `{"message":"hi"}`))
		one(t, got)
		if tc.ok {
			if res.Err != nil {
				t.Errorf("%s: %+v", tc.name, res)
			}
			continue
		}
		if res.Err == nil || res.Retryable != tc.retryable || res.Code != tc.code {
			t.Errorf("%s: got retryable=%v code=%s err=%v, want retryable=%v code=%s", tc.name, res.Retryable, res.Code, res.Err, tc.retryable, tc.code)
			continue
		}
		if !strings.Contains(res.Err.Error(), tc.inMessage) {
			t.Errorf("%s: message %q lacks %q", tc.name, res.Err, tc.inMessage)
		}
	}
}

// TestDeliverHugeAnswer: a 2xx answer over the 1 MiB read to look for
// GraphQL errors counts as delivered unread, even when what was read lists
// errors. The answer is a document with errors padded with whitespace, so
// that its first MiB parses: a document cut short would not, and would be
// taken as delivered whether or not the size is checked.
func TestDeliverHugeAnswer(t *testing.T) {
	const errs = `{"errors":[{"errorType":"Unauthorized","message":"Not Authorized"}]}`
	for _, tc := range []struct {
		name   string
		answer string
		ok     bool
	}{
		{"1 MiB", errs + strings.Repeat(" ", 1<<20-len(errs)), false},
		{"over 1 MiB", errs + strings.Repeat(" ", 1<<20), true},
	} {
		srv, got := standIn(t, 200, tc.answer)
		res := appsync.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, apiARN, operation, `{"message":"hi"}`))
		one(t, got)
		if ok := res.Err == nil; ok != tc.ok {
			t.Errorf("%s: %+v; want delivered %v", tc.name, res, tc.ok)
		}
	}
}

func TestDeliverRefusesBadInput(t *testing.T) {
	srv, got := standIn(t, 200, `{"data":{}}`)
	c := targettest.Clients(srv.URL)
	for _, tc := range []struct {
		arn, op, payload, code string
	}{
		{apiARN, operation, `"just a string"`, target.CodeInvalidInput},
		{apiARN, operation, `[{"message":"hi"}]`, target.CodeInvalidInput},
		{apiARN, operation, `42`, target.CodeInvalidInput},
		{apiARN, operation, `{"message":`, target.CodeInvalidInput},
		{apiARN, operation, `{"message":"hi"}{"message":"again"}`, target.CodeInvalidInput},
		{apiARN, operation, `plain text`, target.CodeInvalidInput},
		{apiARN, operation, ``, target.CodeInvalidInput},
		{apiARN, "", `{"message":"hi"}`, target.CodeInvalidParameter},
		{apiARN, "   ", `{"message":"hi"}`, target.CodeInvalidParameter},
		{"arn:aws:appsync:eu-west-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz", operation, `{}`, target.CodeNoResource},
		{"arn:aws:appsync:eu-west-1:123456789012:endpoints/graphql-api/", operation, `{}`, target.CodeNoResource},
	} {
		res := appsync.Deliver(context.Background(), c, request(t, tc.arn, tc.op, tc.payload))
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s %q %q: got %+v, want %s not retried", tc.arn, tc.op, tc.payload, res, tc.code)
		}
	}
	select {
	case r := <-got:
		t.Errorf("AppSync was called for bad input: %s", r.Body)
	default:
	}
	// A transformed input that is an object is fine, whatever the event.
	if res := appsync.Deliver(context.Background(), c, request(t, apiARN, operation, ` {"message":"from a transformer"} `)); res.Err != nil {
		t.Errorf("object input refused: %+v", res)
	}
	if rec := one(t, got); !strings.Contains(string(rec.Body), `"variables":{"message":"from a transformer"}`) {
		t.Errorf("body %s", rec.Body)
	}
}

func TestDeliverConnectionRefused(t *testing.T) {
	url := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	res := appsync.Deliver(context.Background(), targettest.Clients(url), request(t, apiARN, operation, `{"message":"hi"}`))
	if res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Fatalf("got %+v, want retryable CONNECTION_FAILURE", res)
	}
}

// TestDeliverAsRole: with role assumption on, the request is signed with
// the credentials STS gave for the target's RoleArn (the stand-in answers
// STS's AssumeRole too).
func TestDeliverAsRole(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/eventbridge-appsync"
	assumed := make(chan string, 1)
	api := make(chan received, 1)
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
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/eventbridge-appsync/switchyard</Arn><AssumedRoleId>AROA1:switchyard</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>`, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
			return
		}
		api <- received{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: b}
		_, _ = io.WriteString(w, `{"data":{"publish":{"message":"hi"}}}`)
	}))
	defer srv.Close()
	c := target.NewFromConfig(targettest.Config(srv.URL), target.Options{Endpoints: map[string]string{"*": srv.URL}, AssumeRoles: true})
	r := request(t, "arn:aws:appsync:ap-northeast-1:123456789012:endpoints/graphql-api/xyz", operation, `{"message":"hi"}`)
	r.Target.RoleArn = aws.String(role)
	if res := appsync.Deliver(context.Background(), c, r); res.Err != nil {
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
	verifySignature(t, rec, aws.Credentials{AccessKeyID: "ASIAROLEKEY", SecretAccessKey: "rolesecret", SessionToken: "roletoken"}, "appsync", "ap-northeast-1")
}
