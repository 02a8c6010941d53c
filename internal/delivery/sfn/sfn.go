package sfn

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to Step Functions state machines.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the Step Functions kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotStateMachine = errors.New("sfn: the ARN does not name a state machine (arn:<partition>:states:<region>:<account>:stateMachine:<name>)")

// CheckARN accepts the ARN of a state machine, with or without a version
// or alias suffix (":<n>", ":<alias>"), which is kept: Step Functions
// starts that version. Only the parts Step Functions would not name in its
// answer are checked.
func (k *Kind) CheckARN(a arn.ARN) error {
	name, ok := strings.CutPrefix(a.Resource, "stateMachine:")
	if !ok || !a.Of("states") || name == "" || strings.HasPrefix(name, ":") {
		return errNotStateMachine
	}
	return nil
}

// Deliver starts one execution of the state machine of r's ARN with the
// payload as its input: one attempt.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	if err := k.CheckARN(r.ARN); err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	in := &awssfn.StartExecutionInput{StateMachineArn: aws.String(r.ARN.String()), Input: aws.String(string(r.Payload))}
	if r.TraceHeader != "" {
		in.TraceHeader = aws.String(r.TraceHeader)
	}
	cl := target.Client(k.c, "states", r.ARN.Region, r.Role(), awssfn.NewFromConfig)
	if _, err := cl.StartExecution(ctx, in); err != nil {
		// StateMachineDoesNotExist → NO_RESOURCE, ExecutionAlreadyExists →
		// RESOURCE_ALREADY_EXISTS, InvalidExecutionInput → INVALID_PARAMETER,
		// ExecutionLimitExceeded and throttling → retried.
		return target.Classify(ctx, err)
	}
	return target.OK
}
