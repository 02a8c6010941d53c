package kinesis

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskinesis "github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// maxKeyLen is Kinesis's limit on a partition key, in Unicode characters.
const maxKeyLen = 256

// Kind delivers to Kinesis data streams.
type Kind struct {
	c *target.Clients
}

var _ target.Kind = (*Kind)(nil)

// New returns the Kinesis kind on the shared clients.
func New(c *target.Clients) *Kind { return &Kind{c: c} }

var errNotStream = errors.New("kinesis: the ARN does not name a stream (arn:<partition>:kinesis:<region>:<account>:stream/<name>)")

// CheckARN accepts the ARN of a stream.
func (k *Kind) CheckARN(a arn.ARN) error {
	if !validARN(a) {
		return errNotStream
	}
	return nil
}

// Deliver puts the payload of r as one record into the stream of a
// Kinesis target: one attempt, classified.
func (k *Kind) Deliver(ctx context.Context, r target.Request) target.Result {
	if err := k.CheckARN(r.ARN); err != nil {
		return target.Fail(target.CodeNoResource, err.Error())
	}
	in := &awskinesis.PutRecordInput{
		// The ARN rather than the name: AWS recommends it, and it names
		// the stream's account, which a name alone does not.
		StreamARN:    aws.String(r.ARN.String()),
		Data:         r.Payload,
		PartitionKey: aws.String(partitionKey(r)),
	}
	cl := target.Client(k.c, "kinesis", r.ARN.Region, r.Role(), awskinesis.NewFromConfig)
	if _, err := cl.PutRecord(ctx, in); err != nil {
		return target.Classify(ctx, err)
	}
	return target.OK
}

// partitionKey is the record's partition key: the target's
// KinesisParameters.PartitionKeyPath resolved in the original event (a
// literal unless it starts with "$."), else the event id. A key that
// resolves empty is the event id too; one longer than Kinesis allows is cut
// to its first 256 characters.
func partitionKey(r target.Request) string {
	var k string
	if r.Target != nil && r.Target.Kinesis != nil && r.Target.Kinesis.PartitionKeyPath != nil {
		k = r.Dynamic(*r.Target.Kinesis.PartitionKeyPath)
	}
	if k == "" {
		k = r.EventID
	}
	// One pass: the byte offset of the character past the limit, if the
	// key has one, is where it is cut.
	n := 0
	for i := range k {
		if n == maxKeyLen {
			return k[:i]
		}
		n++
	}
	return k
}

// validARN reports whether a is a Kinesis stream ARN
// (arn:<partition>:kinesis:<region>:<account>:stream/<name>). Stream names
// are 1 to 128 letters, digits, underscores, hyphens and periods.
func validARN(a arn.ARN) bool {
	if !a.Of("kinesis") {
		return false
	}
	n, ok := strings.CutPrefix(a.Resource, "stream/")
	if !ok || n == "" || len(n) > 128 {
		return false
	}
	for _, c := range n {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}
