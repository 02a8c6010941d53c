package sagemaker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssm "github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/sagemaker"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

const event = `{"id":"e1","detail-type":"Model trained","source":"ml","detail":{"model":"m-42","epochs":7,"data":{"uri":"s3://b/k"}}}`

func request(t *testing.T, a string, params ...wire.SageMakerPipelineParameter) target.Request {
	t.Helper()
	pa, err := arn.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	tg := &wire.Target{Arn: aws.String(a)}
	if params != nil {
		tg.SageMakerPipelineParameters = &wire.SageMakerPipelineParameters{PipelineParameterList: params}
	}
	return target.Request{ARN: pa, Target: tg, Payload: []byte(event), Event: []byte(event), EventID: "e1"}
}

func param(n, v string) wire.SageMakerPipelineParameter {
	return wire.SageMakerPipelineParameter{Name: aws.String(n), Value: aws.String(v)}
}

// TestStartMoto starts executions of a pipeline of moto and reads their
// parameters back; a pipeline that does not exist is NO_RESOURCE.
func TestStartMoto(t *testing.T) {
	t.Parallel()
	url := targettest.StartMoto(t)
	ctx := context.Background()
	sm := awssm.NewFromConfig(targettest.Config(url))
	def := `{"Version":"2020-12-01","Parameters":[{"Name":"Model","Type":"String"},{"Name":"Epochs","Type":"Integer"}],"Steps":[]}`
	if _, err := sm.CreatePipeline(ctx, &awssm.CreatePipelineInput{PipelineName: aws.String("train"), PipelineDefinition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/sm"), ClientRequestToken: aws.String("create-train-0000000000000000000000")}); err != nil {
		t.Fatal(err)
	}
	c := targettest.Clients(url)
	r := request(t, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train",
		param("Model", "$.detail.model"), param("Epochs", "$.detail.epochs"), param("Uri", "$.detail.data.uri"), param("Fixed", "v1"))
	if res := sagemaker.Deliver(ctx, c, r); res.Err != nil {
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
	if res := sagemaker.Deliver(ctx, c, request(t, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train")); res.Err != nil {
		t.Fatalf("deliver without parameters: %+v", res)
	}
	ex, _ = sm.ListPipelineExecutions(ctx, &awssm.ListPipelineExecutionsInput{PipelineName: aws.String("train")})
	if len(ex.PipelineExecutionSummaries) != 2 {
		t.Errorf("%d executions after the second delivery", len(ex.PipelineExecutionSummaries))
	}

	res := sagemaker.Deliver(ctx, c, request(t, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/missing"))
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
			var body map[string]any
			var op string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				op = r.Header.Get("X-Amz-Target")
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					t.Errorf("body: %v", err)
				}
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.WriteHeader(tc.status)
				if tc.errType == "" {
					_, _ = w.Write([]byte(`{"PipelineExecutionArn":"arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc"}`))
					return
				}
				_, _ = w.Write([]byte(`{"__type":"` + tc.errType + `","Message":"from the stand-in"}`))
			}))
			defer srv.Close()
			res := sagemaker.Deliver(context.Background(), targettest.Clients(srv.URL),
				request(t, "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/train", param("Model", "$.detail.model"), param("Missing", "$.detail.none")))
			if (res.Err == nil) != (tc.code == "") || res.Retryable != tc.retryable || res.Code != tc.code {
				t.Errorf("%+v; want retryable %v code %q", res, tc.retryable, tc.code)
			}
			if op != "SageMaker.StartPipelineExecution" {
				t.Errorf("operation %q", op)
			}
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

func TestRefusedLocally(t *testing.T) {
	t.Parallel()
	for _, a := range []string{"arn:aws:sagemaker:us-east-1:123456789012:model/m", "arn:aws:sagemaker:us-east-1:123456789012:pipeline/",
		"arn:aws:sagemaker:us-east-1:123456789012:pipeline/a/b"} {
		res := sagemaker.Deliver(context.Background(), targettest.Clients("http://127.0.0.1:1"), request(t, a))
		if res.Err == nil || res.Retryable || res.Code != target.CodeNoResource {
			t.Errorf("%s: %+v", a, res)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	url := fmt.Sprintf("http://127.0.0.1:%d", targettest.FreePort(t))
	res := sagemaker.Deliver(context.Background(), targettest.Clients(url), request(t, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/train"))
	if res.Err == nil || !res.Retryable || res.Code != target.CodeConnectionFailure {
		t.Errorf("%+v", res)
	}
}
