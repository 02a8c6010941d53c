package kinesis

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskinesis "github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// maxKeyLen is Kinesis's limit on a partition key, in Unicode characters.
const maxKeyLen = 256

// Deliver puts the payload of r as one record into the stream of a
// Kinesis target: one attempt, classified.
func Deliver(ctx context.Context, c *target.Clients, r target.Request) target.Result {
	if !validARN(r.ARN) {
		return target.Fail(target.CodeNoResource, "The target ARN is not a valid Kinesis stream ARN.")
	}
	in := &awskinesis.PutRecordInput{
		// The ARN rather than the name: AWS recommends it, and it names
		// the stream's account, which a name alone does not.
		StreamARN:    aws.String(r.ARN.String()),
		Data:         r.Payload,
		PartitionKey: aws.String(partitionKey(r)),
	}
	cl := target.Client(c, "kinesis", r.ARN.Region, r.Role(), awskinesis.NewFromConfig)
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
	if r.Target != nil && r.Target.KinesisParameters != nil && r.Target.KinesisParameters.PartitionKeyPath != nil {
		k = r.Dynamic(*r.Target.KinesisParameters.PartitionKeyPath)
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
// are 1 to 128 letters, digits, underscores, hyphens and periods. The
// service is not checked: only Kinesis ARNs are dispatched here.
func validARN(a arn.ARN) bool {
	if a.Region == "" || a.Account == "" {
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
