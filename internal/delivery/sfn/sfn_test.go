package sfn_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
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
	return target.Request{ARN: a, Target: &catalog.Target{ARN: machineARN}, Payload: []byte(payload),
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
		if res := sfn.New(c).Deliver(ctx, request(t, machine, payload, trace)); res.Err != nil {
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
	res := sfn.New(c).Deliver(ctx, request(t, missing, event, ""))
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
			s := targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
				if tc.errType != "" {
					return targettest.JSONError(tc.status, "com.amazonaws.swf.service.v2.model#"+tc.errType, "from the stand-in")
				}
				return targettest.JSONAnswer(`{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:x","startDate":1.7e9}`)
			})
			machine := "arn:aws:states:us-east-1:123456789012:stateMachine:m"
			res := sfn.New(targettest.Clients(s.URL)).Deliver(context.Background(), request(t, machine, `{"a":1}`, "Root=1-abc"))
			got := s.Requests()[0]
			body := got.JSON()
			if got.Target() != "AWSStepFunctions.StartExecution" || body["stateMachineArn"] != machine ||
				body["input"] != `{"a":1}` || body["traceHeader"] != "Root=1-abc" || body["name"] != nil {
				t.Errorf("request %s %v", got.Target(), body)
			}
			if (res.Err != nil) != (tc.code != "") || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("result %+v; want retryable %v code %q", res, tc.retryable, tc.code)
			}
		})
	}
}

// TestConformance: Step Functions on moto, read back with
// DescribeExecution. moto keeps no traceHeader, so it is read from the
// StartExecution requests, through a proxy in front of moto.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		url := targettest.StartMoto(t)
		p := targettest.NewProxy(t, url, nil)
		mc := awssfn.NewFromConfig(targettest.Config(url))
		machine := createMachine(t, mc, "conformance")
		return targettest.Fixture{
			Kind: sfn.New(targettest.Clients(p.URL)),
			ARN:  machine,
			Received: func(t *testing.T) []targettest.Delivery {
				traces := map[string]string{} // by input
				for _, x := range p.Exchanges() {
					if x.Request.Target() == "AWSStepFunctions.StartExecution" {
						b := x.Request.JSON()
						tr, _ := b["traceHeader"].(string)
						in, _ := b["input"].(string)
						traces[in] = tr
					}
				}
				list, err := mc.ListExecutions(context.Background(), &awssfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
				if err != nil {
					t.Fatalf("ListExecutions: %v", err)
				}
				var out []targettest.Delivery
				for _, e := range list.Executions {
					d, err := mc.DescribeExecution(context.Background(), &awssfn.DescribeExecutionInput{ExecutionArn: e.ExecutionArn})
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, targettest.Delivery{Doc: aws.ToString(d.Input), Trace: traces[aws.ToString(d.Input)]})
				}
				return out
			},
			At: targettest.At(sfn.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				NotFound: targettest.Fault{Status: 400, Code: "StateMachineDoesNotExist", Message: "State Machine Does Not Exist"}},
			Missing: "arn:aws:states:us-east-1:123456789012:stateMachine:does-not-exist",
			Malformed: []string{
				"arn:aws:states:us-east-1:123456789012:activity:a",
				"arn:aws:states:us-east-1:123456789012:stateMachine:",
				"arn:aws:states:us-east-1:123456789012:stateMachine::1",
				"arn:aws:states::123456789012:stateMachine:m",
			},
		}
	})
}
