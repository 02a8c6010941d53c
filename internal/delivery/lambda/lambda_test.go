package lambda_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
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

// invocation is one request the stand-in got.
type invocation struct {
	Method, Path, InvocationType, Auth, Trace string
	Body                                      []byte
}

type standIn struct {
	*httptest.Server
	mu  sync.Mutex
	got []invocation
}

// newStandIn answers every call with status and, for an error, errType.
func newStandIn(t *testing.T, status int, errType string) *standIn {
	t.Helper()
	s := &standIn{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.got = append(s.got, invocation{Method: r.Method, Path: r.URL.Path, InvocationType: r.Header.Get("X-Amz-Invocation-Type"),
			Auth: r.Header.Get("Authorization"), Trace: r.Header.Get("X-Amzn-Trace-Id"), Body: body})
		s.mu.Unlock()
		if errType == "" {
			w.Header().Set("X-Amz-Executed-Version", "$LATEST")
			w.WriteHeader(status)
			return
		}
		kind := "User"
		if status >= 500 {
			kind = "Service"
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", errType)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"Type":%q,"Message":"from the stand-in"}`, kind)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *standIn) invocations() []invocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]invocation(nil), s.got...)
}

func request(t *testing.T, fnARN, payload, trace string) target.Request {
	t.Helper()
	a, err := arn.Parse(fnARN)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: a, Target: &wire.Target{Arn: aws.String(fnARN)}, Payload: []byte(payload), Event: []byte(payload),
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
		s := newStandIn(t, http.StatusAccepted, "")
		res := lambda.Deliver(context.Background(), targettest.Clients(s.URL), request(t, fn, event, trace))
		if res.Err != nil {
			t.Fatalf("%s: %+v", fn, res)
		}
		got := s.invocations()
		if len(got) != 1 {
			t.Fatalf("%s: %d requests", fn, len(got))
		}
		in := got[0]
		if in.Method != http.MethodPost || in.Path != "/2015-03-31/functions/"+fn+"/invocations" {
			t.Errorf("%s: %s %s", fn, in.Method, in.Path)
		}
		if in.InvocationType != "Event" || string(in.Body) != event || in.Trace != trace {
			t.Errorf("%s: invocation type %q, trace %q, body %s", fn, in.InvocationType, in.Trace, in.Body)
		}
		// Signed with SigV4 for Lambda in the function's region.
		if !strings.HasPrefix(in.Auth, "AWS4-HMAC-SHA256 Credential=test/") || !strings.Contains(in.Auth, "/eu-west-1/lambda/aws4_request") {
			t.Errorf("%s: Authorization %q", fn, in.Auth)
		}
	}
	// No trace header: none sent.
	s := newStandIn(t, http.StatusAccepted, "")
	if res := lambda.Deliver(context.Background(), targettest.Clients(s.URL), request(t, "arn:aws:lambda:us-east-1:123456789012:function:f", `{}`, "")); res.Err != nil {
		t.Fatal(res.Err)
	}
	if tr := s.invocations()[0].Trace; tr != "" {
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
			s := newStandIn(t, tc.status, tc.errType)
			res := lambda.Deliver(context.Background(), targettest.Clients(s.URL), request(t, "arn:aws:lambda:us-east-1:123456789012:function:f", `{}`, ""))
			if (res.Err != nil) != (tc.code != "") || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("result %+v; want retryable %v code %q", res, tc.retryable, tc.code)
			}
			if n := len(s.invocations()); n != 1 {
				t.Errorf("%d requests: the SDK must not retry by itself", n)
			}
		})
	}
}

func TestDeliverConnectionRefused(t *testing.T) {
	t.Parallel()
	c := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
	res := lambda.Deliver(context.Background(), c, request(t, "arn:aws:lambda:us-east-1:123456789012:function:f", `{}`, ""))
	if !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Fatalf("connection refused: %+v", res)
	}
}

func TestNotAFunction(t *testing.T) {
	for _, bad := range []string{
		"arn:aws:lambda:us-east-1:123456789012:layer:l:1",
		"arn:aws:lambda:us-east-1:123456789012:function:",
		"arn:aws:lambda:us-east-1:123456789012:function:f:",
		"arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
		"arn:aws:lambda::123456789012:function:f",
	} {
		// No call is made: the endpoint is a port nobody listens on.
		res := lambda.Deliver(context.Background(), targettest.Clients("http://127.0.0.1:1"), request(t, bad, `{}`, ""))
		if res.Retryable || res.Code != target.CodeNoResource {
			t.Errorf("%s: %+v", bad, res)
		}
	}
}
