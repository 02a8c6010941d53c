package apigateway_test

// moto serves no execute-api invocation, so these tests stand up a local
// HTTP server in API Gateway's place (targettest.StandIn): it records what
// it received and answers with the status the test chooses. The signature
// is checked the way AWS checks it (targettest.VerifySignature).

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/apigateway"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// standIn answers every request with status and body.
func standIn(t *testing.T, status int, body string) *targettest.StandIn {
	t.Helper()
	return targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
		return targettest.Answer{Status: status, Body: body}
	})
}

const event = `{"version":"0","id":"e-1","detail-type":"Order","source":"shop","account":"123456789012","time":"2026-01-02T03:04:05Z","region":"eu-west-1","resources":[],"detail":{"id":"o-1","tenant":"acme","q":"red shoes","n":7,"note":"two\nlines"}}`

func request(t *testing.T, a string, hp *catalog.HTTPTargetParameters) target.Request {
	t.Helper()
	parsed, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: parsed, Target: &catalog.Target{ARN: a, HTTP: hp},
		Payload: []byte(event), Event: []byte(event), EventID: "e-1"}
}

// one is the one request the stand-in received.
func one(t *testing.T, s *targettest.StandIn) targettest.Request {
	t.Helper()
	got := s.Requests()
	if len(got) != 1 {
		t.Fatalf("the stand-in received %d requests, want 1", len(got))
	}
	return got[0]
}

var testCreds = aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}

