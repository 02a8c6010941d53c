package lambda_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/lambda"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// The tests call a stand-in Lambda, not moto: moto runs an invoked function
// in a Docker container, and there is no Docker here. The stand-in speaks
// Lambda's REST API as the SDK calls it: POST
// /2015-03-31/functions/{FunctionName}/invocations with the invocation type
// in X-Amz-Invocation-Type, 202 with no body for a queued event, and
// errors as Lambda writes them: the code in X-Amzn-ErrorType, a body
// {"Type": "User"|"Service", "Message": ...}.

// answer is Lambda's answer: status and, for an error, errType.
func answer(status int, errType string) func(targettest.Request) targettest.Answer {
	return func(targettest.Request) targettest.Answer {
		if errType == "" {
			return targettest.Answer{Status: status, Header: http.Header{"X-Amz-Executed-Version": {"$LATEST"}}}
		}
		kind := "User"
		if status >= 500 {
			kind = "Service"
		}
		return targettest.Answer{Status: status, Header: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Errortype": {errType}},
			Body: fmt.Sprintf(`{"Type":%q,"Message":"from the stand-in"}`, kind)}
	}
}

func request(t *testing.T, fnARN, payload, trace string) target.Request {
	t.Helper()
	a, err := arn.Parse(fnARN)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: a, Target: &catalog.Target{ARN: fnARN}, Payload: []byte(payload), Event: []byte(payload),
		EventID: "e-1", TraceHeader: trace}
}

func TestInvokeAsync(t *testing.T) {
	t.Parallel()
	const event = `{"version":"0","id":"e-1","detail":{"order":"o-1"}}`
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	for _, fn := range []string{
		"arn:aws:lambda:eu-west-1:123456789012:function:orders",
		"arn:aws:lambda:eu-west-1:123456789012:function:orders:live", // an alias stays in the name
		"arn:aws:lambda:eu-west-1:123456789012:function:orders:7",    // and so does a version
	} {
		s := targettest.NewStandIn(t, answer(http.StatusAccepted, ""))
		res := lambda.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, fn, event, trace))
		if res.Err != nil {
			t.Fatalf("%s: %+v", fn, res)
		}
		got := s.Requests()
		if len(got) != 1 {
			t.Fatalf("%s: %d requests", fn, len(got))
		}
		in := got[0]
		if in.Method != http.MethodPost || in.Path() != "/2015-03-31/functions/"+strings.ReplaceAll(fn, ":", "%3A")+"/invocations" {
			t.Errorf("%s: %s %s", fn, in.Method, in.Path())
		}
		if it, tr := in.Header.Get("X-Amz-Invocation-Type"), in.Header.Get("X-Amzn-Trace-Id"); it != "Event" || string(in.Body) != event || tr != trace {
			t.Errorf("%s: invocation type %q, trace %q, body %s", fn, it, tr, in.Body)
		}
		// Signed with SigV4 for Lambda in the function's region.
		if auth := in.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=test/") || !strings.Contains(auth, "/eu-west-1/lambda/aws4_request") {
			t.Errorf("%s: Authorization %q", fn, auth)
		}
	}
	// No trace header: none sent.
	s := targettest.NewStandIn(t, answer(http.StatusAccepted, ""))
	if res := lambda.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:lambda:us-east-1:123456789012:function:f", `{}`, "")); res.Err != nil {
		t.Fatal(res.Err)
	}
	if tr := s.Requests()[0].Header.Get("X-Amzn-Trace-Id"); tr != "" {
		t.Errorf("trace header %q sent without one", tr)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		status    int
		errType   string
		retryable bool
		code      string
	}{
		{"any 2xx is delivered", 200, "", false, ""},
		{"function does not exist", 404, "ResourceNotFoundException", false, target.CodeNoResource},
		{"too many requests", 429, "TooManyRequestsException", true, target.CodeThrottling},
		{"service error", 500, "ServiceException", true, target.CodeSDKClientError},
		{"function being updated", 409, "ResourceConflictException", true, target.CodeSDKClientError},
		{"invalid payload", 400, "InvalidRequestContentException", false, target.CodeInvalidParameter},
		{"access denied", 403, "AccessDeniedException", false, target.CodeNoPermissions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := targettest.NewStandIn(t, answer(tc.status, tc.errType))
			res := lambda.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, "arn:aws:lambda:us-east-1:123456789012:function:f", `{}`, ""))
			if (res.Err != nil) != (tc.code != "") || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("result %+v; want retryable %v code %q", res, tc.retryable, tc.code)
			}
			if n := s.Calls(); n != 1 {
				t.Errorf("%d requests: the SDK must not retry by itself", n)
			}
		})
	}
}

// TestConformance: Lambda on the stand-in (moto would need Docker), which
// keeps each invocation's payload and X-Amzn-Trace-Id header.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		s := targettest.NewStandIn(t, answer(http.StatusAccepted, ""))
		return targettest.Fixture{
			Kind:     lambda.New(targettest.Clients(s.URL)),
			ARN:      "arn:aws:lambda:us-east-1:123456789012:function:conformance",
			Received: func(*testing.T) []targettest.Delivery { return s.Deliveries() },
			At:       targettest.At(lambda.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				Throttling:   targettest.Fault{Status: 429, Code: "TooManyRequestsException", Message: "Rate exceeded"},
				NotFound:     targettest.Fault{Status: 404, Code: "ResourceNotFoundException", Message: "Function not found"},
				AccessDenied: targettest.Fault{Status: 403, Code: "AccessDeniedException", Message: "not authorized to perform: lambda:InvokeFunction"}},
			Malformed: []string{
				"arn:aws:lambda:us-east-1:123456789012:layer:l:1",
				"arn:aws:lambda:us-east-1:123456789012:function:",
				"arn:aws:lambda:us-east-1:123456789012:function:f:",
				"arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
				"arn:aws:lambda::123456789012:function:f",
			},
		}
	})
}
