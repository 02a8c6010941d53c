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

// Kind delivers to CodePipeline pipelines: it starts an execution.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the CodePipeline kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotPipeline = errors.New("codepipeline: the ARN does not name a pipeline (arn:<partition>:codepipeline:<region>:<account>:<name>)")

// CheckARN accepts the ARN of a pipeline.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := pipelineName(a)
	return err
}

// Deliver starts an execution of the pipeline of a CodePipeline target:
// one StartPipelineExecution call, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	name, err := pipelineName(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	cl := target.Client(k.c, "codepipeline", r.ARN.Region, r.Role(), awscodepipeline.NewFromConfig)
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
func pipelineName(a arn.ARN) (string, error) {
	n := a.Resource
	if !a.Of("codepipeline") || n == "" || len(n) > 100 {
		return "", errNotPipeline
	}
	if strings.IndexFunc(n, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".@-_", c))
	}) >= 0 {
		return "", errNotPipeline
	}
	return n, nil
}
