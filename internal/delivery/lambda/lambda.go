package lambda

import (
	"context"
	"fmt"
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
	if err := checkARN(r.ARN.Region, r.ARN.Resource); err != nil {
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
	out, err := cl.Invoke(ctx, in, opts...)
	if err != nil {
		// ResourceNotFoundException → NO_RESOURCE; TooManyRequestsException
		// (429) → THROTTLING, retried; 5xx and ResourceConflictException (a
		// function being updated) → retried.
		return target.Classify(ctx, err)
	}
	if out.StatusCode < 200 || out.StatusCode > 299 {
		// The SDK turns every non-2xx answer into an error; kept in case an
		// endpoint answers otherwise.
		return target.ClassifyStatus(int(out.StatusCode), fmt.Errorf("lambda: Invoke answered %d", out.StatusCode))
	}
	// An asynchronous invocation only queues the event: the function has not
	// run, so there is no FunctionError to look at.
	return target.OK
}

// checkARN checks arn:<partition>:lambda:<region>:<account>:function:<name>
// with an optional ":<version or alias>".
func checkARN(region, resource string) error {
	rest, ok := strings.CutPrefix(resource, "function:")
	if !ok || region == "" {
		return fmt.Errorf("lambda: %q is not a function", resource)
	}
	parts := strings.Split(rest, ":")
	if len(parts) > 2 || parts[0] == "" || len(parts) == 2 && parts[1] == "" {
		return fmt.Errorf("lambda: %q is not a function", resource)
	}
	return nil
}
