package sagemaker

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssm "github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to SageMaker pipelines: it starts an execution.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the SageMaker kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

// CheckARN accepts the ARN of a pipeline.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := pipelineName(a)
	return err
}

// pipelineName is the pipeline of a target ARN
// arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>.
func pipelineName(a arn.ARN) (string, error) {
	name, ok := strings.CutPrefix(a.Resource, "pipeline/")
	if !a.Of("sagemaker") || !ok || name == "" || strings.Contains(name, "/") {
		return "", fmt.Errorf("sagemaker: %s is not a pipeline ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>)", a)
	}
	return name, nil
}

// Deliver starts one execution of the target's pipeline with the
// parameters of SageMakerPipelineParameters. One attempt.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	name, err := pipelineName(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	in := &awssm.StartPipelineExecutionInput{PipelineName: aws.String(name)}
	if r.Target != nil && r.Target.SageMaker != nil {
		for _, p := range r.Target.SageMaker.PipelineParameterList {
			// Only the value may be a dynamic path: EventBridge's pattern for
			// a parameter name has no "$".
			in.PipelineParameters = append(in.PipelineParameters, types.Parameter{
				Name: aws.String(aws.ToString(p.Name)), Value: aws.String(r.Dynamic(aws.ToString(p.Value)))})
		}
	}
	cl := target.Client(k.c, "sagemaker", r.ARN.Region, r.Role(), awssm.NewFromConfig)
	if _, err := cl.StartPipelineExecution(ctx, in); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}
