package sfn

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliver starts one execution of the state machine of r's ARN with the
// payload as its input: one attempt.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	if err := checkARN(r.ARN.Region, r.ARN.Resource); err != nil {
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

// checkARN checks the parts of arn:<partition>:states:<region>:<account>:
// stateMachine:<name> that Step Functions itself would not name in its
// answer. A version or alias suffix (":<n>", ":<alias>") is kept: Step
// Functions starts that version.
func checkARN(region, resource string) error {
	name, ok := strings.CutPrefix(resource, "stateMachine:")
	if !ok || region == "" || name == "" || strings.HasPrefix(name, ":") {
		return fmt.Errorf("sfn: %q is not a state machine", resource)
	}
	return nil
}
