package lambda

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// traceHeader is the HTTP header X-Ray propagates a trace in; Lambda's
// Invoke has no request parameter for it.
const traceHeader = "X-Amzn-Trace-Id"

// Kind delivers to Lambda functions.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the Lambda kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotFunction = errors.New("lambda: the ARN does not name a function (arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>])")

// CheckARN accepts the ARN of a function, with or without a version or
// alias.
func (k *Kind) CheckARN(a arn.ARN) error {
	rest, ok := strings.CutPrefix(a.Resource, "function:")
	if !ok || !a.Of("lambda") {
		return errNotFunction
	}
	parts := strings.Split(rest, ":")
	if len(parts) > 2 || parts[0] == "" || len(parts) == 2 && parts[1] == "" {
		return errNotFunction
	}
	return nil
}

// Deliver invokes the function of r's ARN asynchronously with the payload:
// one attempt. Lambda queues the event and answers 202.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	if err := k.CheckARN(r.ARN); err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	in := &awslambda.InvokeInput{
		// The whole ARN, qualifier included: a version or alias target
		// invokes that version or alias.
		FunctionName:   aws.String(r.ARN.String()),
		InvocationType: types.InvocationTypeEvent,
		Payload:        r.Payload,
	}
	var opts []func(*awslambda.Options)
	if r.TraceHeader != "" {
		opts = append(opts, func(o *awslambda.Options) {
			o.APIOptions = append(o.APIOptions, smithyhttp.SetHeaderValue(traceHeader, r.TraceHeader))
		})
	}
	cl := target.Client(k.c, "lambda", r.ARN.Region, r.Role(), awslambda.NewFromConfig)
	if _, err := cl.Invoke(ctx, in, opts...); err != nil {
		// ResourceNotFoundException → NO_RESOURCE; TooManyRequestsException
		// (429) → THROTTLING, retried; 5xx and ResourceConflictException (a
		// function being updated) → retried.
		return target.Classify(ctx, err)
	}
	// An asynchronous invocation only queues the event: the function has not
	// run, so there is no FunctionError to look at.
	return target.OK
}
