package delivery

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/switchyard-dev/switchyard/internal/arn"
	"github.com/switchyard-dev/switchyard/internal/delivery/bus"
	"github.com/switchyard-dev/switchyard/internal/delivery/target"
)

// TestKindsOf: which kind an ARN picks, and why there is none: an AWS
// service Switchyard has a kind for but no AWS configuration to bind it
// (not retried, the target invoked in the metrics' sense), a service it
// has no kind for, and an EventBridge resource that is not a target.
func TestKindsOf(t *testing.T) {
	parse := func(s string) arn.ARN {
		a, err := arn.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	b := bus.New(nil, nil)
	k := kinds{bus: b}
	if kind, _ := k.of(parse("arn:aws:events:us-east-1:123456789012:event-bus/x")); kind != b {
		t.Errorf("a bus ARN picked %T", kind)
	}
	kind, o := k.of(parse("arn:aws:sqs:us-east-1:123456789012:q"))
	if kind != nil || o.code != target.CodeSDKClientError || o.retryable || o.notInvoked {
		t.Errorf("SQS without AWS clients: %T %+v", kind, o)
	}
	for _, s := range []string{"arn:aws:ec2:us-east-1:123456789012:instance/i-1", "arn:aws:events:us-east-1:123456789012:rule/r"} {
		if kind, o := k.of(parse(s)); kind != nil || o.code != target.CodeNoResource || !o.notInvoked {
			t.Errorf("%s: %T %+v", s, kind, o)
		}
	}
	k.aws = bindAWS(target.NewFromConfig(aws.Config{Region: "us-east-1"}, target.Options{}), nil)
	if len(k.aws) != len(awsKinds) {
		t.Fatalf("%d kinds bound of %d", len(k.aws), len(awsKinds))
	}
	if kind, _ := k.of(parse("arn:aws:sns:us-east-1:123456789012:topic")); kind == nil {
		t.Error("SNS with AWS clients: no kind")
	}
}
