package sfn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/sfn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const definition = `{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}`

func request(t *testing.T, machineARN string, payload string, trace string) target.Request {
	t.Helper()
	a, err := arn.Parse(machineARN)
	if err != nil {
		t.Fatal(err)
	}
	return target.Request{ARN: a, Target: &wire.Target{Arn: aws.String(machineARN)}, Payload: []byte(payload),
		Event: []byte(payload), EventID: "e-1", TraceHeader: trace}
}

func createMachine(t *testing.T, mc *awssfn.Client, name string) string {
	t.Helper()
	out, err := mc.CreateStateMachine(context.Background(), &awssfn.CreateStateMachineInput{Name: aws.String(name),
		Definition: aws.String(definition), RoleArn: aws.String("arn:aws:iam::123456789012:role/sfn")})
	if err != nil {
		t.Fatalf("CreateStateMachine: %v", err)
	}
	return aws.ToString(out.StateMachineArn)
}

// TestDeliverMoto starts executions of a real state machine of moto and
// reads their input back.
func TestDeliverMoto(t *testing.T) {
	t.Parallel()
	url := targettest.StartMoto(t)
	mc := awssfn.NewFromConfig(targettest.Config(url))
	c := targettest.Clients(url)
	ctx := context.Background()
	machine := createMachine(t, mc, "orders")

	const event = `{"version":"0","id":"e-1","detail-type":"d","source":"s","detail":{"order":"o-1"}}`
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
	for _, payload := range []string{event, `{"order":"o-2"}`} {
		if res := sfn.Deliver(ctx, c, request(t, machine, payload, trace)); res.Err != nil {
			t.Fatalf("deliver: %+v", res)
		}
	}
	list, err := mc.ListExecutions(ctx, &awssfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
	if err != nil || len(list.Executions) != 2 {
		t.Fatalf("ListExecutions: %v %+v", err, list)
	}
	inputs := map[string]bool{}
	for _, e := range list.Executions {
		d, err := mc.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{ExecutionArn: e.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		inputs[aws.ToString(d.Input)] = true
		if aws.ToString(d.StateMachineArn) != machine {
			t.Errorf("execution of %s", aws.ToString(d.StateMachineArn))
		}
		t.Logf("execution %s: trace header %q", aws.ToString(d.Name), aws.ToString(d.TraceHeader))
	}
	if !inputs[event] || !inputs[`{"order":"o-2"}`] {
		t.Errorf("execution inputs %v", inputs)
	}

	missing := "arn:aws:states:us-east-1:123456789012:stateMachine:does-not-exist"
	res := sfn.Deliver(ctx, c, request(t, missing, event, ""))
	t.Logf("missing state machine: %v", res.Err)
	if res.Err == nil || res.Retryable || res.Code != target.CodeNoResource {
		t.Errorf("missing state machine: %+v", res)
	}
}

// TestTraceHeaderAndErrors: what moto does not show (the traceHeader it
// received, ExecutionAlreadyExists, throttling, 5xx), from a stand-in Step
// Functions speaking its awsJson1_0 protocol.
func TestTraceHeaderAndErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		status    int
		errType   string
		retryable bool
		code      string
	}{
		{"started", 200, "", false, ""},
		{"execution already exists", 400, "ExecutionAlreadyExists", false, target.CodeAlreadyExists},
		{"state machine does not exist", 400, "StateMachineDoesNotExist", false, target.CodeNoResource},
		{"invalid input", 400, "InvalidExecutionInput", false, target.CodeInvalidParameter},
		{"execution limit", 400, "ExecutionLimitExceeded", true, target.CodeThrottling},
		{"throttled", 400, "ThrottlingException", true, target.CodeThrottling},
		{"internal error", 500, "InternalFailure", true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got struct {
				Target string
				Body   map[string]string
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got.Target = r.Header.Get("X-Amz-Target")
				b, _ := io.ReadAll(r.Body)
				_ = json.Unmarshal(b, &got.Body)
				w.Header().Set("Content-Type", "application/x-amz-json-1.0")
				if tc.errType != "" {
					w.WriteHeader(tc.status)
					fmt.Fprintf(w, `{"__type":"com.amazonaws.swf.service.v2.model#%s","message":"from the stand-in"}`, tc.errType)
					return
				}
				fmt.Fprint(w, `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:x","startDate":1.7e9}`)
			}))
			defer srv.Close()
			machine := "arn:aws:states:us-east-1:123456789012:stateMachine:m"
			res := sfn.Deliver(context.Background(), targettest.Clients(srv.URL), request(t, machine, `{"a":1}`, "Root=1-abc"))
			if got.Target != "AWSStepFunctions.StartExecution" || got.Body["stateMachineArn"] != machine ||
				got.Body["input"] != `{"a":1}` || got.Body["traceHeader"] != "Root=1-abc" || got.Body["name"] != "" {
				t.Errorf("request %+v", got)
			}
			if (res.Err != nil) != (tc.code != "") || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("result %+v; want retryable %v code %q", res, tc.retryable, tc.code)
			}
		})
	}
}

func TestDeliverConnectionRefused(t *testing.T) {
	t.Parallel()
	c := targettest.Clients(fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t)))
	res := sfn.Deliver(context.Background(), c, request(t, "arn:aws:states:us-east-1:123456789012:stateMachine:m", `{}`, ""))
	if !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Fatalf("connection refused: %+v", res)
	}
}

func TestNotAStateMachine(t *testing.T) {
	for _, bad := range []string{
		"arn:aws:states:us-east-1:123456789012:activity:a",
		"arn:aws:states:us-east-1:123456789012:stateMachine:",
		"arn:aws:states::123456789012:stateMachine:m",
	} {
		// No call is made: the endpoint is a port nobody listens on.
		res := sfn.Deliver(context.Background(), targettest.Clients("http://127.0.0.1:1"), request(t, bad, `{}`, ""))
		if res.Retryable || res.Code != target.CodeNoResource {
			t.Errorf("%s: %+v", bad, res)
		}
	}
}
