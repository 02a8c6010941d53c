package target_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// TestClassifyCodes: the error codes of the target services, as their SDKs
// report them, land in EventBridge's classes.
func TestClassifyCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code      string
		fault     smithy.ErrorFault
		retryable bool
		want      string
	}{
		{"ResourceNotFoundException", smithy.FaultClient, false, target.CodeNoResource}, // Lambda, Kinesis, Firehose, Logs, ...
		{"NotFound", smithy.FaultClient, false, target.CodeNoResource},                  // SNS topic
		{"StateMachineDoesNotExist", smithy.FaultClient, false, target.CodeNoResource},
		{"ClusterNotFoundException", smithy.FaultClient, false, target.CodeNoResource},
		{"AWS.SimpleQueueService.NonExistentQueue", smithy.FaultClient, false, target.CodeNoResource},
		{"AccessDeniedException", smithy.FaultClient, false, target.CodeNoPermissions},
		{"AuthorizationError", smithy.FaultClient, false, target.CodeNoPermissions}, // SNS
		{"KMSAccessDeniedException", smithy.FaultClient, false, target.CodeNoPermissions},
		{"ExecutionAlreadyExists", smithy.FaultClient, false, target.CodeAlreadyExists},
		{"TooManyRequestsException", smithy.FaultClient, true, target.CodeThrottling},
		{"ProvisionedThroughputExceededException", smithy.FaultClient, true, target.CodeThrottling},
		{"ThrottlingException", smithy.FaultClient, true, target.CodeThrottling},
		{"ServiceUnavailableException", smithy.FaultServer, true, target.CodeSDKClientError},
		{"ResourceInUseException", smithy.FaultClient, true, target.CodeSDKClientError},
		{"InvalidParameterValueException", smithy.FaultClient, false, target.CodeInvalidParameter},
		{"ValidationException", smithy.FaultClient, false, target.CodeInvalidParameter},
		{"InvalidExecutionInput", smithy.FaultClient, false, target.CodeInvalidParameter},
		{"NoSuchEntityException", smithy.FaultClient, false, target.CodeNoResource},            // Inspector
		{"AccountLimitExceededException", smithy.FaultClient, true, target.CodeThrottling},     // CodeBuild
		{"ActiveStatementsExceededException", smithy.FaultClient, true, target.CodeThrottling}, // Redshift Data API
		{"InternalException", smithy.FaultClient, true, target.CodeSDKClientError},             // Inspector, whatever the status
		{"SomethingNew", smithy.FaultClient, false, target.CodeSDKClientError},
		{"SomethingNew", smithy.FaultServer, true, target.CodeSDKClientError},
	} {
		r := target.Classify(context.Background(), &smithy.GenericAPIError{Code: tc.code, Message: "m", Fault: tc.fault})
		if r.Retryable != tc.retryable || r.Code != tc.want {
			t.Errorf("%s: %v %s; want %v %s", tc.code, r.Retryable, r.Code, tc.retryable, tc.want)
		}
	}
	// Services without a "not found" error of their own say it in the
	// message of a generic client error.
	for _, tc := range []struct {
		code, msg string
		want      string
	}{
		{"ClientException", "Job queue arn:aws:batch:...:job-queue/q does not exist", target.CodeNoResource},
		{"ValidationException", "Could not find pipeline with name p", target.CodeNoResource},
		{"ValidationException", "Redshift endpoint doesn't exist in this region.", target.CodeNoResource},
		{"ValidationException", "Sql must not be empty", target.CodeInvalidParameter},
		{"ClientException", "TaskCount must be at most 10", target.CodeInvalidParameter},
	} {
		r := target.Classify(context.Background(), &smithy.GenericAPIError{Code: tc.code, Message: tc.msg})
		if r.Retryable || r.Code != tc.want {
			t.Errorf("%s %q: %+v; want %s", tc.code, tc.msg, r, tc.want)
		}
	}
	// A request the SDK refuses to send is never retried.
	var ip smithy.InvalidParamsError
	ip.Add(smithy.NewErrParamRequired("TaskDefinition"))
	if r := target.Classify(context.Background(), &smithy.OperationError{ServiceID: "ECS", OperationName: "RunTask", Err: ip}); r.Retryable || r.Code != target.CodeInvalidParameter {
		t.Errorf("invalid params: %+v", r)
	}
}

func TestClassifyTransportAndStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err       error
		retryable bool
		want      string
	}{
		{context.DeadlineExceeded, true, target.CodeTimeout},
		{&net.DNSError{Err: "no such host", Name: "x.invalid"}, true, target.CodeConnectionFailure},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true, target.CodeConnectionFailure},
		{errors.New("connection reset by peer"), true, target.CodeSDKClientError},
	} {
		if r := target.Classify(context.Background(), tc.err); r.Retryable != tc.retryable || r.Code != tc.want {
			t.Errorf("%v: %+v; want %v %s", tc.err, r, tc.retryable, tc.want)
		}
	}
	// A caller that gave up (shutdown): retried, no verdict on the target.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := target.Classify(ctx, context.Canceled); !r.Retryable {
		t.Errorf("cancelled: %+v", r)
	}
	for _, tc := range []struct {
		status    int
		retryable bool
		want      string
	}{
		{429, true, target.CodeThrottling}, {500, true, target.CodeSDKClientError}, {503, true, target.CodeSDKClientError},
		{408, false, target.CodeTimeout}, {401, false, target.CodeNoPermissions}, {403, false, target.CodeNoPermissions},
		{404, false, target.CodeNoResource}, {400, false, target.CodeSDKClientError},
	} {
		if r := target.ClassifyStatus(tc.status, errors.New("x")); r.Retryable != tc.retryable || r.Code != tc.want {
			t.Errorf("%d: %+v; want %v %s", tc.status, r, tc.retryable, tc.want)
		}
	}
	if m := target.ErrorMessage(&smithy.GenericAPIError{Code: "NotFound", Message: "Topic does not exist"}); m != "NotFound: Topic does not exist" {
		t.Errorf("message %q", m)
	}
}

func TestDynamic(t *testing.T) {
	t.Parallel()
	ev := []byte(`{"id":"e-1","detail":{"s":"a\"b","n":12.5,"o":{"k":[1,2]},"e":""}}`)
	for v, want := range map[string]string{
		"literal":         "literal",
		"$.id":            "e-1",
		"$.detail.s":      `a"b`,
		"$.detail.n":      "12.5",
		"$.detail.o":      `{"k":[1,2]}`,
		"$.detail.e":      "",
		"$.detail.absent": "",
		"$":               "$",
	} {
		if got := target.Dynamic(ev, v); got != want {
			t.Errorf("%s: %q, want %q", v, got, want)
		}
	}
}

// TestClassifyUnreadableAnswer: a 2xx answer the SDK cannot read means the
// service accepted the request: delivered, not retried (a retry would run
// the action again). No error is delivered too.
func TestClassifyUnreadableAnswer(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{"MessageId": 12, not json`))
	}))
	defer srv.Close()
	c := target.NewFromConfig(base, target.Options{Endpoints: map[string]string{"sqs": srv.URL}})
	cl := target.Client(c, "sqs", "us-east-1", "", awssqs.NewFromConfig)
	_, err := cl.SendMessage(context.Background(), &awssqs.SendMessageInput{QueueUrl: aws.String(srv.URL + "/1/q"), MessageBody: aws.String("x")})
	if err == nil || target.Status(err) != 200 {
		t.Fatalf("the SDK read the answer: %v", err)
	}
	if r := target.Classify(context.Background(), err); r != target.OK {
		t.Errorf("unreadable 200: %+v", r)
	}
	if r := target.Classify(context.Background(), nil); r != target.OK {
		t.Errorf("no error: %+v", r)
	}
}
