package codepipeline

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscodepipeline "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/smithy-go"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliver starts an execution of the pipeline of a CodePipeline target:
// one StartPipelineExecution call, classified.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	name, ok := pipelineName(r.ARN)
	if !ok {
		return target.Fail(target.CodeNoResource, "The target ARN is not a valid CodePipeline pipeline ARN.")
	}
	cl := target.Client(c, "codepipeline", r.ARN.Region, r.Role(), awscodepipeline.NewFromConfig)
	if _, err := cl.StartPipelineExecution(ctx, &awscodepipeline.StartPipelineExecutionInput{Name: aws.String(name)}); err != nil {
		return classify(ctx, err)
	}
	return target.OK
}

// classify is target.Classify plus one code of CodePipeline's own:
// ConflictException (a pipeline busy with a previous request) passes, so
// it is retried like throttling. The shared table cannot say so, because
// SageMaker's ConflictException is not retried.
func classify(ctx context.Context, err error) target.Result {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "ConflictException" {
		// Another execution is starting or the pipeline is being changed.
		return target.Result{Retryable: true, Code: target.CodeThrottling, Err: err}
	}
	return target.Classify(ctx, err)
}

// pipelineName is the pipeline of a CodePipeline ARN
// (arn:<partition>:codepipeline:<region>:<account>:<name>). Pipeline names
// are 1 to 100 letters, digits and . @ - _.
func pipelineName(a arn.ARN) (string, bool) {
	n := a.Resource
	if a.Service != "codepipeline" || a.Region == "" || a.Account == "" || n == "" || len(n) > 100 {
		return "", false
	}
	if strings.IndexFunc(n, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".@-_", c))
	}) >= 0 {
		return "", false
	}
	return n, true
}
