package sqs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go/logging"
)

// Options configures a Client.
type Options struct {
	// Endpoint overrides the SQS endpoint of every region (e.g. a local
	// moto or ElasticMQ); empty keeps what the SDK configuration resolves.
	Endpoint string
	Log      *slog.Logger
}

// Client sends messages to SQS queues in any region. It is safe for
// concurrent use.
type Client struct {
	cfg      aws.Config
	endpoint string
	log      *slog.Logger

	mu      sync.Mutex
	regions map[string]*awssqs.Client // by region
	urls    map[string]string         // queue URL by queue ARN
}

// New loads the SDK's standard configuration and returns a Client on it.
func New(ctx context.Context, o Options) (*Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithLogger(logging.Nop{}))
	if err != nil {
		return nil, fmt.Errorf("sqs: AWS configuration: %w", err)
	}
	return NewFromConfig(cfg, o), nil
}

// NewFromConfig returns a Client on cfg. With an endpoint override, a
// credential chain that yields nothing falls back to static test
// credentials.
func NewFromConfig(cfg aws.Config, o Options) *Client {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Endpoint != "" {
		cfg.Credentials = &fallbackCredentials{primary: cfg.Credentials, log: o.Log}
	}
	return &Client{cfg: cfg, endpoint: o.Endpoint, log: o.Log,
		regions: map[string]*awssqs.Client{}, urls: map[string]string{}}
}

// Endpoint is the endpoint override, or "".
func (c *Client) Endpoint() string { return c.endpoint }

// Message is what is sent to a queue.
type Message struct {
	Body        []byte
	GroupID     string            // FIFO queues only
	TraceHeader string            // AWSTraceHeader system attribute
	Attributes  map[string]string // String message attributes; empty values are left out
}

// Result is the outcome of one Send.
type Result struct {
	MessageID string
	Retryable bool
	ErrorCode string // the DLQ's ERROR_CODE when Err != nil
	Err       error
}

// Send sends one message to q: one attempt, classified.
func (c *Client) Send(ctx context.Context, q Queue, m Message) Result {
	if q.FIFO() && m.GroupID == "" {
		return Result{ErrorCode: CodeInvalidParameter,
			Err: errors.New("sqs: a FIFO queue needs a MessageGroupId (the target's SqsParameters.MessageGroupId)")}
	}
	if len(m.Body) == 0 {
		// SQS requires a body of at least one character.
		return Result{ErrorCode: CodeInvalidParameter, Err: errors.New("sqs: the message body is empty")}
	}
	cl := c.client(q.Region)
	url, err := c.queueURL(ctx, cl, q)
	if err != nil {
		return classify(ctx, err)
	}
	in := &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(string(m.Body))}
	if q.FIFO() {
		in.MessageGroupId = aws.String(m.GroupID)
	}
	if m.TraceHeader != "" {
		in.MessageSystemAttributes = map[string]types.MessageSystemAttributeValue{
			"AWSTraceHeader": {DataType: aws.String("String"), StringValue: aws.String(m.TraceHeader)},
		}
	}
	for k, v := range m.Attributes {
		if v == "" {
			continue // SQS refuses empty attribute values
		}
		if in.MessageAttributes == nil {
			in.MessageAttributes = map[string]types.MessageAttributeValue{}
		}
		in.MessageAttributes[k] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	out, err := cl.SendMessage(ctx, in)
	if err != nil {
		r := classify(ctx, err)
		if r.ErrorCode == CodeNoResource {
			c.forget(q.ARN) // deleted and perhaps created again under another URL
		}
		return r
	}
	return Result{MessageID: aws.ToString(out.MessageId)}
}

// client is the SQS client of a region.
func (c *Client) client(region string) *awssqs.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.regions[region]
	if !ok {
		cl = awssqs.NewFromConfig(c.cfg, func(o *awssqs.Options) {
			o.Region = region
			o.RetryMaxAttempts = 1 // the target's RetryPolicy decides
			if c.endpoint != "" {
				o.BaseEndpoint = aws.String(c.endpoint)
			}
		})
		c.regions[region] = cl
	}
	return cl
}

// queueURL resolves q's URL, from the cache or with GetQueueUrl.
func (c *Client) queueURL(ctx context.Context, cl *awssqs.Client, q Queue) (string, error) {
	c.mu.Lock()
	u, ok := c.urls[q.ARN]
	c.mu.Unlock()
	if ok {
		return u, nil
	}
	out, err := cl.GetQueueUrl(ctx, &awssqs.GetQueueUrlInput{QueueName: aws.String(q.Name), QueueOwnerAWSAccountId: aws.String(q.Account)})
	switch {
	case err == nil:
		u = aws.ToString(out.QueueUrl)
	case c.endpoint == "" && classify(ctx, err).ErrorCode == CodeNoPermissions && !isCredentialsError(err):
		// Allowed to send but not to look the queue up: AWS's own URL.
		u = guessURL(q)
	default:
		return "", err
	}
	c.mu.Lock()
	c.urls[q.ARN] = u
	c.mu.Unlock()
	return u, nil
}

func (c *Client) forget(queueARN string) {
	c.mu.Lock()
	delete(c.urls, queueARN)
	c.mu.Unlock()
}

// fallbackCredentials tries the SDK's chain once; if it yields nothing, it
// uses static test credentials from then on (only with an endpoint
// override: local emulators accept any credentials).
type fallbackCredentials struct {
	primary aws.CredentialsProvider
	log     *slog.Logger

	mu       sync.Mutex
	worked   bool // the chain yielded credentials once: its failures are real
	fallback bool // the chain yielded nothing at first: test credentials from now on
}

var testCredentials = credentials.NewStaticCredentialsProvider("test", "test", "")

func (f *fallbackCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	f.mu.Lock()
	fallback := f.fallback
	f.mu.Unlock()
	if fallback || f.primary == nil {
		return testCredentials.Retrieve(ctx)
	}
	cr, err := f.primary.Retrieve(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err == nil:
		f.worked = true
		return cr, nil
	case f.worked: // a transient failure of a chain that works
		return aws.Credentials{}, err
	}
	if !f.fallback {
		f.fallback = true
		f.log.Info("no AWS credentials configured: using static test credentials for the SQS endpoint override", "err", err)
	}
	return testCredentials.Retrieve(ctx)
}
