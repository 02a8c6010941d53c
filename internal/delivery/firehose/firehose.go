package firehose

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsfirehose "github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// Kind delivers to Firehose delivery streams.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the Firehose kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotStream = errors.New("firehose: the ARN does not name a delivery stream (arn:<partition>:firehose:<region>:<account>:deliverystream/<name>)")

// CheckARN accepts the ARN of a delivery stream.
func (k *Kind) CheckARN(a arn.ARN) error {
	_, err := streamName(a)
	return err
}

// Deliver puts the payload of r as one record into the delivery stream of
// a Firehose target: one attempt, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	name, err := streamName(r.ARN)
	if err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	// PutRecord names the stream only by name: the account is the one of
	// the credentials (the target's role, or the base credentials).
	in := &awsfirehose.PutRecordInput{
		DeliveryStreamName: aws.String(name),
		// As it is: EventBridge appends no newline or other delimiter.
		Record: &types.Record{Data: r.Payload},
	}
	cl := target.Client(k.c, "firehose", r.ARN.Region, r.Role(), awsfirehose.NewFromConfig)
	if _, err := cl.PutRecord(ctx, in); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}

// streamName is the delivery stream of a Firehose ARN
// (arn:<partition>:firehose:<region>:<account>:deliverystream/<name>).
// Names are 1 to 64 letters, digits, underscores, hyphens and periods.
func streamName(a arn.ARN) (string, error) {
	if !a.Of("firehose") {
		return "", errNotStream
	}
	n, ok := strings.CutPrefix(a.Resource, "deliverystream/")
	if !ok || n == "" || len(n) > 64 {
		return "", errNotStream
	}
	for _, c := range n {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return "", errNotStream
		}
	}
	return n, nil
}
