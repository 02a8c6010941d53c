package lambda

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// traceHeader is the HTTP header X-Ray propagates a trace in; Lambda's
// Invoke has no request parameter for it.
const traceHeader = "X-Amzn-Trace-Id"

// Deliver invokes the function of r's ARN asynchronously with the payload:
// one attempt. Lambda queues the event and answers 202.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	if !validARN(r.ARN.Region, r.ARN.Resource) {
		return target.Fail(target.CodeNoResource, "The target ARN is not a valid Lambda function ARN.")
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
	cl := target.Client(c, "lambda", r.ARN.Region, r.Role(), awslambda.NewFromConfig)
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

// validARN reports whether the ARN's region and resource are those of
// arn:<partition>:lambda:<region>:<account>:function:<name> with an
// optional ":<version or alias>".
func validARN(region, resource string) bool {
	rest, ok := strings.CutPrefix(resource, "function:")
	if !ok || region == "" {
		return false
	}
	parts := strings.Split(rest, ":")
	return len(parts) <= 2 && parts[0] != "" && (len(parts) == 1 || parts[1] != "")
}
