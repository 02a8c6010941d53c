package appsync_test

// moto serves no AppSync GraphQL endpoint, so these tests stand up a local
// HTTP server in AppSync's place (targettest.StandIn): it records what it
// received and answers what the test chooses. The signature is checked the
// way AWS checks it (targettest.VerifySignature).

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/appsync"
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
	tg := &catalog.Target{ARN: a, Input: aws.String("<the payload>")}
	if op != "" {
		tg.AppSync = &catalog.AppSyncParameters{GraphQLOperation: aws.String(op)}
	}
	return target.Request{ARN: parsed, Target: tg, Payload: []byte(payload), Event: []byte(event), EventID: "e-1"}
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
	s := standIn(t, 200, `{"data":{"publish":{"message":"hi"}}}`)
	r := request(t, apiARN, operation, `{"message": "hi", "n": [1, 2]}`)
	r.TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	if res := appsync.New(targettest.Clients(s.URL)).Deliver(context.Background(), r); res.Err != nil {
		t.Fatalf("Deliver: %+v", res)
	}
	rec := one(t, s)
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
	targettest.VerifySignature(t, rec, testCreds, "appsync", "eu-west-1")
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
		s := standIn(t, tc.status, tc.answer)
		res := appsync.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, apiARN, operation, `{"message":"hi"}`))
		one(t, s)
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
		s := standIn(t, 200, tc.answer)
		res := appsync.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, apiARN, operation, `{"message":"hi"}`))
		one(t, s)
		if ok := res.Err == nil; ok != tc.ok {
			t.Errorf("%s: %+v; want delivered %v", tc.name, res, tc.ok)
		}
	}
}

func TestDeliverRefusesBadInput(t *testing.T) {
	s := standIn(t, 200, `{"data":{}}`)
	c := targettest.Clients(s.URL)
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
		res := appsync.New(c).Deliver(context.Background(), request(t, tc.arn, tc.op, tc.payload))
		if res.Err == nil || res.Retryable || res.Code != tc.code {
			t.Errorf("%s %q %q: got %+v, want %s not retried", tc.arn, tc.op, tc.payload, res, tc.code)
		}
	}
	for _, r := range s.Requests() {
		t.Errorf("AppSync was called for bad input: %s", r.Body)
	}
	// A transformed input that is an object is fine, whatever the event.
	if res := appsync.New(c).Deliver(context.Background(), request(t, apiARN, operation, ` {"message":"from a transformer"} `)); res.Err != nil {
		t.Errorf("object input refused: %+v", res)
	}
	if rec := one(t, s); !strings.Contains(string(rec.Body), `"variables":{"message":"from a transformer"}`) {
		t.Errorf("body %s", rec.Body)
	}
}

// TestDeliverAsRole: with role assumption on, the request is signed with
// the credentials STS gave for the target's RoleArn.
func TestDeliverAsRole(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/eventbridge-appsync"
	sts := targettest.NewSTS(t, time.Hour)
	s := standIn(t, 200, `{"data":{"publish":{"message":"hi"}}}`)
	c := target.NewFromConfig(targettest.Config(s.URL), target.Options{Endpoints: map[string]string{"*": s.URL, "sts": sts.URL}, AssumeRoles: true})
	r := request(t, "arn:aws:appsync:ap-northeast-1:123456789012:endpoints/graphql-api/xyz", operation, `{"message":"hi"}`)
	r.Target.RoleARN = aws.String(role)
	if res := appsync.New(c).Deliver(context.Background(), r); res.Err != nil {
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
	targettest.VerifySignature(t, rec, creds, "appsync", "ap-northeast-1")
}

// TestConformance: AppSync on the stand-in, which keeps each request's
// variables (the payload) and X-Amzn-Trace-Id header.
func TestConformance(t *testing.T) {
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		s := standIn(t, 200, `{"data":{"publish":{"message":"hi"}}}`)
		return targettest.Fixture{
			Kind:   appsync.New(targettest.Clients(s.URL)),
			ARN:    apiARN,
			Target: &catalog.Target{AppSync: &catalog.AppSyncParameters{GraphQLOperation: aws.String(operation)}},
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, r := range s.Requests() {
					var body struct {
						Variables json.RawMessage `json:"variables"`
					}
					if err := json.Unmarshal(r.Body, &body); err != nil {
						t.Fatalf("body %s: %v", r.Body, err)
					}
					out = append(out, targettest.Delivery{Doc: string(body.Variables), Trace: r.Header.Get("X-Amzn-Trace-Id")})
				}
				return out
			},
			At:     targettest.At(appsync.New),
			Errors: targettest.Errors{Protocol: targettest.Plain},
			Malformed: []string{
				"arn:aws:appsync:eu-west-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz",
				"arn:aws:appsync:eu-west-1:123456789012:endpoints/graphql-api/",
				"arn:aws:appsync:eu-west-1:123456789012:endpoints/graphql-api/a/b",
			},
		}
	})
}
