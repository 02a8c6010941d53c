// Package sqstest has the SQS helpers of tests that talk to SQS for real
// (moto_server, started by targettest.StartMoto).
package sqstest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/switchyard-dev/switchyard/internal/delivery/target/targettest"
)

// StartMoto is targettest.StartMoto.
func StartMoto(t testing.TB) string {
	t.Helper() // a skip or failure names the test's line, not this one
	return targettest.StartMoto(t)
}

// Client is an SQS client for moto at url, in us-east-1.
func Client(url string) *awssqs.Client {
	return awssqs.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	}, func(o *awssqs.Options) { o.BaseEndpoint = aws.String(url) })
}

// CreateQueue creates a queue and returns its URL.
func CreateQueue(t testing.TB, c *awssqs.Client, name string, attrs map[string]string) string {
	t.Helper()
	out, err := c.CreateQueue(context.Background(), &awssqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatalf("CreateQueue %s: %v", name, err)
	}
	return aws.ToString(out.QueueUrl)
}
