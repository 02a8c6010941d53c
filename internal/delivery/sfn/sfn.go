package sfn

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliver starts one execution of the state machine of r's ARN with the
// payload as its input: one attempt.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	if !validARN(r.ARN.Region, r.ARN.Resource) {
		return target.Fail(target.CodeNoResource, "The target ARN is not a valid Step Functions state machine ARN.")
	}
	in := &awssfn.StartExecutionInput{StateMachineArn: aws.String(r.ARN.String()), Input: aws.String(string(r.Payload))}
	if r.TraceHeader != "" {
		in.TraceHeader = aws.String(r.TraceHeader)
	}
	cl := target.Client(c, "states", r.ARN.Region, r.Role(), awssfn.NewFromConfig)
	if _, err := cl.StartExecution(ctx, in); err != nil {
		// StateMachineDoesNotExist → NO_RESOURCE, ExecutionAlreadyExists →
		// RESOURCE_ALREADY_EXISTS, InvalidExecutionInput → INVALID_PARAMETER,
		// ExecutionLimitExceeded and throttling → retried.
		return target.Classify(ctx, err)
	}
	return target.OK
}

// validARN checks the parts of arn:<partition>:states:<region>:<account>:
// stateMachine:<name> that Step Functions itself would not name in its
// answer. A version or alias suffix (":<n>", ":<alias>") is kept: Step
// Functions starts that version.
func validARN(region, resource string) bool {
	name, ok := strings.CutPrefix(resource, "stateMachine:")
	return ok && region != "" && name != "" && !strings.HasPrefix(name, ":")
}
