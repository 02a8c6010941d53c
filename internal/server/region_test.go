package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/switchyard-dev/switchyard/internal/server"
)

// localClient is an EventBridge client set up as aws-elixir's documented
// local setup is: signing for the made-up region "local".
func localClient(s *server.Server, key, secret string) *eventbridge.Client {
	return eventbridge.NewFromConfig(aws.Config{
		Region:      "local",
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
	}, func(o *eventbridge.Options) {
		o.BaseEndpoint = aws.String("http://" + s.Addr().String())
		o.RetryMaxAttempts = 1
	})
}

// TestMadeUpRegionInOpenMode: in open mode a signing region that is not a
// region name is served as the server's --region.
func TestMadeUpRegionInOpenMode(t *testing.T) {
	s := startServer(t, server.Config{Region: "eu-central-1"})
	ctx := context.Background()
	eb := localClient(s, "123456789012", "anything")

	out, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	if err != nil {
		t.Fatalf("CreateEventBus signed for region local: %v", err)
	}
	const want = "arn:aws:events:eu-central-1:123456789012:event-bus/orders"
	if got := aws.ToString(out.EventBusArn); got != want {
		t.Errorf("CreateEventBus ARN %s, want %s", got, want)
	}
	d, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")})
	if err != nil {
		t.Fatalf("DescribeEventBus signed for region local: %v", err)
	}
	if got := aws.ToString(d.Arn); got != want {
		t.Errorf("DescribeEventBus ARN %s, want %s", got, want)
	}

	// It is the same bus a client signing for the server's region sees.
	signed := eventbridge.NewFromConfig(aws.Config{Region: "eu-central-1", Credentials: credentials.NewStaticCredentialsProvider("123456789012", "x", "")},
		func(o *eventbridge.Options) { o.BaseEndpoint = aws.String("http://" + s.Addr().String()) })
	if d, err := signed.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")}); err != nil || aws.ToString(d.Arn) != want {
		t.Errorf("eu-central-1 client: %v %v", aws.ToString(d.Arn), err)
	}
}

// TestMadeUpRegionInSigV4Mode: sigv4 mode stands in for AWS, which refuses a
// signature scoped to a made-up region. The signature is still verified
// first: a wrong secret is a signature mismatch, not a region complaint.
func TestMadeUpRegionInSigV4Mode(t *testing.T) {
	s := startServer(t, server.Config{Auth: server.AuthSigV4, CredentialsFile: writeCreds(t)})
	ctx := context.Background()

	_, err := localClient(s, "AKIDALICE", "alice-secret").CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	code, msg := apiErr(t, err)
	if code != "InvalidSignatureException" || !strings.HasPrefix(msg, "Credential should be scoped to a valid region, not 'local'.") {
		t.Errorf("CreateEventBus signed for local: %s %q", code, msg)
	}
	_, err = localClient(s, "AKIDALICE", "alice-secret").DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
	if code, _ := apiErr(t, err); code != "InvalidSignatureException" {
		t.Errorf("DescribeEventBus signed for local: %v", err)
	}

	_, err = localClient(s, "AKIDALICE", "wrong-secret").DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
	if code, msg := apiErr(t, err); code != "InvalidSignatureException" || strings.Contains(msg, "region") {
		t.Errorf("wrong secret signed for local: %s %q", code, msg)
	}
	_, err = localClient(s, "AKIDMALLORY", "whatever").DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{})
	if code := errCode(err); code != "UnrecognizedClientException" {
		t.Errorf("unknown key signed for local: %v", err)
	}

	// Nothing was created.
	d, err := client(s, "AKIDALICE", "alice-secret", "").ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
	if err != nil || len(d.EventBuses) != 1 {
		t.Errorf("buses after the refusals: %v %v", d, err)
	}
}
