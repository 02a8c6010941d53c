package sns

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/switchyard-dev/switchyard/internal/api/wire"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// traceHeader is the HTTP header SNS reads the publisher's X-Ray trace
// context from: Publish has no system attribute for it.
const traceHeader = "X-Amzn-Trace-Id"

// Deliver publishes the payload of r to the topic of an SNS target: one
// attempt, classified.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	topic, ok := topicName(r.ARN)
	if !ok {
		return target.Fail(target.CodeNoResource, "The target ARN is not a valid SNS topic ARN.")
	}
	if len(r.Payload) == 0 {
		// SNS refuses an empty message (moto does not): no call.
		return target.Fail(target.CodeInvalidParameter, "sns: the message is empty")
	}
	in := &awssns.PublishInput{TopicArn: aws.String(r.ARN.String()), Message: aws.String(string(r.Payload))}
	if strings.HasSuffix(topic, ".fifo") {
		// EventBridge takes a FIFO topic's message group from the same
		// SqsParameters as a FIFO queue's.
		var p *wire.SqsParameters
		if r.Target != nil {
			p = r.Target.SqsParameters
		}
		if p == nil || aws.ToString(p.MessageGroupId) == "" {
			return target.Fail(target.CodeInvalidParameter, "sns: a FIFO topic needs a MessageGroupId (the target's SqsParameters.MessageGroupId)")
		}
		in.MessageGroupId = p.MessageGroupId
		// The event id: a retry of the same event is then dropped by SNS
		// as a duplicate within its five-minute window, whether or not
		// the topic has content-based deduplication.
		in.MessageDeduplicationId = aws.String(r.EventID)
	}
	var opts []func(*awssns.Options)
	if r.TraceHeader != "" {
		opts = append(opts, func(o *awssns.Options) {
			o.APIOptions = append(o.APIOptions, smithyhttp.SetHeaderValue(traceHeader, r.TraceHeader))
		})
	}
	cl := target.Client(c, "sns", r.ARN.Region, r.Role(), awssns.NewFromConfig)
	if _, err := cl.Publish(ctx, in, opts...); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}

// topicName is the topic of an SNS topic ARN
// (arn:<partition>:sns:<region>:<account>:<topic>). Topic names are 1 to
// 256 letters, digits, hyphens and underscores; a FIFO topic's end in
// .fifo, counted in the 256.
func topicName(a arn.ARN) (string, bool) {
	// The service is not checked: only SNS ARNs are dispatched here.
	if a.Region == "" || a.Account == "" {
		return "", false
	}
	n := a.Resource
	if len(n) > 256 {
		return "", false
	}
	base := strings.TrimSuffix(n, ".fifo")
	if base == "" {
		return "", false
	}
	for _, c := range base {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return "", false
		}
	}
	return n, true
}
