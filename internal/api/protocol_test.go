package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/smithy-go"
)

var requestIDForm = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkEnvelope checks what every answer carries: the status, the JSON
// content type, a request id, a Date header, a body that is a JSON object
// and, for errors, {"__type","message"} with the code in X-Amzn-ErrorType.
func checkEnvelope(t *testing.T, r rawResponse, status int, code string) map[string]any {
	t.Helper()
	if r.status != status {
		t.Errorf("status = %d, want %d (body %.300s)", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q", ct)
	}
	if id := r.header.Get("X-Amzn-Requestid"); !requestIDForm.MatchString(id) {
		t.Errorf("x-amzn-RequestId = %q, want a UUID", id)
	}
	if d, err := http.ParseTime(r.header.Get("Date")); err != nil || time.Since(d) > time.Minute || time.Until(d) > time.Minute {
		t.Errorf("Date = %q (%v), want the current time", r.header.Get("Date"), err)
	}
	m := r.object(t)
	if code == "" {
		return m
	}
	if m["__type"] != code {
		t.Errorf("__type = %v, want %s (body %.300s)", m["__type"], code, r.body)
	}
	if msg, ok := m["message"].(string); !ok || msg == "" {
		t.Errorf("message = %v, want a non-empty string", m["message"])
	}
	if len(m) != 2 {
		t.Errorf("error body has members beyond __type and message: %s", r.body)
	}
	if et := r.header.Get("X-Amzn-Errortype"); et != code {
		t.Errorf("X-Amzn-ErrorType = %q, want %s", et, code)
	}
	return m
}

func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	acct := newAccount()
	nested := strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_000)
	nestedArray := `{"NamePrefix":"x","Unknown":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "}"
	big := `{"Name":"` + strings.Repeat("a", 10<<20) + `"}`
	tests := []struct {
		name   string
		method string
		target string
		body   string
		status int
		code   string
	}{
		{"unknown operation", "POST", "AWSEvents.NoSuchOperation", `{}`, 400, "UnknownOperationException"},
		{"no target", "POST", "", `{}`, 400, "UnknownOperationException"},
		{"wrong namespace", "POST", "AWSLambda.ListEventBuses", `{}`, 400, "UnknownOperationException"},
		{"bare operation name", "POST", "ListEventBuses", `{}`, 400, "UnknownOperationException"},
		{"target prefix only", "POST", "AWSEvents.", `{}`, 400, "UnknownOperationException"},
		{"very long target", "POST", "AWSEvents." + strings.Repeat("X", 5000), `{}`, 400, "UnknownOperationException"},
		{"not JSON", "POST", "AWSEvents.ListEventBuses", `this is not json`, 400, "SerializationException"},
		{"truncated JSON", "POST", "AWSEvents.CreateEventBus", `{"Name":`, 400, "SerializationException"},
		{"trailing garbage", "POST", "AWSEvents.ListEventBuses", `{} {}`, 400, "SerializationException"},
		{"JSON array", "POST", "AWSEvents.ListEventBuses", `[{"NamePrefix":"x"}]`, 400, "SerializationException"},
		{"JSON string", "POST", "AWSEvents.ListEventBuses", `"x"`, 400, "SerializationException"},
		{"JSON null", "POST", "AWSEvents.ListEventBuses", `null`, 400, "SerializationException"},
		{"wrong member type", "POST", "AWSEvents.ListEventBuses", `{"Limit":"ten"}`, 400, "SerializationException"},
		{"wrong nested type", "POST", "AWSEvents.PutTargets", `{"Rule":"r","Targets":{"Id":"x"}}`, 400, "SerializationException"},
		{"deeply nested object", "POST", "AWSEvents.ListEventBuses", nested, 400, "SerializationException"},
		{"deeply nested unknown member", "POST", "AWSEvents.ListEventBuses", nestedArray, 400, "SerializationException"},
		{"10 MB body", "POST", "AWSEvents.CreateEventBus", big, 413, "RequestEntityTooLargeException"},
		{"GET", "GET", "AWSEvents.ListEventBuses", ``, 405, "MethodNotAllowedException"},
		{"GET without target", "GET", "", ``, 405, "MethodNotAllowedException"},
		{"PUT", "PUT", "AWSEvents.ListEventBuses", `{}`, 405, "MethodNotAllowedException"},
		{"required member missing", "POST", "AWSEvents.DeleteEventBus", `{}`, 400, "ValidationException"},
		{"required member null", "POST", "AWSEvents.DescribeRule", `{"Name":null}`, 400, "ValidationException"},
		{"not implemented", "POST", "AWSEvents.ListPartnerEventSourceAccounts", `{"EventSourceName":"aws.partner/x/y"}`, 400, "NotImplementedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			resp := raw(t, tt.method, acct, tt.target, body)
			m := checkEnvelope(t, resp, tt.status, tt.code)
			if msg, _ := m["message"].(string); len(msg) > 1024 {
				t.Errorf("message is %d bytes long; the request is echoed", len(msg))
			}
		})
	}

	t.Run("malformed Authorization", func(t *testing.T) {
		for _, tt := range []struct{ auth, code string }{
			{"garbage", "MissingAuthenticationTokenException"},
			{"AWS4-HMAC-SHA256", "IncompleteSignatureException"},
			{"AWS4-HMAC-SHA256 Credential=a/b", "IncompleteSignatureException"},
			{"AWS4-HMAC-SHA256 Credential=" + acct + "/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=zz", "IncompleteSignatureException"},
		} {
			req, _ := http.NewRequestWithContext(t.Context(), "POST", serverURL+"/", strings.NewReader(`{}`))
			req.Header.Set("X-Amz-Target", "AWSEvents.ListEventBuses")
			req.Header.Set("Authorization", tt.auth)
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			r := rawResponse{status: resp.StatusCode, header: resp.Header, body: b}
			if r.status < 400 || r.status >= 500 {
				t.Errorf("Authorization %q: status %d", tt.auth, r.status)
			}
			checkEnvelope(t, r, r.status, tt.code)
		}
	})
	t.Run("messages", func(t *testing.T) {
		resp := raw(t, "POST", acct, "AWSEvents.DeleteEventBus", strings.NewReader(`{}`))
		if m := resp.object(t); m["message"] != "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null" {
			t.Errorf("required member missing: %v", m["message"])
		}
		resp = raw(t, "POST", acct, "AWSEvents.ListPartnerEventSourceAccounts", strings.NewReader(`{}`))
		if msg, _ := resp.object(t)["message"].(string); !strings.Contains(msg, "ListPartnerEventSourceAccounts") {
			t.Errorf("NotImplemented message %q does not name the operation", msg)
		}
		resp = raw(t, "POST", acct, "AWSEvents.NoSuchOperation", strings.NewReader(`{}`))
		if msg, _ := resp.object(t)["message"].(string); !strings.Contains(msg, "NoSuchOperation") {
			t.Errorf("UnknownOperation message %q does not name the target", msg)
		}
	})

	// The server still serves after all of that.
	c := newClient(acct)
	must(c.CreateEventBus(t.Context(), &eventbridge.CreateEventBusInput{Name: aws.String("after")}))(t)
	must(c.DescribeEventBus(t.Context(), &eventbridge.DescribeEventBusInput{Name: aws.String("after")}))(t)
}

func TestProtocolLenientInput(t *testing.T) {
	t.Parallel()
	acct := newAccount()
	tests := []struct {
		name, op, body string
	}{
		{"empty body is {}", "ListEventBuses", ``},
		{"white space body is {}", "ListEventBuses", " \n\t"},
		{"unknown members ignored", "ListEventBuses", `{"Limit":5,"Bogus":1,"Nested":{"a":[1,{"b":null}]}}`},
		{"null optional member", "ListEventBuses", `{"NamePrefix":null,"Limit":null}`},
		{"leading white space", "DescribeEventBus", "\n  {\"Name\":\"default\"}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawCall(t, acct, tt.op, tt.body)
			checkEnvelope(t, resp, 200, "")
		})
	}
	// AWS matches member names exactly: one that names a member only in
	// another case is an unknown member, ignored (contract 1.1), so a
	// required member given that way is missing.
	t.Run("member names are case-sensitive", func(t *testing.T) {
		resp := rawCall(t, acct, "ListEventBuses", `{"limit":"lowercase twin of Limit"}`)
		checkEnvelope(t, resp, 200, "")
		resp = rawCall(t, acct, "CreateEventBus", `{"name":"lowercase"}`)
		m := checkEnvelope(t, resp, 400, "ValidationException")
		if want := "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"; m["message"] != want {
			t.Errorf("CreateEventBus {\"name\"}: message %q, want %q", m["message"], want)
		}
		resp = rawCall(t, acct, "DescribeEventBus", `{"Name":"lowercase"}`)
		checkEnvelope(t, resp, 400, "ResourceNotFoundException")

		for _, tt := range []struct{ op, body, missing string }{
			{"PutRule", `{"NAME":"r"}`, "name"},
			{"PutTargets", `{"Rule":"r","targets":[{"Id":"t","Arn":"arn:aws:sqs:us-east-1:000000000000:q"}]}`, "targets"},
			{"PutTargets", `{"Rule":"r","Targets":[{"id":"t","Arn":"arn:aws:sqs:us-east-1:000000000000:q"}]}`, "targets.1.member.id"},
			// PutEvents' fast path hands such names to decode.
			{"PutEvents", `{"entries":[{"Source":"s","DetailType":"d","Detail":"{}"}]}`, "entries"},
			// The exact name wins whatever comes after it (encoding/json
			// alone would create "other": the last of the two).
			{"PutRule", `{"Name":"twin","name":"other","EventPattern":"{\"source\":[\"a\"]}"}`, ""},
			{"DescribeRule", `{"Name":"twin"}`, ""},
		} {
			resp := rawCall(t, acct, tt.op, tt.body)
			if tt.missing == "" {
				checkEnvelope(t, resp, 200, "")
				continue
			}
			m := checkEnvelope(t, resp, 400, "ValidationException")
			if msg, _ := m["message"].(string); !strings.Contains(msg, "Value null at '"+tt.missing+"'") {
				t.Errorf("%s %s: message %q, want the missing %s", tt.op, tt.body, msg, tt.missing)
			}
		}
	})
	t.Run("content types", func(t *testing.T) {
		for _, ct := range []string{"application/json", "application/x-amz-json-1.0", ""} {
			req, _ := http.NewRequestWithContext(t.Context(), "POST", serverURL+"/", strings.NewReader(`{}`))
			req.Header.Set("X-Amz-Target", "AWSEvents.ListEventBuses")
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("Content-Type %q: status %d", ct, resp.StatusCode)
			}
		}
	})
}

// TestProtocolOutputShape: timestamps are JSON numbers, absent members are
// omitted (never null), void operations answer {}.
func TestProtocolOutputShape(t *testing.T) {
	e := newEnv(t)
	e.createBus(t, "shape")
	e.putRule(t, "shape", "r")
	e.putTargets(t, "shape", "r", target("t", sqsARN(e, "q")))

	for _, tt := range []struct{ op, body string }{
		{"DescribeEventBus", `{"Name":"shape"}`},
		{"DescribeEventBus", `{}`},
		{"ListEventBuses", `{}`},
		{"DescribeRule", `{"Name":"r","EventBusName":"shape"}`},
		{"ListRules", `{"EventBusName":"shape"}`},
		{"ListTargetsByRule", `{"Rule":"r","EventBusName":"shape"}`},
		{"ListTagsForResource", `{"ResourceARN":"` + e.busARN("shape") + `"}`},
		{"ListRuleNamesByTarget", `{"TargetArn":"nothing"}`},
		{"UpdateEventBus", `{"Name":"shape"}`},
		{"CreateEventBus", `{"Name":"shape2"}`},
		{"PutRule", `{"Name":"r2","EventPattern":"{\"source\":[\"a\"]}"}`},
	} {
		t.Run(tt.op, func(t *testing.T) {
			resp := rawCall(t, e.acct, tt.op, tt.body)
			checkEnvelope(t, resp, 200, "")
			dec := json.NewDecoder(bytes.NewReader(resp.body))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			walkJSON(t, "", v)
		})
	}
	t.Run("timestamps", func(t *testing.T) {
		resp := rawCall(t, e.acct, "DescribeEventBus", `{"Name":"shape"}`)
		dec := json.NewDecoder(bytes.NewReader(resp.body))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"CreationTime", "LastModifiedTime"} {
			n, ok := m[k].(json.Number)
			if !ok {
				t.Errorf("%s = %#v, want a JSON number", k, m[k])
				continue
			}
			f, err := n.Float64()
			if err != nil || strings.ContainsAny(n.String(), "eE") || time.Since(time.Unix(int64(f), 0)) > time.Minute {
				t.Errorf("%s = %s, want recent epoch seconds without exponent", k, n)
			}
		}
	})
	t.Run("void operations answer {}", func(t *testing.T) {
		for _, tt := range []struct{ op, body string }{
			{"EnableRule", `{"Name":"r","EventBusName":"shape"}`},
			{"DisableRule", `{"Name":"r","EventBusName":"shape"}`},
			{"TagResource", `{"ResourceARN":"` + e.busARN("shape") + `","Tags":[{"Key":"k","Value":"v"}]}`},
			{"UntagResource", `{"ResourceARN":"` + e.busARN("shape") + `","TagKeys":["k"]}`},
			{"PutPermission", `{"EventBusName":"shape","Action":"events:PutEvents","Principal":"*","StatementId":"s"}`},
			{"RemovePermission", `{"EventBusName":"shape","StatementId":"s"}`},
			{"DeleteRule", `{"Name":"r2"}`},
			{"DeleteEventBus", `{"Name":"shape2"}`},
		} {
			resp := rawCall(t, e.acct, tt.op, tt.body)
			if resp.status != 200 || string(resp.body) != "{}" {
				t.Errorf("%s answered %d %q, want 200 {}", tt.op, resp.status, resp.body)
			}
		}
	})
}

// walkJSON fails on null anywhere in a response.
func walkJSON(t *testing.T, path string, v any) {
	t.Helper()
	switch x := v.(type) {
	case nil:
		t.Errorf("null at %s", path)
	case map[string]any:
		for k, e := range x {
			walkJSON(t, path+"."+k, e)
		}
	case []any:
		for i, e := range x {
			walkJSON(t, fmt.Sprintf("%s[%d]", path, i), e)
		}
	}
}

func TestNotImplementedThroughSDK(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.ListPartnerEventSourceAccounts(e.ctx, &eventbridge.ListPartnerEventSourceAccountsInput{EventSourceName: aws.String("aws.partner/x/y")})
	wantErrContains(t, err, "NotImplementedException", "ListPartnerEventSourceAccounts")
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Errorf("NotImplemented status: %v", err)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorFault() != smithy.FaultUnknown && ae.ErrorFault() != smithy.FaultClient {
		t.Errorf("fault = %v", ae.ErrorFault())
	}
}

// TestRequestIDReachesSDK: the SDK reads the x-amzn-RequestId header.
func TestRequestIDReachesSDK(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.DescribeEventBus(e.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("missing")})
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || !requestIDForm.MatchString(re.ServiceRequestID()) {
		t.Errorf("request id not surfaced: %v", err)
	}
}

// TestConcurrentClients: many clients at once, on shared and separate
// resources, all succeed.
func TestConcurrentClients(t *testing.T) {
	e := newEnv(t)
	e.putRule(t, "", "shared")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Go(func() {
			id := string(rune('a' + i))
			_, err := e.c.TagResource(e.ctx, &eventbridge.TagResourceInput{ResourceARN: aws.String(e.ruleARN("", "shared")), Tags: tags("k-"+id, id)})
			if err != nil {
				errs <- err
			}
			_, err = e.c.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("c-" + id)})
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// No tag lost to a concurrent update of the same rule.
	if n := len(e.listTags(t, e.ruleARN("", "shared"))); n != 20 {
		t.Errorf("%d tags after 20 concurrent TagResource calls, want 20", n)
	}
}

// TestRequestIDsAreUnique: every answer, success or error, has its own id.
func TestRequestIDsAreUnique(t *testing.T) {
	t.Parallel()
	acct := newAccount()
	seen := map[string]bool{}
	for i := range 50 {
		op := "ListEventBuses"
		if i%2 == 1 {
			op = "NoSuchOperation"
		}
		id := rawCall(t, acct, op, `{}`).header.Get("X-Amzn-Requestid")
		if seen[id] {
			t.Fatalf("request id %s reused", id)
		}
		seen[id] = true
	}
}
