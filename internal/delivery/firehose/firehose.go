package firehose

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Deliver puts the payload of r as one record into the delivery stream of
// a Firehose target: one attempt, classified.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	name, ok := streamName(r.ARN)
	if !ok {
		return target.Fail(target.CodeNoResource, "The target ARN is not a valid Firehose delivery stream ARN.")
	}
	// PutRecord names the stream only by name: the account is the one of
	// the credentials (the target's role, or the base credentials).
	in := &awsfirehose.PutRecordInput{
		DeliveryStreamName: aws.String(name),
		// As it is: EventBridge appends no newline or other delimiter.
		Record: &types.Record{Data: r.Payload},
	}
	cl := target.Client(c, "firehose", r.ARN.Region, r.Role(), awsfirehose.NewFromConfig)
	if _, err := cl.PutRecord(ctx, in); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}

// streamName is the delivery stream of a Firehose ARN
// (arn:<partition>:firehose:<region>:<account>:deliverystream/<name>).
// Names are 1 to 64 letters, digits, underscores, hyphens and periods.
func streamName(a arn.ARN) (string, bool) {
	// The service is not checked: only Firehose ARNs are dispatched here.
	if a.Region == "" || a.Account == "" {
		return "", false
	}
	n, ok := strings.CutPrefix(a.Resource, "deliverystream/")
	if !ok || n == "" || len(n) > 64 {
		return "", false
	}
	for _, c := range n {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return "", false
		}
	}
	return n, true
}