func TestDeliverRequest(t *testing.T) {
	s := standIn(t, 200, `{"ok":true}`)
	hp := &catalog.HTTPTargetParameters{
		PathParameterValues:   []string{"$.detail.id", "a/b c"},
		HeaderParameters:      map[string]string{"X-Tenant": "$.detail.tenant", "X-Static": "fixed", "X-Count": "$.detail.n"},
		QueryStringParameters: map[string]string{"q": "$.detail.q", "mode": "fast"},
	}
	r := request(t, "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/PUT/orders/*/items/*", hp)
	r.TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	if res := apigateway.New(targettest.Clients(s.URL)).Deliver(context.Background(), r); res.Err != nil {
		t.Fatalf("Deliver: %+v", res)
	}
	rec := one(t, s)
	if rec.Method != "PUT" {
		t.Errorf("method %s, want PUT", rec.Method)
	}
	// The literal segments as the ARN spells them; the first "*" from the
	// event, the second literal and escaped into one segment.
	if want := "/prod/orders/o-1/items/a%2Fb%20c"; rec.Path() != want {
		t.Errorf("path %s, want %s", rec.Path(), want)
	}
	if rec.Query().Get("q") != "red shoes" || rec.Query().Get("mode") != "fast" || len(rec.Query()) != 2 {
		t.Errorf("query %v", rec.Query())
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
	targettest.VerifySignature(t, rec, testCreds, "execute-api", "eu-west-1")
}

func TestDeliverAnyMethodIsPost(t *testing.T) {
	for _, a := range []string{
		"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/",
		"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/ANY",
	} {
		s := standIn(t, 202, "")
		r := request(t, a, nil)
		r.Payload = []byte(`{"custom":"input"}`) // a transformed input is the body
		if res := apigateway.New(targettest.Clients(s.URL)).Deliver(context.Background(), r); res.Err != nil {
			t.Fatalf("%s: %+v", a, res)
		}
		rec := one(t, s)
		if rec.Method != "POST" || rec.Path() != "/dev/" || rec.RequestURI != "/dev/" {
			t.Errorf("%s: %s %s", a, rec.Method, rec.RequestURI)
		}
		if string(rec.Body) != `{"custom":"input"}` {
			t.Errorf("%s: body %s", a, rec.Body)
		}
		if rec.Header.Get("X-Amzn-Trace-Id") != "" {
			t.Errorf("%s: a trace header without one to send", a)
		}
		targettest.VerifySignature(t, rec, testCreds, "execute-api", "us-east-1")
	}
}

func TestDeliverHeaders(t *testing.T) {
	s := standIn(t, 200, "")
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
	r := request(t, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/in", &catalog.HTTPTargetParameters{HeaderParameters: headers})
	if res := apigateway.New(targettest.Clients(s.URL)).Deliver(context.Background(), r); res.Err != nil {
		t.Fatalf("%+v", res)
	}
	rec := one(t, s)
	if rec.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("Content-Type %q", rec.Header.Get("Content-Type"))
	}
	for k := range forbidden {
		if v := rec.Header.Values(k); len(v) > 0 {
			t.Errorf("the forbidden header %s was sent: %q", k, v)
		}
	}
	targettest.VerifySignature(t, rec, testCreds, "execute-api", "us-east-1")
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
		s := standIn(t, tc.status, tc.body)
		res := apigateway.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/x", nil))
		one(t, s)
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

func TestDeliverBadTargets(t *testing.T) {
	s := standIn(t, 200, "")
	c := targettest.Clients(s.URL)
	for _, tc := range []struct {
		arn  string
		hp   *catalog.HTTPTargetParameters
		code string
	}{
		{"arn:aws:execute-api:us-east-1:123456789012:abc123", nil, target.CodeNoResource},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod", nil, target.CodeNoResource},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/FETCH/x", nil, target.CodeNoResource},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*/*", &catalog.HTTPTargetParameters{PathParameterValues: []string{"one"}}, target.CodeInvalidParameter},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*", nil, target.CodeInvalidParameter},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/*", &catalog.HTTPTargetParameters{PathParameterValues: []string{"$.detail.missing"}}, target.CodeInvalidParameter},
		{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/x", &catalog.HTTPTargetParameters{HeaderParameters: map[string]string{"X-Note": "$.detail.note"}}, target.CodeInvalidParameter},
	} {
		res := apigateway.New(c).Deliver(context.Background(), request(t, tc.arn, tc.hp))
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s: got %+v, want %s not retried", tc.arn, res, tc.code)
		}
	}
	for _, r := range s.Requests() {
		t.Errorf("a bad target was called: %s %s", r.Method, r.RequestURI)
	}
}

// TestDeliverAsRole: with role assumption on, the request is signed with
// the credentials STS gave for the target's RoleArn.
func TestDeliverAsRole(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/eventbridge-invoke-api"
	sts := targettest.NewSTS(t, time.Hour)
	s := standIn(t, 200, "")
	c := target.NewFromConfig(targettest.Config(s.URL), target.Options{Endpoints: map[string]string{"*": s.URL, "sts": sts.URL}, AssumeRoles: true})
	r := request(t, "arn:aws:execute-api:ap-southeast-2:123456789012:abc123/prod/POST/hook", nil)
	r.Target.RoleARN = aws.String(role)
	if res := apigateway.New(c).Deliver(context.Background(), r); res.Err != nil {
		t.Fatalf("%+v", res)
	}
	if n := sts.Assumed(role); n != 1 {
		t.Fatalf("STS AssumeRole of %s called %d times, want 1", role, n)
	}
	creds := targettest.Credentials(1)
	rec := one(t, s)
	if rec.Header.Get("X-Amz-Security-Token") != creds.SessionToken {
		t.Errorf("session token %q", rec.Header.Get("X-Amz-Security-Token"))
	}
	targettest.VerifySignature(t, rec, creds, "execute-api", "ap-southeast-2")
}

// TestConformance: API Gateway on the stand-in, which keeps each request's
// body and X-Amzn-Trace-Id header.
func TestConformance(t *testing.T) {
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		s := standIn(t, 200, `{"ok":true}`)
		return targettest.Fixture{
			Kind:     apigateway.New(targettest.Clients(s.URL)),
			ARN:      "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/events",
			Received: func(*testing.T) []targettest.Delivery { return s.Deliveries() },
			At:       targettest.At(apigateway.New),
			Errors:   targettest.Errors{Protocol: targettest.Plain},
			Malformed: []string{
				"arn:aws:execute-api:us-east-1:123456789012:abc123",
				"arn:aws:execute-api:us-east-1:123456789012:abc123/prod",
				"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/FETCH/x",
				"arn:aws:execute-api:us-east-1:123456789012:/prod/POST/x",
			},
		}
	})
}
