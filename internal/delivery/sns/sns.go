package sns

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// traceHeader is the HTTP header SNS reads the publisher's X-Ray trace
// context from: Publish has no system attribute for it.
const traceHeader = "X-Amzn-Trace-Id"

// Kind delivers to SNS topics.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the SNS kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotTopic = errors.New("sns: the ARN does not name a topic (arn:<partition>:sns:<region>:<account>:<topic>)")

// CheckARN accepts the ARN of a topic.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := topicName(a)
	return err
}

// Deliver publishes the payload of r to the topic of an SNS target: one
// attempt, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	topic, err := topicName(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	if len(r.Payload) == 0 {
		// SNS refuses an empty message (moto does not): no call.
		return target.Fail(target.CodeInvalidParameter, "sns: the message is empty")
	}
	in := &awssns.PublishInput{TopicArn: aws.String(r.ARN.String()), Message: aws.String(string(r.Payload))}
	if strings.HasSuffix(topic, ".fifo") {
		// EventBridge takes a FIFO topic's message group from the same
		// SqsParameters as a FIFO queue's.
		var group string
		if r.Target != nil && r.Target.SQS != nil {
			group = aws.ToString(r.Target.SQS.MessageGroupId)
		}
		if group == "" {
			return target.Fail(target.CodeInvalidParameter, "sns: a FIFO topic needs a MessageGroupId (the target's SqsParameters.MessageGroupId)")
		}
		in.MessageGroupId = aws.String(group)
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
	cl := target.Client(k.c, "sns", r.ARN.Region, r.Role(), awssns.NewFromConfig)
	if _, err := cl.Publish(ctx, in, opts...); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}

// topicName is the topic of an SNS topic ARN
// (arn:<partition>:sns:<region>:<account>:<topic>). Topic names are 1 to
// 256 letters, digits, hyphens and underscores; a FIFO topic's end in
// .fifo, counted in the 256.
func topicName(a arn.ARN) (string, error) {
	if !a.Of("sns") {
		return "", errNotTopic
	}
	n := a.Resource
	if len(n) > 256 {
		return "", errNotTopic
	}
	base := strings.TrimSuffix(n, ".fifo")
	if base == "" {
		return "", errNotTopic
	}
	for _, c := range base {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return "", errNotTopic
		}
	}
	return n, nil
}
