package sagemaker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssm "github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/catalog"
	"github.com/switchyard-dev/switchyard/internal/delivery/sagemaker"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"id":"e1","detail-type":"Model trained","source":"ml","detail":{"model":"m-42","epochs":7,"data":{"uri":"s3://b/k"}}}`

func request(t *testing.T, a string, params ...catalog.SageMakerPipelineParameter) target.Request {
	t.Helper()
	pa, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	tg := &catalog.Target{ARN: a}
	if params != nil {
		tg.SageMaker = &catalog.SageMakerParameters{PipelineParameterList: params}
	}
	return target.Request{ARN: pa, Target: tg, Payload: []byte(event), Event: []byte(event), EventID: "e1"}
}

func param(n, v string) catalog.SageMakerPipelineParameter {
	return catalog.SageMakerPipelineParameter{Name: aws.String(n), Value: aws.String(v)}
}

// createPipeline creates a pipeline with the parameters Model and Epochs.
func createPipeline(t *testing.T, sm *awssm.Client, name string) {
	t.Helper()
	def := `{"Version":"2020-12-01","Parameters":[{"Name":"Model","Type":"String"},{"Name":"Epochs","Type":"Integer"}],"Steps":[]}`
	if _, err := sm.CreatePipeline(context.Background(), &awssm.CreatePipelineInput{PipelineName: aws.String(name), PipelineDefinition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/sm"), ClientRequestToken: aws.String("create-" + name + "-0000000000000000000000")}); err != nil {
		t.Fatal(err)
	}
}

// executionParameters are the parameters of every execution of the
// pipeline, by name, one map per execution.
func executionParameters(t *testing.T, sm *awssm.Client, name string) []map[string]string {
	t.Helper()
	ctx := context.Background()
	ex, err := sm.ListPipelineExecutions(ctx, &awssm.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, e := range ex.PipelineExecutionSummaries {
		ps, err := sm.ListPipelineParametersForExecution(ctx, &awssm.ListPipelineParametersForExecutionInput{PipelineExecutionArn: e.PipelineExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range ps.PipelineParameters {
			got[aws.ToString(p.Name)] = aws.ToString(p.Value)
		}
		out = append(out, got)
	}
	return out
}

// TestStartMoto starts executions of a pipeline of moto and reads their
// parameters back; a pipeline that does not exist is NO_RESOURCE.
func TestStartMoto(t *testing.T) {
	t.Parallel()
	url := targettest.StartMoto(t)
	ctx := context.Background()
	sm := awssm.NewFromConfig(targettest.Config(url))
	createPipeline(t, sm, "train")
	c := targettest.Clients(url)
	r := request(t, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train",
		param("Model", "$.detail.model"), param("Epochs", "$.detail.epochs"), param("Uri", "$.detail.data.uri"), param("Fixed", "v1"))
	if res := sagemaker.New(c).Deliver(ctx, r); res.Err != nil {
		t.Fatalf("deliver: %+v", res)
	}
	ex, err := sm.ListPipelineExecutions(ctx, &awssm.ListPipelineExecutionsInput{PipelineName: aws.String("train")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.PipelineExecutionSummaries) != 1 {
		t.Fatalf("%d executions", len(ex.PipelineExecutionSummaries))
	}
	ps, err := sm.ListPipelineParametersForExecution(ctx, &awssm.ListPipelineParametersForExecutionInput{
		PipelineExecutionArn: ex.PipelineExecutionSummaries[0].PipelineExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range ps.PipelineParameters {
		got[aws.ToString(p.Name)] = aws.ToString(p.Value)
	}
	want := map[string]string{"Model": "m-42", "Epochs": "7", "Uri": "s3://b/k", "Fixed": "v1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parameters %v, want %v", got, want)
	}

	// No parameters: an execution with the pipeline's defaults.
	if res := sagemaker.New(c).Deliver(ctx, request(t, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train")); res.Err != nil {
		t.Fatalf("deliver without parameters: %+v", res)
	}
	ex, _ = sm.ListPipelineExecutions(ctx, &awssm.ListPipelineExecutionsInput{PipelineName: aws.String("train")})
	if len(ex.PipelineExecutionSummaries) != 2 {
		t.Errorf("%d executions after the second delivery", len(ex.PipelineExecutionSummaries))
	}

	res := sagemaker.New(c).Deliver(ctx, request(t, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/missing"))
	t.Logf("missing pipeline: %v", res.Err)
	if res.Err == nil || res.Retryable || res.Code != target.CodeNoResource {
		t.Errorf("missing pipeline: %+v", res)
	}
}

// TestRequestAndAnswers checks the request on the wire and SageMaker's
// answers moto does not give, from a stand-in speaking awsJson1_1.
func TestRequestAndAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		status    int
		errType   string
		retryable bool
		code      string
	}{
		{"started", 200, "", false, ""},
		{"pipeline not found", 400, "ResourceNotFound", false, target.CodeNoResource},
		{"too many executions", 400, "ResourceLimitExceeded", true, target.CodeThrottling},
		{"conflict", 400, "ConflictException", false, target.CodeSDKClientError},
		{"access denied", 400, "AccessDeniedException", false, target.CodeNoPermissions},
		{"throttled", 400, "ThrottlingException", true, target.CodeThrottling},
		{"internal", 500, "InternalFailure", true, target.CodeSDKClientError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := targettest.NewStandIn(t, func(targettest.Request) targettest.Answer {
				if tc.errType == "" {
					return targettest.JSONAnswer(`{"PipelineExecutionArn":"arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc"}`)
				}
				return targettest.JSONError(tc.status, tc.errType, "from the stand-in")
			})
			res := sagemaker.New(targettest.Clients(s.URL)).Deliver(context.Background(),
				request(t, "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/train", param("Model", "$.detail.model"), param("Missing", "$.detail.none")))
			if (res.Err == nil) != (tc.code == "") || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want retryable %v code %q", res, tc.retryable, tc.code)
			}
			r := s.Requests()[0]
			if op := r.Target(); op != "SageMaker.StartPipelineExecution" {
				t.Errorf("operation %q", op)
			}
			body := r.JSON()
			if tok, _ := body["ClientRequestToken"].(string); len(tok) < 32 {
				t.Errorf("ClientRequestToken %q", tok)
			}
			delete(body, "ClientRequestToken")
			got, _ := json.Marshal(body)
			if want := `{"PipelineName":"train","PipelineParameters":[{"Name":"Model","Value":"m-42"},{"Name":"Missing","Value":""}]}`; string(got) != want {
				t.Errorf("request %s\nwant    %s", got, want)
			}
		})
	}
}

// TestConformance: SageMaker on moto, read back with
// ListPipelineParametersForExecution. The event is not sent (see
// SourceWhy); the pipeline parameter Doc is the JSONPath $.detail.
func TestConformance(t *testing.T) {
	t.Parallel()
	targettest.Run(t, func(t *testing.T) targettest.Fixture {
		url := targettest.StartMoto(t)
		sm := awssm.NewFromConfig(targettest.Config(url))
		createPipeline(t, sm, "conformance")
		return targettest.Fixture{
			Kind: sagemaker.New(targettest.Clients(url)),
			ARN:  "arn:aws:sagemaker:us-east-1:123456789012:pipeline/conformance",
			Target: &catalog.Target{SageMaker: &catalog.SageMakerParameters{PipelineParameterList: []catalog.SageMakerPipelineParameter{
				param("Doc", "$.detail")}}},
			Source:    targettest.FromEvent,
			SourceWhy: "a pipeline execution takes parameters only, not the event; their values are JSONPaths into the original event",
			Received: func(t *testing.T) []targettest.Delivery {
				var out []targettest.Delivery
				for _, ps := range executionParameters(t, sm, "conformance") {
					out = append(out, targettest.Delivery{Doc: ps["Doc"]})
				}
				return out
			},
			At: targettest.At(sagemaker.New),
			Errors: targettest.Errors{Protocol: targettest.JSON,
				NotFound: targettest.Fault{Status: 400, Code: "ResourceNotFound", Message: "Pipeline conformance does not exist"}},
			Missing: "arn:aws:sagemaker:us-east-1:123456789012:pipeline/missing",
			Malformed: []string{
				"arn:aws:sagemaker:us-east-1:123456789012:model/m",
				"arn:aws:sagemaker:us-east-1:123456789012:pipeline/",
				"arn:aws:sagemaker:us-east-1:123456789012:pipeline/a/b",
			},
			Without: map[string]string{
				targettest.TraceRow: "StartPipelineExecution has no place for a trace header: an execution gets its parameters only",
			},
		}
	})
}
